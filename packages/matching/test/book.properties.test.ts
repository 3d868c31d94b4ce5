// fast-check properties of the continuous market over arbitrary command sequences with
// cross-zone links: never crossed (RT-12), volume conserved (RT-13), capacity never negative and
// spent exactly by cross-zone fills (RT-3), priority respected (RT-2), cancel idempotent (RT-7),
// snapshot and replay equivalent (RT-15).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createMarket, restoreMarket } from '../src/index.ts';
import type { MarketCommand, MarketConfig, MarketEvent } from '../src/index.ts';
import { fuzzRuns } from './rng.ts';

const config: MarketConfig = {
  zones: ['A', 'B', 'C'],
  links: [
    { from: 'A', to: 'B', capacityWh: 800, wheelingTicks: 5 },
    { from: 'B', to: 'A', capacityWh: 300, wheelingTicks: 0 },
    { from: 'C', to: 'B', capacityWh: 500, wheelingTicks: 10 },
  ],
  spec: {
    tickSizeTicks: 5,
    lotSizeWh: 100,
    minQuantityWh: 100,
    maxQuantityWh: 2_000,
    priceFloorTicks: 100,
    priceCapTicks: 200,
  },
};

const id = fc.integer({ min: 0, max: 30 }).map((n) => `o${n}`);
const account = fc.constantFrom('x', 'y', 'z');
const zone = fc.constantFrom('A', 'B', 'C');
const price = fc.integer({ min: 20, max: 40 }).map((n) => n * 5);
const quantity = fc.integer({ min: 1, max: 20 }).map((n) => n * 100);

const command: fc.Arbitrary<MarketCommand> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('place' as const),
      orderId: id,
      accountId: account,
      zone,
      side: fc.constantFrom('buy' as const, 'sell' as const),
      type: fc.constantFrom('limit' as const, 'limit' as const, 'market' as const),
      priceTicks: price,
      quantityWh: quantity,
      tif: fc.constantFrom('GTC' as const, 'GTC' as const, 'IOC' as const, 'FOK' as const),
      postOnly: fc.boolean(),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('cancel' as const), orderId: id, accountId: account }),
  },
  {
    weight: 2,
    arbitrary: fc.record(
      {
        kind: fc.constant('amend' as const),
        orderId: id,
        accountId: account,
        quantityWh: quantity,
        priceTicks: price,
      },
      { requiredKeys: ['kind', 'orderId', 'accountId'] },
    ),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('setLinkCapacity' as const),
      from: fc.constantFrom('A', 'C'),
      to: fc.constant('B'),
      capacityWh: fc.integer({ min: 0, max: 10 }).map((n) => n * 100),
    }),
  },
);

const runs = { numRuns: fuzzRuns(300), seed: 20_251_129 };

describe('continuous market properties', () => {
  it('RT-12 RT-13 RT-3: never crossed, every Wh accounted for, capacity spent exactly', () => {
    fc.assert(
      fc.property(fc.array(command, { maxLength: 120 }), (commands) => {
        const m = createMarket(config);
        const remaining = new Map<string, number>();
        const caps = new Map(config.links.map((l) => [`${l.from}>${l.to}`, l.capacityWh]));
        for (const c of commands) {
          for (const e of m.apply(c)) {
            switch (e.type) {
              case 'accepted':
                remaining.set(e.orderId, e.quantityWh);
                break;
              case 'amended':
                remaining.set(e.orderId, e.remainingWh);
                break;
              case 'fill': {
                remaining.set(e.makerOrderId, remaining.get(e.makerOrderId)! - e.quantityWh);
                remaining.set(e.takerOrderId, remaining.get(e.takerOrderId)! - e.quantityWh);
                if (e.makerZone !== e.takerZone) {
                  const key =
                    e.takerSide === 'buy'
                      ? `${e.makerZone}>${e.takerZone}`
                      : `${e.takerZone}>${e.makerZone}`;
                  caps.set(key, caps.get(key)! - e.quantityWh);
                }
                break;
              }
              case 'cancelled':
              case 'expired':
                expect(e.remainingWh).toBe(remaining.get(e.orderId));
                break;
              case 'linkCapacity':
                caps.set(`${e.from}>${e.to}`, e.capacityWh);
                break;
              case 'rejected':
              case 'zoneHalted':
              case 'zoneResumed':
              case 'marketClosed':
                break;
            }
          }
          m.checkInvariants();
        }
        for (const [orderId, left] of remaining) {
          const view = m.order(orderId)!;
          expect(view.remainingWh).toBe(left);
          expect(view.filledWh + view.remainingWh).toBe(view.quantityWh);
        }
        for (const l of config.links) {
          const cap = m.linkCapacity(l.from, l.to)!;
          expect(cap).toBeGreaterThanOrEqual(0);
          expect(cap).toBe(caps.get(`${l.from}>${l.to}`));
        }
      }),
      runs,
    );
  });

  it('RT-2: a taker fills best effective price first, always within its limit', () => {
    fc.assert(
      fc.property(fc.array(command, { maxLength: 120 }), (commands) => {
        const m = createMarket(config);
        for (const c of commands) {
          const events = m.apply(c);
          if (c.kind !== 'place') continue;
          const taker = events.filter(
            (e): e is Extract<MarketEvent, { type: 'fill' }> =>
              e.type === 'fill' && e.takerOrderId === c.orderId,
          );
          const effective = taker.map((f) =>
            c.side === 'buy' ? f.priceTicks + f.wheelingTicks : f.priceTicks - f.wheelingTicks,
          );
          for (let i = 0; i < effective.length; i++) {
            if (c.side === 'buy') expect(effective[i]).toBeLessThanOrEqual(c.priceTicks);
            else expect(effective[i]).toBeGreaterThanOrEqual(c.priceTicks);
            if (i > 0 && c.side === 'buy')
              expect(effective[i]).toBeGreaterThanOrEqual(effective[i - 1]!);
            if (i > 0 && c.side === 'sell')
              expect(effective[i]).toBeLessThanOrEqual(effective[i - 1]!);
          }
        }
      }),
      runs,
    );
  });

  it('RT-7: cancelling twice leaves the same state as cancelling once', () => {
    fc.assert(
      fc.property(
        fc.array(command, { maxLength: 60 }),
        id,
        account,
        (commands, orderId, accountId) => {
          const m = createMarket(config);
          for (const c of commands) m.apply(c);
          m.apply({ kind: 'cancel', orderId, accountId });
          const once = m.stateHash();
          const again = m.apply({ kind: 'cancel', orderId, accountId });
          expect(again.map((e) => e.type)).toEqual(['rejected']);
          expect(m.stateHash()).toBe(once);
        },
      ),
      runs,
    );
  });

  it('RT-15: snapshot-restore equals replay, hash and future events alike', () => {
    fc.assert(
      fc.property(
        fc.array(command, { maxLength: 80 }),
        fc.array(command, { maxLength: 40 }),
        (before, after) => {
          const live = createMarket(config);
          for (const c of before) live.apply(c);
          const restored = restoreMarket(
            JSON.parse(JSON.stringify(live.snapshot())) as ReturnType<typeof live.snapshot>,
          );
          const replayed = createMarket(config);
          for (const c of before) replayed.apply(c);
          expect(restored.stateHash()).toBe(live.stateHash());
          expect(replayed.stateHash()).toBe(live.stateHash());
          for (const c of after) expect(restored.apply(c)).toEqual(live.apply(c));
          expect(restored.stateHash()).toBe(live.stateHash());
        },
      ),
      runs,
    );
  });
});
