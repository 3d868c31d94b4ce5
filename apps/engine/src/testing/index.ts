// Test support shared by the engine's tests and the browser tests in e2e/.
export {
  createEmbeddedTestDatabase,
  createPostgresTestDatabase,
  createTestDatabase,
  withDatabaseName,
  type TestDatabase,
} from './database.ts';
