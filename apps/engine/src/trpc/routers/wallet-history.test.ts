// The wallet history's query on its own: it returns exactly an account's rows (a field counts as
// "mine" only for the kinds where it names the party: a delivery charge's buyer does not pay it),
// newest first, and PostgreSQL can answer it from the parties index instead of reading the
// whole outbox.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../testing/database.ts';
import { WALLET_HISTORY_SQL } from './wallet.ts';

const A = '11111111-1111-4111-8111-111111111111';
const B = '22222222-2222-4222-8222-222222222222';

describe('wallet history query', () => {
  let testDb: TestDatabase;
  let db: pg.Client;

  beforeAll(async () => {
    testDb = await createTestDatabase('wallet_history', process.env.DATABASE_URL);
    db = new pg.Client({ connectionString: testDb.url });
    db.on('error', () => undefined);
    await db.connect();
    const rows: [string, string, Record<string, string>][] = [
      ['trade:1', 'trade', { tradeId: 't1', buyerId: A, sellerId: B }],
      ['trade:2', 'trade', { tradeId: 't2', buyerId: B, sellerId: A }],
      ['deposit:1', 'deposit', { accountId: A, depositRef: 'd1' }],
      ['charges:1', 'delivery.charges', { sellerId: B, buyerId: A }],
      ['mint:1', 'meter.mint', { ownerId: A, meterId: 'm1' }],
      ['mint:2', 'meter.mint', { ownerId: B, meterId: 'm2' }],
      ['mandate:1', 'mandate', { accountId: B }],
      ['grid:1', 'grid.halt', { zone: 'PEA-S', accountId: A }],
    ];
    for (const [key, kind, payload] of rows) {
      await db.query(`INSERT INTO settlement_outbox (key, kind, payload) VALUES ($1, $2, $3)`, [
        key,
        kind,
        payload,
      ]);
    }
  });
  afterAll(async () => {
    await db?.end();
    await testDb?.drop();
  });

  it("returns an account's own rows, newest first", async () => {
    const mine = await db.query<{ key: string }>(WALLET_HISTORY_SQL, [A, 100]);
    expect(mine.rows.map((r) => r.key)).toEqual(['mint:1', 'deposit:1', 'trade:2', 'trade:1']);
    const theirs = await db.query<{ key: string }>(WALLET_HISTORY_SQL, [B, 100]);
    expect(theirs.rows.map((r) => r.key)).toEqual([
      'mandate:1',
      'mint:2',
      'charges:1',
      'trade:2',
      'trade:1',
    ]);
    expect((await db.query(WALLET_HISTORY_SQL, [A, 2])).rows).toHaveLength(2);
  });

  it('can be answered from the parties index', async () => {
    await db.query('SET enable_seqscan = off');
    await db.query('SET enable_indexscan = off');
    try {
      const plan = await db.query<{ 'QUERY PLAN': unknown }>(
        `EXPLAIN (FORMAT JSON) ${WALLET_HISTORY_SQL}`,
        [A, 100],
      );
      expect(JSON.stringify(plan.rows[0]!['QUERY PLAN'])).toContain(
        'settlement_outbox_parties_idx',
      );
    } finally {
      await db.query('RESET enable_seqscan');
      await db.query('RESET enable_indexscan');
    }
  });
});
