// Test support for settlement scenarios: waiting for trades to be final, checking each trade
// settled once with the explorer index whole, and a database that refuses writes to some tables
// for a while (a trigger raising an error: the failure path PostgreSQL itself takes).
import { expect } from 'vitest';
import type pg from 'pg';
import type { TestEngine } from '../../src/testing/engine.ts';
import { until } from './process.ts';

export async function finalCount(t: TestEngine, tradeIds: readonly string[]): Promise<number> {
  return t.db.prisma.trade.count({
    where: { id: { in: [...tradeIds] }, settlementStatus: 'FINAL' },
  });
}

export async function untilFinal(
  t: TestEngine,
  tradeIds: readonly string[],
  what: string,
  timeoutMs = 60_000,
): Promise<void> {
  await until(what, async () => (await finalCount(t, tradeIds)) === tradeIds.length, timeoutMs);
}

/** The explorer index holds every height once, without holes, and one settlement per trade. */
export async function expectIndexWholeAndSettledOnce(t: TestEngine): Promise<void> {
  const blocks = await t.db.prisma.chainBlock.aggregate({
    _count: { height: true },
    _min: { height: true },
    _max: { height: true },
  });
  expect(BigInt(blocks._count.height)).toBe(blocks._max.height! - blocks._min.height! + 1n);
  const onChain = await t.db.prisma.chainTx.count({ where: { kind: 'TRADE_SETTLE' } });
  expect(onChain).toBe(await t.db.prisma.trade.count());
}

/**
 * From now on the database refuses `operations` on `tables` (each raises an error); the returned
 * function lets them through again.
 */
export async function refuseWrites(
  pool: pg.Pool,
  tables: readonly string[],
  operations = 'INSERT OR UPDATE',
): Promise<() => Promise<void>> {
  await pool.query(`
    CREATE OR REPLACE FUNCTION refuse_writes() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN RAISE EXCEPTION 'writes to % refused (test)', TG_TABLE_NAME; END $$`);
  for (const table of tables) {
    await pool.query(
      `CREATE TRIGGER refuse BEFORE ${operations} ON ${table}
       FOR EACH ROW EXECUTE FUNCTION refuse_writes()`,
    );
  }
  return async () => {
    for (const table of tables) await pool.query(`DROP TRIGGER IF EXISTS refuse ON ${table}`);
  };
}
