// npm run db:migrate: apply pending migrations to DATABASE_URL with `prisma migrate deploy`.
// (The engine does the same at start-up; this is for operators preparing a database.)
import { prisma } from './lib.mjs';

if (!process.env.DATABASE_URL) {
  console.error(
    'DATABASE_URL is not set. (The embedded database is migrated by the engine at start-up.)',
  );
  process.exit(2);
}
await prisma(['migrate', 'deploy']);
