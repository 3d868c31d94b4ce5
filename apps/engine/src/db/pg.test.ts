// The catalog-type workaround: results of catalog queries carry text type ids, through both the
// promise and the callback forms of query, so @prisma/adapter-pg can read them while migrating.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../testing/database.ts';
import { CatalogSafeClient } from './pg.ts';

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
