// The continuous-market pipeline against a real database: orders through the tRPC procedures,
// fills priced at the resting order, rows and settlement outbox written in the same commit,
// buying power, ownership, the calendar, halts, idempotent retries, and rebuilding the books
// from the command log to the same state hash.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TRPCError } from '@trpc/server';
import { ManualClock } from '../clock.ts';
import { domainCodeOf } from '../trpc/init.ts';
import {
  createTestEngine,
  MemoryBalances,
  type SignedIn,
  type TestEngine,
} from '../testing/engine.ts';
import { ContinuousMarkets } from './continuous.ts';
import { Reservations } from './funds.ts';
import { createLogger } from '../log.ts';

const NOW = Date.parse('2026-12-01T03:00:00Z'); // 10:00 ICT
const T = new Date('2026-12-01T06:00:00Z'); // the 13:00 ICT interval, open all test long
const iso = T.toISOString();

async function codeOf(p: Promise<unknown>): Promise<string | null | undefined> {
  try {
    await p;
    return undefined;
  } catch (e) {
    if (!(e instanceof TRPCError)) throw e;
    return domainCodeOf(e) ?? e.code;
  }
}

describe('continuous market pipeline', () => {
  let t: TestEngine;
  let balances: MemoryBalances;
  let clock: ManualClock;
  let seller: SignedIn;
  let buyer: SignedIn;
  let poor: SignedIn;

  beforeAll(async () => {
    balances = new MemoryBalances();
    clock = new ManualClock(NOW);
    t = await createTestEngine({ clock, balances, label: 'continuous' });
    seller = await t.signUp('seller@example.com');
    buyer = await t.signUp('buyer@example.com');
    poor = await t.signUp('poor@example.com');
    balances.thb.set(buyer.accountId, 1_000_000n); // 10 000 THB
  });
  afterAll(async () => t?.close());

  it('opens today’s remaining intervals and lists them', async () => {
    const anon = await t.caller();
    const { intervals } = await anon.market.intervals();
    expect(intervals.length).toBeGreaterThan(40);
    expect(intervals.every((i) => i.trading)).toBe(true);
    expect(intervals.some((i) => i.start.getTime() === T.getTime())).toBe(true);
  });

  it('fills a crossing buy at the resting sell’s price and records it durably (RT-1)', async () => {
    const rest = await seller.caller.orders.place({
      zone: 'MEA-BKK',
      intervalStart: iso,
      side: 'sell',
      type: 'limit',
      priceTicks: 35_000,
      quantityWh: 10_000,
      tif: 'GTC',
    });
    expect(rest.order.status).toBe('OPEN');
    const take = await buyer.caller.orders.place({
      zone: 'MEA-BKK',
      intervalStart: iso,
      side: 'buy',
      type: 'limit',
      priceTicks: 36_000,
      quantityWh: 4_000,
      tif: 'IOC',
    });
    expect(take.order.status).toBe('FILLED');
    expect(take.trades).toHaveLength(1);
    expect(take.trades[0]).toMatchObject({
      priceTicks: 35_000,
      quantityWh: 4_000,
      wheelingTicks: 0,
    });

    const trade = await t.db.prisma.trade.findUniqueOrThrow({ where: { id: take.trades[0]!.id } });
    expect(trade).toMatchObject({
      buyerId: buyer.accountId,
      sellerId: seller.accountId,
      priceTicks: 35_000,
    });
    expect(trade.notionalSatang).toBe(1_400n); // 4 kWh × 3.50 THB = 14.00 THB
    const outbox = await t.db.prisma.settlementOutbox.findUniqueOrThrow({
      where: { key: `trade:${trade.id}` },
    });
    expect(outbox.status).toBe('PENDING');
    const resting = await t.db.prisma.order.findUniqueOrThrow({ where: { id: rest.order.id } });
    expect(resting).toMatchObject({ status: 'PARTIALLY_FILLED', remainingWh: 6_000n });

    const book = await (await t.caller()).market.book({ zone: 'MEA-BKK', intervalStart: iso });
    expect(book.asks).toEqual([{ priceTicks: 35_000, quantityWh: 6_000, orderCount: 1 }]);
    expect(book.bids).toEqual([]);
  });

  it('refuses a buy the trader cannot pay for, and reserves for resting buys', async () => {
    expect(
      await codeOf(
        poor.caller.orders.place({
          zone: 'MEA-BKK',
          intervalStart: iso,
          side: 'buy',
          type: 'limit',
          priceTicks: 30_000,
          quantityWh: 1_000,
          tif: 'GTC',
        }),
      ),
    ).toBe('ORDER_INSUFFICIENT_FUNDS');
    const before = t.engine.services.reservations.available(buyer.accountId);
    const bid = await buyer.caller.orders.place({
      zone: 'MEA-BKK',
      intervalStart: iso,
      side: 'buy',
      type: 'limit',
      priceTicks: 30_000,
      quantityWh: 10_000,
      tif: 'GTC',
    });
    const held = before - t.engine.services.reservations.available(buyer.accountId);
    expect(held).toBeGreaterThanOrEqual(3_000n); // 10 kWh × 3.00 THB, plus wheeling headroom and fee
    expect(held).toBeLessThan(3_500n);
    await buyer.caller.orders.cancel({ orderId: bid.order.id });
    expect(t.engine.services.reservations.available(buyer.accountId)).toBe(before);
  });

  it('matches across a link with capacity, charging wheeling and consuming capacity (RT-4)', async () => {
    const capBefore = t.engine.services.markets.linkCapacity(T.getTime(), 'PEA-C', 'MEA-BKK')!;
    await seller.caller.orders.place({
      zone: 'PEA-C',
      intervalStart: iso,
      side: 'sell',
      type: 'limit',
      priceTicks: 30_000,
      quantityWh: 2_000,
      tif: 'GTC',
    });
    // Effective ask from PEA-C is 3.0000 + 0.1500 wheeling = 3.1500 < 3.5000 in MEA-BKK.
    const take = await buyer.caller.orders.place({
      zone: 'MEA-BKK',
      intervalStart: iso,
      side: 'buy',
      type: 'limit',
      priceTicks: 33_000,
      quantityWh: 2_000,
      tif: 'IOC',
    });
    expect(take.trades).toHaveLength(1);
    expect(take.trades[0]).toMatchObject({
      priceTicks: 30_000,
      wheelingTicks: 1_500,
      sellZone: 'PEA-C',
      buyZone: 'MEA-BKK',
    });
    expect(t.engine.services.markets.linkCapacity(T.getTime(), 'PEA-C', 'MEA-BKK')).toBe(
      capBefore - 2_000,
    );
    const row = await t.db.prisma.trade.findUniqueOrThrow({ where: { id: take.trades[0]!.id } });
    expect(row.wheelingSatang).toBe(30n); // 2 kWh × 0.15 THB
  });

  it('never lets a trader see or cancel another trader’s order', async () => {
    const mine = await seller.caller.orders.place({
      zone: 'PEA-N',
      intervalStart: iso,
      side: 'sell',
      type: 'limit',
      priceTicks: 40_000,
      quantityWh: 1_000,
      tif: 'GTC',
    });
    expect(await codeOf(buyer.caller.orders.cancel({ orderId: mine.order.id }))).toBe(
      'ORDER_NOT_FOUND',
    );
    expect(
      await codeOf(buyer.caller.orders.amend({ orderId: mine.order.id, quantityWh: 100 })),
    ).toBe('ORDER_NOT_FOUND');
    const theirs = await buyer.caller.orders.mine();
    expect(theirs.some((o) => o.id === mine.order.id)).toBe(false);
  });

  it('returns the first order for a retried clientOrderId instead of placing twice', async () => {
    const input = {
      zone: 'PEA-S',
      intervalStart: iso,
      side: 'sell' as const,
      type: 'limit' as const,
      priceTicks: 41_000,
      quantityWh: 500,
      tif: 'GTC' as const,
      clientOrderId: 'retry-1',
    };
    const first = await seller.caller.orders.place(input);
    const again = await seller.caller.orders.place(input);
    expect(again.order.id).toBe(first.order.id);
    expect(await t.db.prisma.order.count({ where: { clientOrderId: 'retry-1' } })).toBe(1);
  });

  it('rejects bad input with codes and never writes it', async () => {
    const bad = (over: object) =>
      codeOf(
        seller.caller.orders.place({
          zone: 'MEA-BKK',
          intervalStart: iso,
          side: 'sell',
          type: 'limit',
          priceTicks: 35_000,
          quantityWh: 1_000,
          tif: 'GTC',
          ...over,
        } as never),
      );
    expect(await bad({ priceTicks: 35_050 })).toBe('MATCH_PRICE_NOT_ON_TICK');
    expect(await bad({ priceTicks: 10_000_000 })).toBe('MATCH_PRICE_OUT_OF_BAND');
    expect(await bad({ quantityWh: 150 })).toBe('MATCH_QUANTITY_NOT_ON_LOT');
    expect(await bad({ zone: 'XX-NOPE' })).toBe('MARKET_UNKNOWN_ZONE');
    expect(await bad({ intervalStart: '2026-12-01T06:07:00Z' })).toBe('MARKET_UNKNOWN_INTERVAL');
    expect(await bad({ intervalStart: '2026-12-05T06:00:00Z' })).toBe('MARKET_NOT_OPEN');
    expect(await bad({ quantityWh: -5 })).toBe('VALIDATION_FAILED');
    expect(await bad({ extra: 1 })).toBe('VALIDATION_FAILED');
  });

  it('keeps time priority when the quantity goes down and loses it on a price change', async () => {
    const a = await seller.caller.orders.place({
      zone: 'PEA-NE',
      intervalStart: iso,
      side: 'sell',
      type: 'limit',
      priceTicks: 38_000,
      quantityWh: 2_000,
      tif: 'GTC',
    });
    const amended = await seller.caller.orders.amend({ orderId: a.order.id, quantityWh: 1_000 });
    expect(amended.order.remainingWh).toBe(1_000);
    const repriced = await seller.caller.orders.amend({ orderId: a.order.id, priceTicks: 37_900 });
    expect(repriced.order.priceTicks).toBe(37_900);
  });

  it('rejects orders in a halted zone and accepts them again after resume', async () => {
    await t.engine.services.markets.haltZone('PEA-S', null);
    expect(
      await codeOf(
        seller.caller.orders.place({
          zone: 'PEA-S',
          intervalStart: iso,
          side: 'sell',
          type: 'limit',
          priceTicks: 35_000,
          quantityWh: 1_000,
          tif: 'GTC',
        }),
      ),
    ).toBe('MATCH_ZONE_HALTED');
    await t.engine.services.markets.resumeZone('PEA-S', null);
    const ok = await seller.caller.orders.place({
      zone: 'PEA-S',
      intervalStart: iso,
      side: 'sell',
      type: 'limit',
      priceTicks: 35_000,
      quantityWh: 1_000,
      tif: 'GTC',
    });
    expect(ok.order.status).toBe('OPEN');
  });

  it('rebuilds every book from the command log to the same state hash', async () => {
    await t.engine.services.markets.journal.drain();
    const before = t.engine.services.markets.stateHashes();
    const rebuilt = new ContinuousMarkets({
      db: t.db,
      clock,
      logger: createLogger('silent'),
      publish: () => undefined,
      epoch: 'x',
      roomSeq: () => 0,
      reservations: new Reservations(balances),
    });
    await rebuilt.start();
    expect(rebuilt.stateHashes()).toEqual(before);
    expect(rebuilt.openOrderCount).toBe(t.engine.services.markets.openOrderCount);
  });

  it('expires resting orders when the interval closes, 5 minutes before delivery', async () => {
    const early = new Date('2026-12-01T03:30:00Z');
    const o = await seller.caller.orders.place({
      zone: 'MEA-BKK',
      intervalStart: early.toISOString(),
      side: 'sell',
      type: 'limit',
      priceTicks: 35_000,
      quantityWh: 1_000,
      tif: 'GTC',
    });
    clock.set(Date.parse('2026-12-01T03:25:00Z'));
    await t.engine.tick();
    await t.engine.services.markets.journal.drain();
    const row = await t.db.prisma.order.findUniqueOrThrow({ where: { id: o.order.id } });
    expect(row.status).toBe('EXPIRED');
    expect(
      await codeOf(
        seller.caller.orders.place({
          zone: 'MEA-BKK',
          intervalStart: early.toISOString(),
          side: 'sell',
          type: 'limit',
          priceTicks: 35_000,
          quantityWh: 1_000,
          tif: 'GTC',
        }),
      ),
    ).toBe('MARKET_CLOSED');
  });
});
