// The in-process validators keep their blocks and signing state in the engine's PostgreSQL. When
// that database refuses their writes for a while (a failover, a full disk, an administrator),
// each validator stops at its failed write, signing nothing it could not persist (CONS-10); once
// the database takes writes again they restart from what they had stored, catch up and finalize
// the settlements that waited meanwhile, each once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/clock.ts';
import { createTestEngine, type SignedIn, type TestEngine } from '../src/testing/engine.ts';
import { until } from './support/process.ts';
import { crossOneKwh, sellerAndFundedBuyer } from './support/traders.ts';

const T = new Date('2026-12-01T06:00:00Z').toISOString();

describe('chain store outage', () => {
  let t: TestEngine;
  let seller: SignedIn;
  let buyer: SignedIn;

  beforeAll(async () => {
    t = await createTestEngine({
      chain: true,
      clock: new ManualClock(Date.parse('2026-12-01T03:00:00Z')),
      label: 'store_outage',
    });
    ({ seller, buyer } = await sellerAndFundedBuyer(t, 1_000_000n, 'store-outage-fund'));
  });
  afterAll(async () => {
    await t?.db.pool.query('DROP FUNCTION IF EXISTS refuse_chain_writes() CASCADE');
    await t?.close();
  });

  it(
    'validators stopped by refused store writes come back and settle what waited',
    { timeout: 120_000 },
    async () => {
      const chain = t.engine.services.chain!;
      const nodes = chain.network.nodes;
      const finalCount = async (ids: string[]) =>
        t.db.prisma.trade.count({ where: { id: { in: ids }, settlementStatus: 'FINAL' } });

      // The database refuses every write of the validators' stores.
      await t.db.pool.query(`
        CREATE FUNCTION refuse_chain_writes() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'chain store writes refused (test)'; END $$`);
      for (const table of ['chain_store_block', 'chain_store_sign_state']) {
        await t.db.pool.query(
          `CREATE TRIGGER refuse BEFORE INSERT OR UPDATE ON ${table}
           FOR EACH ROW EXECUTE FUNCTION refuse_chain_writes()`,
        );
      }
      const heightBefore = chain.query.head().height;
      const tradeIds: string[] = [];
      for (let i = 0; i < 3; i++) tradeIds.push(await crossOneKwh(seller, buyer, T));
      await until(
        'every validator stopped at a refused write',
        () => nodes.every((n) => !n.isRunning),
        30_000,
      );
      expect(await finalCount(tradeIds)).toBe(0);
      expect(Math.max(...nodes.map((n) => n.query.head().height))).toBeLessThanOrEqual(
        heightBefore + 1,
      );

      // Writes are taken again: the validators return by themselves and finality resumes.
      for (const table of ['chain_store_block', 'chain_store_sign_state']) {
        await t.db.pool.query(`DROP TRIGGER refuse ON ${table}`);
      }
      for (let i = 0; i < 2; i++) tradeIds.push(await crossOneKwh(seller, buyer, T));
      await until(
        'settlements final after the store recovered',
        async () => (await finalCount(tradeIds)) === tradeIds.length,
        90_000,
      );
      await until('all four validators running', () => nodes.every((n) => n.isRunning), 30_000);
      for (const id of tradeIds) expect(chain.query.escrow(id)?.status).toBe('OPEN');
      const onChain = await t.db.prisma.chainTx.count({ where: { kind: 'TRADE_SETTLE' } });
      expect(onChain).toBe(await t.db.prisma.trade.count());
    },
  );
});
