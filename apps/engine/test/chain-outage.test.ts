// When the chain cannot finalize (two of four validators down), trading goes on: orders are
// acknowledged, trades print, and their settlements wait as pending; once a validator returns,
// finality resumes and the outbox drains, each trade settled exactly once.
import { readFileSync } from 'node:fs';
import { getPriority } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SignedIn, TestEngine } from '../src/testing/engine.ts';
import { until } from './support/process.ts';
import { expectIndexWholeAndSettledOnce, untilFinal } from './support/settlement.ts';
import { chainScenario, crossOneKwh, SCENARIO_INTERVAL as T } from './support/traders.ts';

/** A thread's nice value as the kernel reports it (field 19 of /proc/<pid>/task/<tid>/stat). */
function kernelNice(tid: number): number {
  const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
}

describe('chain outage', () => {
  let t: TestEngine;
  let seller: SignedIn;
  let buyer: SignedIn;

  beforeAll(async () => {
    ({ t, seller, buyer } = await chainScenario('outage', 1_000_000n));
  });
  afterAll(async () => t?.close());

  it.runIf(process.platform === 'linux')(
    "runs the validators' thread at nice 10, the engine's thread unchanged",
    () => {
      const os = t.engine.services.chain!.validatorThread.osThread;
      expect(os?.error).toBeUndefined();
      expect(os?.tid).toBeTypeOf('number');
      expect(os?.tid).not.toBe(process.pid);
      expect(os?.nice).toBe(10);
      expect(kernelNice(os!.tid!)).toBe(10);
      expect(getPriority()).toBe(0); // this process's main thread
      expect(kernelNice(process.pid)).toBe(0);
    },
  );

  it(
    'keeps trading with two validators down, then drains the outbox once one returns',
    { timeout: 120_000 },
    async () => {
      const validators = t.engine.services.chain!.validatorThread;
      await validators.stopValidator('PEA');
      await validators.stopValidator('ERC');
      const heightDown = t.engine.services.chain!.query.head().height;

      const tradeIds: string[] = [];
      for (let i = 0; i < 5; i++) {
        tradeIds.push(await crossOneKwh(seller, buyer, T));
      }
      await new Promise((r) => setTimeout(r, 3_000));
      const statuses = await t.db.prisma.trade.findMany({
        where: { id: { in: tradeIds } },
        select: { settlementStatus: true },
      });
      expect(
        statuses.every(
          (s) => s.settlementStatus === 'PENDING' || s.settlementStatus === 'SUBMITTED',
        ),
      ).toBe(true);
      expect(t.engine.services.chain!.query.head().height).toBe(heightDown);
      // The control room sees why: two validators stopped, the others waiting in the next height.
      const operator = await t.signIn('operator@gridtokenx.local', 'operator-demo-2026');
      const view = await operator.caller.chain.consensus();
      expect(view.mode).toBe('local');
      expect(view.validators.map((v) => [v.name, v.running])).toEqual([
        ['EGAT', true],
        ['MEA', true],
        ['PEA', false],
        ['ERC', false],
      ]);
      for (const v of view.validators.filter((x) => x.running)) {
        expect(v.headHeight).toBe(heightDown);
        expect(v.height).toBe(heightDown + 1);
        expect(v.mempoolTxs).toBeGreaterThan(0);
      }
      const fills = await buyer.caller.orders.fills();
      expect(
        fills.filter((f) => tradeIds.includes(f.id)).every((f) => f.settlementStatus !== 'FINAL'),
      ).toBe(true);

      await validators.startValidator('PEA');
      await untilFinal(t, tradeIds, 'settlements final after the validator returned');
      for (const id of tradeIds)
        expect(t.engine.services.chain!.query.escrow(id)?.status).toBe('OPEN');
      const onChain = await t.db.prisma.chainTx.count({ where: { kind: 'TRADE_SETTLE' } });
      expect(onChain).toBe(await t.db.prisma.trade.count());
    },
  );

  it(
    'settles while EGAT alone is down, and indexes each block once when it returns',
    { timeout: 120_000 },
    async () => {
      const chain = t.engine.services.chain!;
      const validators = chain.validatorThread;
      await validators.startValidator('ERC');
      await validators.stopValidator('EGAT');
      const tradeIds: string[] = [];
      for (let i = 0; i < 3; i++) tradeIds.push(await crossOneKwh(seller, buyer, T));
      await untilFinal(t, tradeIds, 'settlements final with EGAT down');
      const heightWhileDown = chain.query.head().height;
      expect((await validators.statusOf('EGAT')).headHeight).toBeLessThan(heightWhileDown);

      // Trading goes on while EGAT restarts and catches up; those settlements are final too.
      await validators.startValidator('EGAT');
      for (let i = 0; i < 3; i++) tradeIds.push(await crossOneKwh(seller, buyer, T));
      await untilFinal(t, tradeIds, 'settlements final after EGAT returned');
      await until(
        'EGAT caught up',
        async () => (await validators.statusOf('EGAT')).headHeight > heightWhileDown,
        60_000,
      );
      await expectIndexWholeAndSettledOnce(t);
    },
  );

  it(
    'the validators thread dies: trading goes on, it is started again and the settlements drain',
    { timeout: 120_000 },
    async () => {
      const chain = t.engine.services.chain!;
      const validators = chain.validatorThread;
      const restartsBefore = validators.restarts;
      const tidBefore = validators.osThread?.tid;
      validators.crash();
      await until('the thread is down', () => validators.status().length === 0, 10_000);
      // Orders are still acknowledged and trades print while no validator runs.
      const tradeIds: string[] = [];
      for (let i = 0; i < 2; i++) tradeIds.push(await crossOneKwh(seller, buyer, T));
      await untilFinal(t, tradeIds, 'settlements final after the thread restarted', 60_000);
      expect(validators.restarts).toBe(restartsBefore + 1);
      expect((await validators.freshStatus()).every((s) => s.running)).toBe(true);
      // The restarted thread lowers its own priority again.
      if (process.platform === 'linux') {
        expect(validators.osThread?.tid).not.toBe(tidBefore);
        expect(kernelNice(validators.osThread!.tid!)).toBe(10);
      }
      await expectIndexWholeAndSettledOnce(t);
    },
  );
});
