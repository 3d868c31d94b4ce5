// The catalog-type workaround: results of catalog queries carry text type ids, through both the
// promise and the callback forms of query, so @prisma/adapter-pg can read them while migrating.
// Named statements keep working after a failed query, on PostgreSQL and on the embedded database.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type pg from 'pg';
import {
  createEmbeddedTestDatabase,
  createPostgresTestDatabase,
  createTestDatabase,
  type TestDatabase,
} from '../testing/database.ts';
import { CatalogSafeClient, createPool, isSharedSessionServer } from './pg.ts';

describe('CatalogSafeClient', () => {
  let testDb: TestDatabase;
  let client: CatalogSafeClient;
  beforeAll(async () => {
    testDb = await createTestDatabase('pgclient', process.env.DATABASE_URL);
    client = new CatalogSafeClient({ connectionString: testDb.url });
    await client.connect();
  });
  afterAll(async () => {
    await client?.end();
    await testDb?.drop();
  });

  const sql = `SELECT relname, relkind, 1::int4 AS one FROM pg_class LIMIT 1`;

  it('reports name and "char" columns as text in promise form', async () => {
    const res = await client.query(sql);
    expect(res.fields.map((f) => f.dataTypeID)).toEqual([25, 25, 23]);
  });

  it('reports them as text in callback form', async () => {
    const ids = await new Promise<number[]>((resolve, reject) => {
      client.query(sql, (err, res) =>
        err ? reject(err) : resolve(res.fields.map((f) => f.dataTypeID)),
      );
    });
    expect(ids).toEqual([25, 25, 23]);
  });

  it('leaves ordinary types alone', async () => {
    const res = await client.query(`SELECT 'x'::text AS t, 2::int8 AS n, now() AS ts`);
    expect(res.fields.map((f) => f.dataTypeID)).toEqual([25, 20, 1184]);
  });
});

// After an error pg-pool closes the connection and opens another. On PostgreSQL that is a new
// session; on the embedded database every connection shares one session, so a statement name
// prepared before would collide ("prepared statement … already exists") on every later use.
const servers: { name: string; create: () => Promise<TestDatabase>; skip: boolean }[] = [
  {
    name: 'PostgreSQL from DATABASE_URL',
    create: () => createPostgresTestDatabase(process.env.DATABASE_URL ?? '', 'pgnamed'),
    skip: !process.env.DATABASE_URL,
  },
  { name: 'the embedded database', create: () => createEmbeddedTestDatabase(), skip: false },
];

for (const server of servers) {
  describe.skipIf(server.skip)(`named statements on ${server.name}`, () => {
    let testDb: TestDatabase;
    let pool: pg.Pool;
    beforeAll(async () => {
      testDb = await server.create();
      pool = createPool(testDb.url, { max: 1 });
    });
    afterAll(async () => {
      await pool?.end();
      await testDb?.drop();
    });

    it('still run after a failed query replaced the connection', async () => {
      const named = { name: 'gtx_test_named_v1', text: 'SELECT $1::int + 1 AS n', values: [1] };
      expect((await pool.query<{ n: number }>(named)).rows).toEqual([{ n: 2 }]);
      await expect(pool.query('SELECT 1 / 0')).rejects.toThrow(/division by zero/);
      expect((await pool.query<{ n: number }>(named)).rows).toEqual([{ n: 2 }]);
      // A failing named statement, then the same name again.
      await expect(pool.query({ ...named, values: ['x'] })).rejects.toThrow();
      expect((await pool.query<{ n: number }>(named)).rows).toEqual([{ n: 2 }]);
    });

    it('are prepared on PostgreSQL, and sent unnamed on the embedded database only', async () => {
      const version = (await pool.query<{ v: string }>('SELECT version() AS v')).rows[0]!.v;
      await pool.query({ name: 'gtx_test_prepared_v1', text: 'SELECT 1 AS one' });
      const prepared = await pool.query(
        `SELECT 1 FROM pg_prepared_statements WHERE name = 'gtx_test_prepared_v1'`,
      );
      expect(prepared.rowCount).toBe(isSharedSessionServer(version) ? 0 : 1);
      expect(isSharedSessionServer(version)).toBe(server.name === 'the embedded database');
    });
  });
}
