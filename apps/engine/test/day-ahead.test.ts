// A day-ahead day on a manual clock against the real chain: orders for tomorrow until gate
// closure (D-1 12:00 ICT), clearing at closure with uniform zonal prices, results and each
// acceptance as a trade against the clearing house, settled on chain; the gate then refuses.
import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/clock.ts';
import { createTestEngine, type SignedIn, type TestEngine } from '../src/testing/engine.ts';
import { domainCodeOf } from '../src/trpc/init.ts';
import { until } from './support/process.ts';

const MORNING = Date.parse('2026-12-01T03:00:00Z'); // 10:00 ICT on 1 Dec
const NOON = Date.parse('2026-12-01T05:00:00Z'); // 12:00 ICT: gate closure for 2 Dec
const at = (hhmmIct: string) =>
  new Date(Date.parse(`2026-12-02T${hhmmIct}:00+07:00`)).toISOString();

describe('day-ahead auction, end to end', () => {
  let t: TestEngine;
  let clock: ManualClock;
  let seller: SignedIn;
  let buyer: SignedIn;

  beforeAll(async () => {
    clock = new ManualClock(MORNING);
    t = await createTestEngine({ chain: true, clock, label: 'dayahead' });
    seller = await t.signUp('solar@example.com');
    buyer = await t.signUp('factory@example.com');
    const admin = await t.signIn('admin@gridtokenx.local', 'admin-demo-2026');
    await admin.caller.wallet.deposit({
      accountId: buyer.accountId,
      amountSatang: 5_000_000n,
      reference: 'da-fund',
    });
    await until(
      'funds',
      async () => (await buyer.caller.wallet.balances()).thbSatang === 5_000_000n,
    );
  });
  afterAll(async () => t?.close());

  it('takes a curve and a block before the gate, clears at 12:00 ICT, settles on chain', async () => {
    const calendar = await (await t.caller()).dayAhead.calendar();
    expect(calendar.day).toBe('2026-12-02');
    expect(calendar.gateClosure.toISOString()).toBe('2026-12-01T05:00:00.000Z');

    // A supply step and a demand curve at 13:00 ICT in MEA-BKK; a sell block over 12:00–13:00.
    const { orderIds } = await seller.caller.dayAhead.submit({
      orders: [
        {
          kind: 'simple',
          zone: 'MEA-BKK',
          side: 'sell',
          intervalStart: at('13:00'),
          priceTicks: 25_000,
          quantityWh: 20_000,
        },
        {
          kind: 'block',
          zone: 'PEA-C',
          side: 'sell',
          priceTicks: 20_000,
          profile: ['12:00', '12:15', '12:30', '12:45'].map((h) => ({
            intervalStart: at(h),
            quantityWh: 10_000,
          })),
        },
      ],
    });
    await buyer.caller.dayAhead.submit({
      orders: [
        {
          kind: 'simple',
          zone: 'MEA-BKK',
          side: 'buy',
          intervalStart: at('13:00'),
          priceTicks: 40_000,
          quantityWh: 8_000,
        },
        {
          kind: 'simple',
          zone: 'MEA-BKK',
          side: 'buy',
          intervalStart: at('13:00'),
          priceTicks: 30_000,
          quantityWh: 8_000,
        },
        {
          kind: 'simple',
          zone: 'PEA-C',
          side: 'buy',
          intervalStart: at('12:00'),
          priceTicks: 45_000,
          quantityWh: 10_000,
        },
        {
          kind: 'simple',
          zone: 'PEA-C',
          side: 'buy',
          intervalStart: at('12:15'),
          priceTicks: 45_000,
          quantityWh: 10_000,
        },
        {
          kind: 'simple',
          zone: 'PEA-C',
          side: 'buy',
          intervalStart: at('12:30'),
          priceTicks: 45_000,
          quantityWh: 10_000,
        },
        {
          kind: 'simple',
          zone: 'PEA-C',
          side: 'buy',
          intervalStart: at('12:45'),
          priceTicks: 45_000,
          quantityWh: 10_000,
        },
      ],
    });
    const mine = await seller.caller.dayAhead.mine();
    expect(mine.orders.map((o) => o.id).sort()).toEqual([...orderIds].sort());
    expect((await (await t.caller()).dayAhead.results({ day: '2026-12-02' })).published).toBe(
      false,
    );

    clock.set(NOON);
    await t.engine.tick();
    const results = await (await t.caller()).dayAhead.results({ day: '2026-12-02' });
    if (!results.published) throw new Error('results not published');
    expect(results.prices).toHaveLength(5 * 96);
    const bkk13 = results.prices.find(
      (p) => p.zone === 'MEA-BKK' && p.intervalStart === Date.parse(at('13:00')),
    )!;
    // 16 kWh demand (8 at 4.00, 8 at 3.00) meets 20 kWh supply at 2.50: all 16 kWh clear, and
    // the price lies between the marginal seller (2.50) and the cheapest accepted buyer (3.00).
    expect(bkk13.buyWh).toBe(16_000);
    expect(bkk13.priceTicks).toBeGreaterThanOrEqual(25_000);
    expect(bkk13.priceTicks).toBeLessThanOrEqual(30_000);
    const block = (await seller.caller.dayAhead.mine({ day: '2026-12-02' })).orders.find(
      (o) => o.kind === 'block',
    )!;
    expect(block.accepted.map((a) => a.quantityWh)).toEqual([10_000, 10_000, 10_000, 10_000]);

    // Each acceptance is a trade against the clearing house, settled on chain.
    const fills = await buyer.caller.orders.fills();
    const daFills = fills.filter((f) => f.market === 'DAY_AHEAD');
    expect(daFills.reduce((s, f) => s + f.quantityWh, 0)).toBe(16_000 + 40_000);
    await until(
      'day-ahead settlements final',
      async () =>
        (await t.db.prisma.trade.count({
          where: { market: 'DAY_AHEAD', settlementStatus: { not: 'FINAL' } },
        })) === 0,
    ).catch(async (e: unknown) => {
      const rows = await t.db.pool.query(
        `SELECT status, attempts, last_error, payload->>'buyerId' AS b FROM settlement_outbox WHERE status <> 'FINAL'`,
      );
      throw new Error(`${String(e)} ${JSON.stringify(rows.rows)}`);
    });
    const escrowed = (await buyer.caller.wallet.balances()).escrowedSatang;
    const owed = daFills.reduce((s, f) => s + f.notionalSatang + f.feeSatang, 0n);
    expect(escrowed).toBe(owed);
  });

  it('refuses orders and cancellations once the gate has closed, and never clears a day twice', async () => {
    const late = seller.caller.dayAhead.submit({
      orders: [
        {
          kind: 'simple',
          zone: 'MEA-BKK',
          side: 'sell',
          intervalStart: at('15:00'),
          priceTicks: 25_000,
          quantityWh: 1_000,
        },
      ],
    });
    await expect(late).rejects.toSatisfy(
      (e: unknown) => e instanceof TRPCError && domainCodeOf(e) === 'MARKET_GATE_CLOSED',
    );
    const before = await t.db.prisma.trade.count({ where: { market: 'DAY_AHEAD' } });
    await t.engine.services.dayAhead.tick();
    await t.engine.tick();
    expect(await t.db.prisma.trade.count({ where: { market: 'DAY_AHEAD' } })).toBe(before);
    expect(await t.db.prisma.auctionRun.count({ where: { day: '2026-12-02' } })).toBe(1);
  });

  it('gives the real-time market only the link capacity the auction left', async () => {
    const flows = await t.db.prisma.auctionFlow.findMany({ where: { day: '2026-12-02' } });
    clock.set(Date.parse('2026-12-01T09:00:00Z')); // 16:00 ICT: continuous trading for 2 Dec opens
    await t.engine.tick();
    for (const f of flows) {
      const link = await t.db.prisma.link.findUniqueOrThrow({
        where: { fromZone_toZone: { fromZone: f.fromZone, toZone: f.toZone } },
      });
      const left = t.engine.services.markets.linkCapacity(
        f.intervalStart.getTime(),
        f.fromZone,
        f.toZone,
      );
      expect(left).toBe(Number(link.capacityWh - f.quantityWh));
    }
  });
});
