// The in-process validators keep their blocks and signing state in the engine's PostgreSQL. When
// that database refuses their writes for a while (a failover, a full disk, an administrator),
// each validator stops at its failed write, signing nothing it could not persist (CONS-10); once
// the database takes writes again they restart from what they had stored, catch up and finalize
// the settlements that waited meanwhile, each once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SignedIn, TestEngine } from '../src/testing/engine.ts';
import { until } from './support/process.ts';
import {
  expectIndexWholeAndSettledOnce,
  finalCount,
  refuseWrites,
  untilFinal,
} from './support/settlement.ts';
import { chainScenario, crossOneKwh, SCENARIO_INTERVAL as T } from './support/traders.ts';

/** A gauge's value as Prometheus would scrape it. */
async function gauge(t: TestEngine, name: string): Promise<number> {
  const metric = await t.engine.services.metrics.registry.getSingleMetric(name)?.get();
  return Number(metric?.values[0]?.value);
}

describe('chain store outage', () => {
  let t: TestEngine;
  let seller: SignedIn;
  let buyer: SignedIn;

  beforeAll(async () => {
    ({ t, seller, buyer } = await chainScenario('store_outage', 1_000_000n));
  });
  afterAll(async () => t?.close());

  it(
    'validators stopped by refused store writes come back and settle what waited',
    { timeout: 120_000 },
    async () => {
      const chain = t.engine.services.chain!;
      const validators = chain.validatorThread;

      // The database refuses every write of the validators' stores (and of the engine's node's).
      const allow = await refuseWrites(t.db.pool, ['chain_store_block', 'chain_store_sign_state']);
      const heightBefore = chain.query.head().height;
      const tradeIds: string[] = [];
      for (let i = 0; i < 3; i++) tradeIds.push(await crossOneKwh(seller, buyer, T));
      // Each stops at its first refused write (and keeps stopping at each start meanwhile).
      const seenStopped = new Set<number>();
      let fewestUp = 4;
      await until(
        'every validator stopped at a refused write',
        async () => {
          (await validators.freshStatus()).forEach((s, i) => {
            if (!s.running) seenStopped.add(i);
          });
          fewestUp = Math.min(fewestUp, await gauge(t, 'gtx_chain_validators_up'));
          return seenStopped.size === validators.names.length;
        },
        30_000,
      );
      expect(fewestUp).toBeLessThan(4);
      expect(await finalCount(t, tradeIds)).toBe(0);
      const heads = (await validators.freshStatus()).map((s) => s.headHeight);
      expect(Math.max(...heads)).toBeLessThanOrEqual(heightBefore + 1);

      // Writes are taken again: the validators return by themselves and finality resumes.
      await allow();
      for (let i = 0; i < 2; i++) tradeIds.push(await crossOneKwh(seller, buyer, T));
      await untilFinal(t, tradeIds, 'settlements final after the store recovered', 90_000);
      const allRunning = async () => (await validators.freshStatus()).every((s) => s.running);
      await until('all four validators running', allRunning, 30_000);
      expect(await gauge(t, 'gtx_chain_validators_up')).toBe(4);
      for (const id of tradeIds) expect(chain.query.escrow(id)?.status).toBe('OPEN');
      await expectIndexWholeAndSettledOnce(t);
    },
  );

  it(
    'connections cut while orders arrive: acknowledged orders kept, each trade settled once, explorer index whole',
    { timeout: 120_000 },
    async () => {
      const chain = t.engine.services.chain!;
      const db = t.db.pool;
      const { rows } = await db.query<{ name: string }>('SELECT current_database() AS name');
      const cut = async () =>
        db.query(
          `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
            WHERE datname = $1 AND pid <> pg_backend_pid()`,
          [rows[0]!.name],
        );
      const acknowledged: string[] = [];

      const place = async (i: number) => {
        try {
          const r = await seller.caller.orders.place({
            zone: 'MEA-BKK',
            intervalStart: T,
            side: 'sell',
            type: 'limit',
            tif: 'GTC',
            priceTicks: 90_000 + i,
            quantityWh: 1_000,
          });
          acknowledged.push(r.order.id);
        } catch {
          // not acknowledged: may or may not be durable, never half-applied
        }
      };
      const placing = (async () => {
        for (let i = 0; i < 60; i++) {
          await place(i);
          await new Promise((r) => setTimeout(r, 25));
        }
      })();
      for (let i = 0; i < 5; i++) {
        await new Promise((r) => setTimeout(r, 250));
        await cut().catch(() => undefined);
      }
      await placing;
      expect(acknowledged.length).toBeGreaterThan(0);

      // Every acknowledged order is durable, and the engine trades and settles again.
      await until(
        'the markets take orders again',
        async () => {
          try {
            await place(1_000);
            return true;
          } catch {
            return false;
          }
        },
        30_000,
      );
      const stored = await t.db.prisma.order.count({ where: { id: { in: acknowledged } } });
      expect(stored).toBe(acknowledged.length);
      await untilFinal(t, [await crossOneKwh(seller, buyer, T)], 'the new trade final');
      await until(
        'all four validators running',
        async () => (await chain.validatorThread.freshStatus()).every((s) => s.running),
        30_000,
      );
      await chain.settledIndex();
      await expectIndexWholeAndSettledOnce(t);
      const indexed = await t.db.prisma.chainBlock.aggregate({ _max: { height: true } });
      expect(indexed._max.height).toBe(BigInt(chain.query.head().height));
      expect(await t.db.prisma.trade.count({ where: { settlementStatus: { not: 'FINAL' } } })).toBe(
        0,
      );
    },
  );

  it(
    'explorer index writes refused for a while: settlements still final, the index then whole',
    { timeout: 120_000 },
    async () => {
      const chain = t.engine.services.chain!;
      const allow = await refuseWrites(t.db.pool, ['chain_block'], 'INSERT');
      const tradeIds: string[] = [];
      try {
        const indexedBefore = await t.db.prisma.chainBlock.count();
        for (let i = 0; i < 2; i++) tradeIds.push(await crossOneKwh(seller, buyer, T));
        await untilFinal(t, tradeIds, 'settlements final while the index is refused');
        expect(await t.db.prisma.chainBlock.count()).toBe(indexedBefore);
        expect(await gauge(t, 'gtx_chain_index_lag_blocks')).toBeGreaterThan(0);
      } finally {
        await allow();
      }
      await until(
        'the index caught up',
        async () =>
          (await t.db.prisma.chainBlock.aggregate({ _max: { height: true } }))._max.height ===
          BigInt(chain.query.head().height),
        30_000,
      );
      await expectIndexWholeAndSettledOnce(t);
      await until('no index lag', async () => (await gauge(t, 'gtx_chain_index_lag_blocks')) === 0);
    },
  );
});
