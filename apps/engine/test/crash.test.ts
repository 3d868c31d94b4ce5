// kill -9 at any point loses no acknowledged order and no trade, never settles a trade twice,
// and the books come back with the same state hashes; the outbox drains after the restart.
// The engine runs as a real child process; the database outlives it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../src/testing/database.ts';
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { httpClient, startEngineProcess, until, type EngineProcess } from './support/process.ts';

const START = '2026-12-01T03:00:00Z'; // 10:00 ICT: today's afternoon intervals are open
const T = '2026-12-01T08:00:00.000Z';

describe('engine crash safety (SIGKILL)', () => {
  let testDb: TestDatabase;
  let engine: EngineProcess | null = null;
  let db: pg.Pool;
  const env = () => ({
    DATABASE_URL: testDb.url,
    KEY_ENCRYPTION_KEY: '11'.repeat(32),
    CLOCK: 'sim',
    CLOCK_SPEED: '1',
    CLOCK_START: START,
    RATE_LIMIT_ORDERS_PER_ACCOUNT: '100000',
    RATE_LIMIT_ORDERS_PER_IP: '100000',
    RATE_LIMIT_LOGINS_PER_MINUTE: '10000',
    DATA_DIR: '/tmp',
    ...(testDb.kind === 'embedded' ? { DATABASE_POOL_SIZE: '1' } : {}),
    LOG_LEVEL: process.env.CRASH_LOG_LEVEL ?? 'warn',
  });

  beforeAll(async () => {
    testDb = await createTestDatabase('crash', process.env.DATABASE_URL);
    db = new pg.Pool({ connectionString: testDb.url, max: 2 });
    // An idle client the teardown's DROP DATABASE … WITH (FORCE) terminates would otherwise be
    // an uncaught error of the test file, after the test itself passed.
    db.on('error', () => undefined);
    engine = await startEngineProcess(env());
  });
  afterAll(async () => {
    await engine?.kill();
    await db?.end();
    await testDb?.drop();
  });

  it(
    'keeps every acknowledged order and trade, settles each trade once, rebuilds the same books',
    { timeout: 300_000 },
    async () => {
      const seller = httpClient(engine!.url);
      const buyer = httpClient(engine!.url);
      const admin = httpClient(engine!.url);
      await seller.auth.register.mutate({
        email: 'seller@example.com',
        password: 'seller-password',
        name: 'Seller',
      });
      const b = await buyer.auth.register.mutate({
        email: 'buyer@example.com',
        password: 'buyer-password',
        name: 'Buyer',
      });
      await admin.auth.login.mutate({
        email: 'admin@gridtokenx.local',
        password: 'admin-demo-2026',
      });
      await admin.wallet.deposit.mutate({
        accountId: b.id,
        amountSatang: 100_000_000n,
        reference: 'crash-fund',
      });
      await until(
        'deposit on chain',
        async () => (await buyer.wallet.balances.query()).thbSatang > 0n,
      );

      // Phase 1: a burst of crossing orders, then SIGKILL while settlements are still in flight.
      const acked: string[] = [];
      const place = async (who: typeof seller, side: 'buy' | 'sell', price: number, i: number) => {
        const r = await who.orders.place.mutate({
          zone: 'MEA-BKK',
          intervalStart: T,
          side,
          type: 'limit',
          priceTicks: price,
          quantityWh: 1_000,
          tif: 'GTC',
          clientOrderId: `${side}-${i}`,
        });
        acked.push(r.order.id);
      };
      const burst: Promise<void>[] = [];
      for (let i = 0; i < 60; i++) {
        burst.push(place(seller, 'sell', 35_000 + (i % 5) * 100, i));
        burst.push(place(buyer, 'buy', 35_200 - (i % 5) * 100, i));
      }
      await Promise.all(burst);
      const hashesBefore = await seller.market.hashes.query();
      const tradesBefore = await db.query<{ id: string }>('SELECT id FROM trade ORDER BY id');
      expect(tradesBefore.rowCount).toBeGreaterThan(10);
      await engine!.kill('SIGKILL');
      engine = await startEngineProcess(env());
      const again = httpClient(engine.url);
      expect(await again.market.hashes.query()).toEqual(hashesBefore);
      const orders = await db.query<{ id: string }>('SELECT id FROM "order" WHERE id = ANY($1)', [
        acked,
      ]);
      expect(orders.rowCount).toBe(acked.length);
      const tradesAfter = await db.query<{ id: string }>('SELECT id FROM trade ORDER BY id');
      expect(tradesAfter.rows).toEqual(tradesBefore.rows);

      // Phase 2: kill in the middle of a flow; what was acknowledged stays, nothing half-exists.
      const seller2 = httpClient(engine.url);
      const buyer2 = httpClient(engine.url);
      await seller2.auth.login.mutate({ email: 'seller@example.com', password: 'seller-password' });
      await buyer2.auth.login.mutate({ email: 'buyer@example.com', password: 'buyer-password' });
      const acked2: string[] = [];
      let stop = false;
      const flow = async (who: typeof seller, side: 'buy' | 'sell') => {
        for (let i = 0; !stop; i++) {
          try {
            const r = await who.orders.place.mutate({
              zone: 'MEA-BKK',
              intervalStart: T,
              side,
              type: 'limit',
              priceTicks: side === 'sell' ? 35_000 : 35_100,
              quantityWh: 500,
              tif: 'GTC',
              clientOrderId: `flow-${side}-${i}`,
            });
            acked2.push(r.order.id);
          } catch {
            return; // the engine died under us
          }
        }
      };
      const flows = [flow(seller2, 'sell'), flow(buyer2, 'buy')];
      await until('some acknowledgements', () => acked2.length > 40);
      await engine.kill('SIGKILL');
      stop = true;
      await Promise.all(flows);

      engine = await startEngineProcess(env());
      const found = await db.query<{ id: string }>('SELECT id FROM "order" WHERE id = ANY($1)', [
        acked2,
      ]);
      expect(found.rowCount).toBe(acked2.length);
      // Every order's fills add up: quantity − remaining = Σ trades of that order.
      const mismatched = await db.query(
        `SELECT o.id FROM "order" o
         LEFT JOIN (SELECT id AS t, buy_order_id AS oid, quantity_wh FROM trade UNION ALL
                    SELECT id, sell_order_id, quantity_wh FROM trade) f ON f.oid = o.id
        WHERE o.market = 'CONTINUOUS'
        GROUP BY o.id, o.quantity_wh, o.remaining_wh
       HAVING o.quantity_wh - o.remaining_wh <> COALESCE(sum(f.quantity_wh), 0)`,
      );
      expect(mismatched.rows).toEqual([]);
      // Every trade has exactly one outbox row, and after the restart each settles exactly once.
      const counts = await db.query<{ trades: string; outbox: string }>(
        `SELECT (SELECT count(*) FROM trade)::text AS trades,
              (SELECT count(*) FROM settlement_outbox WHERE kind = 'trade')::text AS outbox`,
      );
      expect(counts.rows[0]!.outbox).toBe(counts.rows[0]!.trades);
      await until(
        'all settlements final',
        async () => {
          const r = await db.query<{ n: string }>(
            `SELECT count(*)::text AS n FROM trade WHERE settlement_status <> 'FINAL'`,
          );
          return r.rows[0]!.n === '0';
        },
        60_000,
      ).catch(async (error: unknown) => {
        const summary = await db.query(
          `SELECT status, count(*)::int AS n, min(last_error) AS error FROM settlement_outbox GROUP BY status`,
        );
        const heights = await db.query(
          `SELECT validator, max(height) AS h FROM chain_store_block GROUP BY validator`,
        );
        const sign = await db.query(
          `SELECT validator, length(bytes) AS n, encode(bytes, 'hex') AS hex FROM chain_store_sign_state`,
        );
        // Is the engine answering, and is it busy? (a stalled chain vs. a blocked event loop)
        const health = await fetch(`${engine!.url}/readyz`, { signal: AbortSignal.timeout(3_000) })
          .then(async (r) => `${r.status} ${await r.text()}`)
          .catch((e: unknown) => `no answer: ${String(e)}`);
        const cpu = () => {
          try {
            const f = readFileSync(`/proc/${engine!.child.pid}/stat`, 'utf8').split(' ');
            return Number(f[13]) + Number(f[14]);
          } catch {
            return NaN;
          }
        };
        const c0 = cpu();
        await new Promise((r) => setTimeout(r, 2_000));
        const busy = `${cpu() - c0} ticks of CPU in 2 s`;
        throw new Error(
          `${String(error)}; outbox: ${JSON.stringify(summary.rows)}; heights: ${JSON.stringify(heights.rows)} ${JSON.stringify(sign.rows)}; readyz: ${health}; engine ${busy}\n${engine?.log().slice(-8000)}`,
        );
      });
      const settles = await db.query<{ n: string; distinct: string }>(
        `SELECT count(*)::text AS n, count(DISTINCT t.id)::text AS distinct
         FROM chain_tx c JOIN trade t ON t.chain_tx_hash = c.hash WHERE c.kind = 'TRADE_SETTLE'`,
      );
      expect(settles.rows[0]!.n).toBe(counts.rows[0]!.trades);
      expect(settles.rows[0]!.distinct).toBe(counts.rows[0]!.trades);
      const onChain = await db.query<{ n: string }>(
        `SELECT count(*)::text AS n FROM chain_tx WHERE kind = 'TRADE_SETTLE'`,
      );
      expect(onChain.rows[0]!.n).toBe(counts.rows[0]!.trades);
    },
  );
});
