// Scenario tests of the continuous market, one rule of docs/spec/matching.md each (RT-1…RT-15).
import { describe, expect, it } from 'vitest';
import { MatchingError } from './errors.ts';
import { createMarket, restoreMarket } from './market.ts';
import type { MarketConfig, MarketEvent, PlaceCommand } from './types.ts';

const spec = {
  tickSizeTicks: 5,
  lotSizeWh: 100,
  minQuantityWh: 100,
  maxQuantityWh: 10_000,
  priceFloorTicks: 100,
  priceCapTicks: 1_000,
};
const twoZones: MarketConfig = {
  zones: ['A', 'B'],
  links: [{ from: 'A', to: 'B', capacityWh: 500, wheelingTicks: 10 }],
  spec,
};

function place(
  orderId: string,
  accountId: string,
  zone: string,
  side: 'buy' | 'sell',
  priceTicks: number,
  quantityWh: number,
  extra: Partial<PlaceCommand> = {},
): PlaceCommand {
  return {
    kind: 'place',
    orderId,
    accountId,
    zone,
    side,
    type: 'limit',
    priceTicks,
    quantityWh,
    tif: 'GTC',
    ...extra,
  };
}

const fills = (events: MarketEvent[]) =>
  events.flatMap((e) =>
    e.type === 'fill' ? [[e.makerOrderId, e.priceTicks, e.quantityWh, e.wheelingTicks]] : [],
  );
const codes = (events: MarketEvent[]) =>
  events.flatMap((e) => (e.type === 'rejected' ? [e.code] : []));

describe('continuous market scenarios', () => {
  it('RT-1 refuses orders outside the spec, each with its code', () => {
    const m = createMarket(twoZones);
    expect(codes(m.apply(place('a', 'x', 'A', 'buy', 95, 100)))).toEqual([
      'MATCH_PRICE_OUT_OF_BAND',
    ]);
    expect(codes(m.apply(place('a', 'x', 'A', 'buy', 1_005, 100)))).toEqual([
      'MATCH_PRICE_OUT_OF_BAND',
    ]);
    expect(codes(m.apply(place('a', 'x', 'A', 'buy', 102, 100)))).toEqual([
      'MATCH_PRICE_NOT_ON_TICK',
    ]);
    expect(codes(m.apply(place('a', 'x', 'A', 'buy', 100, 150)))).toEqual([
      'MATCH_QUANTITY_NOT_ON_LOT',
    ]);
    expect(codes(m.apply(place('a', 'x', 'A', 'buy', 100, 0)))).toEqual([
      'MATCH_QUANTITY_TOO_SMALL',
    ]);
    expect(codes(m.apply(place('a', 'x', 'A', 'buy', 100, 10_100)))).toEqual([
      'MATCH_QUANTITY_TOO_LARGE',
    ]);
    expect(codes(m.apply(place('a', 'x', 'Z', 'buy', 100, 100)))).toEqual(['MATCH_UNKNOWN_ZONE']);
    expect(codes(m.apply(place('a', 'x', 'A', 'buy', 100.5, 100)))).toEqual([
      'MATCH_INVALID_FIELD',
    ]);
    expect(m.order('a')).toBeUndefined();
  });

  it('RT-2 same price goes to the earlier order; better effective price beats time', () => {
    const m = createMarket(twoZones);
    m.apply(place('s1', 'x', 'B', 'sell', 200, 100));
    m.apply(place('s2', 'y', 'B', 'sell', 200, 100));
    m.apply(place('s3', 'z', 'A', 'sell', 185, 100)); // effective 195 in B: best
    m.apply(place('s4', 'z', 'A', 'sell', 190, 100)); // effective 200: ties s1/s2 but later
    const events = m.apply(place('b', 'w', 'B', 'buy', 200, 400));
    expect(fills(events)).toEqual([
      ['s3', 185, 100, 10],
      ['s1', 200, 100, 0],
      ['s2', 200, 100, 0],
      ['s4', 190, 100, 10],
    ]);
  });

  it('RT-3 a cross-zone fill prints at the resting price, and consumes link capacity', () => {
    const m = createMarket(twoZones);
    m.apply(place('s', 'x', 'A', 'sell', 100, 1_000));
    const events = m.apply(place('b', 'y', 'B', 'buy', 120, 800));
    expect(fills(events)).toEqual([['s', 100, 500, 10]]);
    expect(m.linkCapacity('A', 'B')).toBe(0);
    expect(m.bestBid('B')).toBe(120);
    // A sell in B never reaches a buy in A: there is no link B→A.
    expect(fills(m.apply(place('s2', 'z', 'B', 'sell', 100, 100)))).toEqual([['b', 120, 100, 0]]);
  });

  it('RT-3 a buyer whose limit is below price + wheeling does not trade across', () => {
    const m = createMarket(twoZones);
    m.apply(place('s', 'x', 'A', 'sell', 100, 100));
    expect(fills(m.apply(place('b', 'y', 'B', 'buy', 105, 100)))).toEqual([]);
    m.checkInvariants();
  });

  it('RT-4 IOC and market remainders are cancelled; FOK all or nothing', () => {
    const m = createMarket(twoZones);
    m.apply(place('s', 'x', 'A', 'sell', 200, 300));
    const ioc = m.apply(place('i', 'y', 'A', 'buy', 200, 500, { tif: 'IOC' }));
    expect(ioc.at(-1)).toMatchObject({
      type: 'cancelled',
      orderId: 'i',
      remainingWh: 200,
      reason: 'unfilled',
    });
    m.apply(place('s2', 'x', 'A', 'sell', 300, 300));
    expect(codes(m.apply(place('f', 'y', 'A', 'buy', 300, 400, { tif: 'FOK' })))).toEqual([
      'MATCH_FOK_UNFILLABLE',
    ]);
    expect(m.order('s2')?.remainingWh).toBe(300);
    const market = m.apply(place('mk', 'y', 'A', 'buy', 250, 300, { type: 'market', tif: 'IOC' }));
    expect(fills(market)).toEqual([]);
    expect(market.at(-1)).toMatchObject({ type: 'cancelled', reason: 'unfilled' });
    expect(fills(m.apply(place('f2', 'y', 'A', 'buy', 300, 300, { tif: 'FOK' })))).toEqual([
      ['s2', 300, 300, 0],
    ]);
  });

  it('RT-5 post-only never takes liquidity', () => {
    const m = createMarket(twoZones);
    m.apply(place('s', 'x', 'A', 'sell', 200, 300));
    expect(codes(m.apply(place('p', 'y', 'B', 'buy', 210, 100, { postOnly: true })))).toEqual([
      'MATCH_POST_ONLY_WOULD_CROSS',
    ]);
    expect(codes(m.apply(place('p', 'y', 'B', 'buy', 205, 100, { postOnly: true })))).toEqual([]);
    expect(
      codes(m.apply(place('q', 'y', 'B', 'buy', 100, 100, { postOnly: true, tif: 'IOC' }))),
    ).toEqual(['MATCH_POST_ONLY_NOT_GTC_LIMIT']);
    expect(
      codes(m.apply({ kind: 'amend', orderId: 'p', accountId: 'y', priceTicks: 210 })),
    ).toEqual(['MATCH_POST_ONLY_WOULD_CROSS']);
    expect(m.order('p')).toMatchObject({ priceTicks: 205, status: 'open' });
  });

  it('RT-6 self-trade prevention cancels the resting order and keeps matching', () => {
    const m = createMarket(twoZones);
    m.apply(place('own', 'x', 'A', 'sell', 200, 100));
    m.apply(place('other', 'y', 'A', 'sell', 200, 100));
    const events = m.apply(place('b', 'x', 'A', 'buy', 200, 100));
    expect(events[1]).toMatchObject({ type: 'cancelled', orderId: 'own', reason: 'selfTrade' });
    expect(fills(events)).toEqual([['other', 200, 100, 0]]);
  });

  it('RT-7 cancel checks the owner and is idempotent', () => {
    const m = createMarket(twoZones);
    m.apply(place('a', 'x', 'A', 'buy', 200, 100));
    expect(codes(m.apply({ kind: 'cancel', orderId: 'a', accountId: 'y' }))).toEqual([
      'MATCH_NOT_OWNER',
    ]);
    expect(m.apply({ kind: 'cancel', orderId: 'a', accountId: 'x' })[0]).toMatchObject({
      type: 'cancelled',
      remainingWh: 100,
    });
    const hash = m.stateHash();
    expect(codes(m.apply({ kind: 'cancel', orderId: 'a', accountId: 'x' }))).toEqual([
      'MATCH_ORDER_NOT_OPEN',
    ]);
    expect(codes(m.apply({ kind: 'cancel', orderId: 'nope', accountId: 'x' }))).toEqual([
      'MATCH_UNKNOWN_ORDER',
    ]);
    expect(m.stateHash()).toBe(hash);
  });

  it('RT-8 amend down keeps priority; up and price changes lose it', () => {
    const m = createMarket(twoZones);
    m.apply(place('a', 'x', 'A', 'sell', 200, 500));
    m.apply(place('b', 'y', 'A', 'sell', 200, 500));
    expect(
      m.apply({ kind: 'amend', orderId: 'a', accountId: 'x', quantityWh: 300 })[0],
    ).toMatchObject({ priorityKept: true });
    expect(m.book('A').asks.map((e) => e.orderId)).toEqual(['a', 'b']);
    expect(
      m.apply({ kind: 'amend', orderId: 'a', accountId: 'x', quantityWh: 400 })[0],
    ).toMatchObject({ priorityKept: false });
    expect(m.book('A').asks.map((e) => e.orderId)).toEqual(['b', 'a']);
    m.apply({ kind: 'amend', orderId: 'b', accountId: 'y', priceTicks: 205 });
    m.apply({ kind: 'amend', orderId: 'b', accountId: 'y', priceTicks: 200 });
    expect(m.book('A').asks.map((e) => e.orderId)).toEqual(['a', 'b']);
    expect(
      codes(m.apply({ kind: 'amend', orderId: 'b', accountId: 'y', priceTicks: 200 })),
    ).toEqual(['MATCH_AMEND_NO_CHANGE']);
    m.apply(place('c', 'z', 'A', 'buy', 150, 1_000));
    const crossing = m.apply({ kind: 'amend', orderId: 'c', accountId: 'z', priceTicks: 200 });
    expect(fills(crossing)).toEqual([
      ['a', 200, 400, 0],
      ['b', 200, 500, 0],
    ]);
    expect(m.order('c')).toMatchObject({
      remainingWh: 100,
      filledWh: 900,
      quantityWh: 1_000,
      status: 'open',
    });
  });

  it('RT-9 close expires every open order and refuses later ones', () => {
    const m = createMarket(twoZones);
    m.apply(place('a', 'x', 'A', 'buy', 200, 100));
    m.apply(place('b', 'x', 'B', 'sell', 900, 100));
    const events = m.apply({ kind: 'close' });
    expect(events.map((e) => e.type)).toEqual(['expired', 'expired', 'marketClosed']);
    expect(codes(m.apply(place('c', 'x', 'A', 'buy', 200, 100)))).toEqual(['MATCH_MARKET_CLOSED']);
    expect(m.order('a')?.status).toBe('expired');
  });

  it('RT-10 a halted zone loses its orders and refuses new ones until resumed', () => {
    const m = createMarket(twoZones);
    m.apply(place('a', 'x', 'A', 'sell', 200, 100));
    m.apply(place('b', 'x', 'B', 'sell', 200, 100));
    expect(m.apply({ kind: 'haltZone', zone: 'A' })[0]).toMatchObject({
      type: 'cancelled',
      orderId: 'a',
      reason: 'halt',
    });
    expect(codes(m.apply(place('c', 'y', 'A', 'buy', 200, 100)))).toEqual(['MATCH_ZONE_HALTED']);
    m.apply({ kind: 'resumeZone', zone: 'A' });
    expect(codes(m.apply(place('c', 'y', 'A', 'buy', 200, 100)))).toEqual([]);
    expect(m.order('b')?.status).toBe('open');
  });

  it('RT-11 raising link capacity trades orders that now cross; the older is maker', () => {
    const m = createMarket({
      ...twoZones,
      links: [{ from: 'A', to: 'B', capacityWh: 0, wheelingTicks: 10 }],
    });
    m.apply(place('bid', 'y', 'B', 'buy', 300, 500));
    m.apply(place('ask', 'x', 'A', 'sell', 250, 300));
    const events = m.apply({ kind: 'setLinkCapacity', from: 'A', to: 'B', capacityWh: 200 });
    expect(events[1]).toMatchObject({
      type: 'fill',
      makerOrderId: 'bid',
      takerOrderId: 'ask',
      priceTicks: 300,
      quantityWh: 200,
      wheelingTicks: 10,
    });
    expect(m.linkCapacity('A', 'B')).toBe(0);
    m.checkInvariants();
    expect(codes(m.apply({ kind: 'setLinkCapacity', from: 'B', to: 'A', capacityWh: 5 }))).toEqual([
      'MATCH_UNKNOWN_LINK',
    ]);
  });

  it('RT-14 rejects a reused order id but not the id of a rejected order', () => {
    const m = createMarket(twoZones);
    m.apply(place('a', 'x', 'A', 'buy', 95, 100));
    expect(codes(m.apply(place('a', 'x', 'A', 'buy', 200, 100)))).toEqual([]);
    expect(codes(m.apply(place('a', 'x', 'A', 'buy', 200, 100)))).toEqual([
      'MATCH_DUPLICATE_ORDER_ID',
    ]);
  });

  it('RT-15 a restored snapshot has the same hash and continues identically', () => {
    const m = createMarket(twoZones);
    m.apply(place('a', 'x', 'A', 'sell', 200, 500));
    m.apply(place('b', 'y', 'B', 'buy', 205, 300));
    m.apply(place('c', 'z', 'A', 'sell', 200, 200));
    const copy = restoreMarket(
      JSON.parse(JSON.stringify(m.snapshot())) as ReturnType<typeof m.snapshot>,
    );
    expect(copy.stateHash()).toBe(m.stateHash());
    const next = place('d', 'w', 'B', 'buy', 215, 600);
    expect(copy.apply(next)).toEqual(m.apply(next));
    expect(copy.stateHash()).toBe(m.stateHash());
    expect(m.stateHash()).toMatch(/^[0-9a-f]{64}$/);
  });

  it('throws MatchingError for a bad configuration or a corrupt snapshot', () => {
    expect(() => createMarket({ ...twoZones, zones: ['A', 'A'] })).toThrow(MatchingError);
    const m = createMarket(twoZones);
    m.apply(place('a', 'x', 'A', 'sell', 200, 500));
    const snap = m.snapshot();
    const corrupt = {
      ...snap,
      orders: snap.orders.map((o) => ({ ...o, remainingWh: o.remainingWh + 1 })),
    };
    expect(() => restoreMarket(corrupt)).toThrow(MatchingError);
  });

  it('depth aggregates levels best first', () => {
    const m = createMarket(twoZones);
    m.apply(place('a', 'x', 'A', 'buy', 200, 100));
    m.apply(place('b', 'y', 'A', 'buy', 200, 300));
    m.apply(place('c', 'y', 'A', 'buy', 195, 100));
    m.apply(place('d', 'y', 'A', 'sell', 250, 100));
    expect(m.depth('A', 1)).toEqual({
      zone: 'A',
      bids: [{ priceTicks: 200, quantityWh: 400, orderCount: 2 }],
      asks: [{ priceTicks: 250, quantityWh: 100, orderCount: 1 }],
    });
    expect(m.bestBid('A')).toBe(200);
    expect(m.bestAsk('A')).toBe(250);
    expect(m.bestAsk('B')).toBeNull();
  });
});
