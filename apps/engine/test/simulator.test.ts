// The simulator over a short simulated window (manual clock, real chain): its participants are
// opened as real accounts with meters and deposits, then trade, send signed readings every
// interval, submit day-ahead curves before the gate and offer battery reserve — all through the
// exchange's procedures — and their intervals settle for delivery like anyone's.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/clock.ts';
import { createTestEngine, type TestEngine } from '../src/testing/engine.ts';
import { Simulator } from '../src/simulator/simulator.ts';
import { planRoster } from '../src/simulator/roster.ts';
import { until } from './support/process.ts';

const MIN = 60_000;
const START = Date.parse('2026-12-01T04:00:00Z'); // 11:00 ICT on a Tuesday, sun high

describe('the market simulator', () => {
  let t: TestEngine;
  let clock: ManualClock;
  let sim: Simulator;

  beforeAll(async () => {
    clock = new ManualClock(START);
    t = await createTestEngine({ chain: true, clock, label: 'simulator' });
    sim = new Simulator(t.engine.services, {
      participants: 16,
      seed: 7,
      ordersPerStep: 8,
      readingsPerStep: 200,
    });
    await sim.setup();
    const chain = t.engine.services.chain!;
    const accounts = await t.db.prisma.account.findMany({
      where: { email: { endsWith: '@sim.gridtokenx.local' } },
    });
    expect(accounts).toHaveLength(16);
    await until(
      'simulated deposits on chain',
      async () => {
        for (const a of accounts) {
          if (chain.query.balance(await chain.addressOf(a.id), 'THB') === 0n) return false;
        }
        return true;
      },
      60_000,
    );
  });
  afterAll(async () => {
    await sim?.stop();
    await t?.close();
  });

  it('plans a deterministic, zone-spread roster with the meters real sites have', () => {
    const plan = planRoster(300, 1);
    expect(planRoster(300, 1)).toEqual(plan);
    const zones = new Set(plan.map((p) => p.zone));
    expect(zones.size).toBe(5);
    expect(plan.filter((p) => p.archetype === 'battery').every((p) => p.meters.length === 2)).toBe(
      true,
    );
    expect(plan.filter((p) => p.zone === 'MEA-BKK').length).toBeGreaterThan(80);
  });

  it('trades, meters, bids day-ahead and offers reserve over a simulated hour and a half', async () => {
    for (let i = 0; i < 30; i++) {
      clock.advance(3 * MIN);
      await sim.step();
      await t.engine.tick();
    }
    const ids = (
      await t.db.prisma.account.findMany({
        where: { email: { endsWith: '@sim.gridtokenx.local' } },
        select: { id: true },
      })
    ).map((a) => a.id);
    expect(sim.stats.orders).toBeGreaterThan(20);
    expect(
      await t.db.prisma.order.count({ where: { accountId: { in: ids }, market: 'CONTINUOUS' } }),
    ).toBe(sim.stats.orders);
    expect(await t.db.prisma.trade.count({ where: { market: 'CONTINUOUS' } })).toBeGreaterThan(0);
    expect(sim.stats.dayAheadOrders).toBeGreaterThan(0);
    expect(sim.stats.reserveOffers).toBeGreaterThan(0);
    // Every meter reported every interval that ended in the window, none refused.
    const readings = await t.db.prisma.meterReading.count();
    expect(readings).toBe(sim.stats.readings);
    expect(readings).toBeGreaterThanOrEqual(18 * 5);
    expect(Object.keys(sim.stats.refused).filter((c) => c.startsWith('METER_'))).toEqual([]);
    // The intervals behind it settle for delivery.
    await until(
      'a simulated interval delivered',
      async () => {
        await t.engine.tick();
        return (await t.db.prisma.deliverySettlement.count()) > 0;
      },
      60_000,
    );
  });
});
