// The group-commit journal against a real database: commands appended in the same tick share one
// batch, every row of a batch lands together, and a batch that fails writes nothing at all (the
// command log never holds half a batch) and refuses later appends until the owner recovers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../db/index.ts';
import { seedIfEmpty } from '../db/seed.ts';
import { KeyVault } from '../auth/keys.ts';
import { createTestDatabase, type TestDatabase } from '../testing/database.ts';
import { deliveryDayOf } from './calendar.ts';
import { ensureDay } from './intervals.ts';
import { Journal, type CommittedOutboxRow, type JournalEntry } from './journal.ts';

const T = new Date('2026-12-01T06:00:00Z');

describe('group-commit journal', () => {
  let testDb: TestDatabase;
  let db: Database;
  let accountId: string;
  let seq = 1_000_000n;

  beforeAll(async () => {
    testDb = await createTestDatabase('journal', process.env.DATABASE_URL);
    db = await openDatabase({
      url: testDb.url,
      dataDir: '/nonexistent',
      ...(testDb.kind === 'embedded' ? { poolSize: 1 } : {}),
    });
    await seedIfEmpty(db.prisma, new KeyVault(Buffer.alloc(32, 7)));
    await ensureDay(db.prisma, deliveryDayOf(T.getTime()));
    const account = await db.prisma.account.create({
      data: { email: 'journal@example.com', name: 'journal', passwordHash: 'x' },
    });
    accountId = account.id;
  });
  afterAll(async () => {
    await db?.close();
    await testDb?.drop();
  });

  function placed(id: string, s: bigint, status: 'OPEN' | 'FILLED' = 'OPEN'): JournalEntry {
    return {
      command: { seq: s, intervalStart: T, kind: 'place', accountId, payload: { orderId: id } },
      orders: [
        {
          id,
          accountId,
          market: 'CONTINUOUS',
          zone: 'MEA-BKK',
          intervalStart: T,
          side: 'SELL',
          type: 'LIMIT',
          tif: 'GTC',
          postOnly: false,
          priceTicks: 35_000,
          quantityWh: 1_000n,
          remainingWh: status === 'OPEN' ? 1_000n : 0n,
          status,
          clientOrderId: null,
          seq: s,
          reason: null,
        },
      ],
      audits: [
        {
          actorId: accountId,
          action: 'order.place',
          target: id,
          ip: '127.0.0.1',
          requestId: 'r',
          details: { s: String(s) },
        },
      ],
    };
  }

  function trade(id: string, orderId: string, s: bigint): JournalEntry {
    return {
      command: { seq: s, intervalStart: T, kind: 'place', accountId, payload: { trade: id } },
      trades: [
        {
          id,
          market: 'CONTINUOUS',
          intervalStart: T,
          buyZone: 'MEA-BKK',
          sellZone: 'MEA-BKK',
          buyOrderId: null,
          sellOrderId: orderId,
          buyerId: accountId,
          sellerId: accountId,
          takerSide: 'BUY',
          priceTicks: 35_000,
          quantityWh: 1_000n,
          wheelingTicks: 0,
          notionalSatang: 3_500n,
          wheelingSatang: 0n,
          buyerFeeSatang: 0n,
          sellerFeeSatang: 0n,
          roundingResidue: '0',
          seq: s,
          createdAt: new Date(),
        },
      ],
      outbox: [{ key: `trade:${id}`, kind: 'trade', payload: { tradeId: id } }],
    };
  }

  it('writes the commands appended in one tick as one batch, with every row', async () => {
    const failures: unknown[] = [];
    const journal = new Journal(db.pool, (e) => failures.push(e));
    const entries = Array.from({ length: 50 }, (_, i) => placed(`JA${i}`, seq++));
    // The same order touched twice in a batch: its last state is what the table keeps.
    entries.push(placed('JA0', seq++, 'FILLED'));
    entries.push(trade('JTA', 'JA1', seq++));
    await Promise.all(entries.map((e) => journal.append(e)));
    expect(failures).toEqual([]);
    expect(journal.stats.batches).toBe(1);
    expect(journal.stats.entries).toBe(52);
    const counts = await db.pool.query<{ c: number; o: number; t: number; x: number; a: number }>(
      `SELECT (SELECT count(*)::int FROM market_command WHERE payload->>'orderId' LIKE 'JA%'
                 OR payload->>'trade' = 'JTA') AS c,
              (SELECT count(*)::int FROM "order" WHERE id LIKE 'JA%') AS o,
              (SELECT count(*)::int FROM trade WHERE id = 'JTA') AS t,
              (SELECT count(*)::int FROM settlement_outbox WHERE key = 'trade:JTA') AS x,
              (SELECT count(*)::int FROM audit_log WHERE target LIKE 'JA%') AS a`,
    );
    expect(counts.rows[0]).toEqual({ c: 52, o: 50, t: 1, x: 1, a: 51 });
    const ja0 = await db.pool.query(`SELECT status, remaining_wh FROM "order" WHERE id = 'JA0'`);
    expect(ja0.rows[0]).toEqual({ status: 'FILLED', remaining_wh: '0' });
  });

  it('hands over each batch’s outbox rows with the ids the database gave them, before acks', async () => {
    const handed: CommittedOutboxRow[][] = [];
    let resolvedBeforeHandover = false;
    let resolved = 0;
    const journal = new Journal(
      db.pool,
      () => undefined,
      (rows) => {
        if (resolved > 0) resolvedBeforeHandover = true;
        handed.push(rows);
      },
    );
    const entries = [
      placed('JH0', seq++),
      trade('JTH1', 'JH0', seq++),
      trade('JTH2', 'JH0', seq++),
    ];
    await Promise.all(entries.map((e) => journal.append(e).then(() => (resolved += 1))));
    expect(resolvedBeforeHandover).toBe(false);
    expect(handed).toHaveLength(1);
    const inDb = await db.pool.query<{ id: string; key: string }>(
      `SELECT id::text, key FROM settlement_outbox WHERE key IN ('trade:JTH1', 'trade:JTH2') ORDER BY id`,
    );
    expect(handed[0]!.map((r) => ({ id: r.id, key: r.key }))).toEqual(inDb.rows);
    expect(handed[0]!.map((r) => [r.kind, r.payload])).toEqual([
      ['trade', { tradeId: 'JTH1' }],
      ['trade', { tradeId: 'JTH2' }],
    ]);
    // A batch without outbox rows hands over nothing.
    await journal.append(placed('JH1', seq++));
    expect(handed).toHaveLength(1);
  });

  it('writes nothing of a failing batch, rejects all of it and every later append', async () => {
    const failures: unknown[] = [];
    const journal = new Journal(db.pool, (e) => failures.push(e));
    const good = placed('JB0', seq++);
    // A trade of an order that was never written breaks a foreign key: the whole batch fails.
    const bad = trade('JTB', 'NO-SUCH-ORDER', seq++);
    const results = await Promise.allSettled([journal.append(good), journal.append(bad)]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(failures).toHaveLength(1);
    const left = await db.pool.query<{ n: number }>(
      `SELECT (SELECT count(*)::int FROM "order" WHERE id = 'JB0')
            + (SELECT count(*)::int FROM market_command WHERE payload->>'orderId' = 'JB0')
            + (SELECT count(*)::int FROM audit_log WHERE target = 'JB0')
            + (SELECT count(*)::int FROM settlement_outbox WHERE key = 'trade:JTB') AS n`,
    );
    expect(left.rows[0]?.n).toBe(0);
    await expect(journal.append(placed('JB1', seq++))).rejects.toThrow();
    journal.reset();
    await journal.append(placed('JB2', seq++));
    const after = await db.pool.query(`SELECT id FROM "order" WHERE id IN ('JB1', 'JB2')`);
    expect(after.rows).toEqual([{ id: 'JB2' }]);
  });
});
