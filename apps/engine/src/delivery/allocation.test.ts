// DEL-1 and DEL-2: the delivery allocation and the imbalance price, as pure functions — pro rata
// with the largest-remainder rule, resellers settled after what feeds them, cycles broken
// deterministically, never more delivered than traded or available.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allocate, proRata } from './allocation.ts';
import { imbalancePrice } from './pricing.ts';

describe('DEL-1 delivery allocation', () => {
  it('covers every trade in full when the seller metered enough', () => {
    const r = proRata(
      [
        { id: 'a', quantityWh: 3_000n },
        { id: 'b', quantityWh: 2_000n },
      ],
      6_000n,
    );
    expect([...r.values()]).toEqual([3_000n, 2_000n]);
  });

  it('splits a shortfall pro rata; leftover Wh go to the largest remainders, ties by id', () => {
    const r = proRata(
      [
        { id: 'b', quantityWh: 1n },
        { id: 'a', quantityWh: 1n },
        { id: 'c', quantityWh: 1n },
      ],
      2n,
    );
    expect(Object.fromEntries(r)).toEqual({ a: 1n, b: 1n, c: 0n });
  });

  it('lets a reseller deliver what its purchases delivered, and the clearing house pass on', () => {
    const { deliveredWh, order } = allocate({
      trades: [
        // The reseller R buys 4 kWh from P and sells 4 kWh on; P metered only 3 kWh.
        { id: 'T2', sellerId: 'R', buyerId: 'C', sellZone: 'Z', buyZone: 'Z', quantityWh: 4_000n },
        { id: 'T1', sellerId: 'P', buyerId: 'R', sellZone: 'Z', buyZone: 'Z', quantityWh: 4_000n },
        // The clearing house buys in zone N and sells in zone C.
        { id: 'A1', sellerId: 'H', buyerId: 'CH', sellZone: 'N', buyZone: 'N', quantityWh: 5_000n },
        { id: 'A2', sellerId: 'CH', buyerId: 'F', sellZone: 'C', buyZone: 'C', quantityWh: 5_000n },
      ],
      injectionWh: new Map([
        ['P|Z', 3_000n],
        ['H|N', 5_000n],
      ]),
      pooled: new Set(['CH']),
    });
    expect(Object.fromEntries(deliveredWh)).toEqual({
      T1: 3_000n,
      T2: 3_000n,
      A1: 5_000n,
      A2: 5_000n,
    });
    expect(order.indexOf('T1')).toBeLessThan(order.indexOf('T2'));
    expect(order.indexOf('A1')).toBeLessThan(order.indexOf('A2'));
  });

  it('breaks a cycle of resellers with what they metered', () => {
    const { deliveredWh } = allocate({
      trades: [
        { id: 'X', sellerId: 'A', buyerId: 'B', sellZone: 'Z', buyZone: 'Z', quantityWh: 10n },
        { id: 'Y', sellerId: 'B', buyerId: 'A', sellZone: 'Z', buyZone: 'Z', quantityWh: 10n },
      ],
      injectionWh: new Map([['A|Z', 4n]]),
      pooled: new Set(),
    });
    expect(Object.fromEntries(deliveredWh)).toEqual({ X: 4n, Y: 4n });
  });

  it('never delivers beyond a trade or beyond what was available (property)', () => {
    const trade = fc.record({
      seller: fc.constantFrom('A', 'B', 'C', 'D'),
      buyer: fc.constantFrom('A', 'B', 'C', 'D', 'E'),
      zone: fc.constantFrom('Z1', 'Z2'),
      quantityWh: fc.bigInt({ min: 1n, max: 50_000n }),
    });
    fc.assert(
      fc.property(
        fc.array(trade, { maxLength: 12 }),
        fc.dictionary(
          fc.constantFrom('A|Z1', 'B|Z1', 'C|Z2', 'D|Z2'),
          fc.bigInt({ min: 0n, max: 80_000n }),
        ),
        (raw, inj) => {
          const trades = raw
            .filter((x) => x.seller !== x.buyer)
            .map((x, i) => ({
              id: `T${String(i).padStart(3, '0')}`,
              sellerId: x.seller,
              buyerId: x.buyer,
              sellZone: x.zone,
              buyZone: x.zone,
              quantityWh: x.quantityWh,
            }));
          const injectionWh = new Map(Object.entries(inj));
          const a = allocate({ trades, injectionWh, pooled: new Set() });
          const again = allocate({ trades: [...trades].reverse(), injectionWh, pooled: new Set() });
          expect(again.deliveredWh).toEqual(a.deliveredWh);
          expect(a.order).toHaveLength(trades.length);
          // Per position: delivered ≤ injected + received.
          const out = new Map<string, bigint>();
          const inn = new Map<string, bigint>();
          for (const t of trades) {
            const d = a.deliveredWh.get(t.id)!;
            expect(d >= 0n && d <= t.quantityWh).toBe(true);
            const sk = `${t.sellerId}|${t.sellZone}`;
            const bk = `${t.buyerId}|${t.buyZone}`;
            out.set(sk, (out.get(sk) ?? 0n) + d);
            inn.set(bk, (inn.get(bk) ?? 0n) + d);
          }
          for (const [k, d] of out)
            expect(d <= (injectionWh.get(k) ?? 0n) + (inn.get(k) ?? 0n)).toBe(true);
        },
      ),
    );
  });
});

describe('DEL-2 imbalance price', () => {
  const base = { rtTrades: [], dayAhead: null, reserveUpTicks: null, tariffTicks: 26_037 };
  it('is the volume-weighted real-time price, rounded half-even', () => {
    expect(
      imbalancePrice({
        ...base,
        rtTrades: [
          { priceTicks: 30_000, quantityWh: 1_000n },
          { priceTicks: 40_001, quantityWh: 1_000n },
        ],
      }),
    ).toEqual({ priceTicks: 35_000, basis: 'rt-vwap' });
  });
  it('falls back to the day-ahead price when it traded, then to the tariff', () => {
    expect(imbalancePrice({ ...base, dayAhead: { priceTicks: 31_000, volumeWh: 5n } })).toEqual({
      priceTicks: 31_000,
      basis: 'day-ahead',
    });
    expect(imbalancePrice({ ...base, dayAhead: { priceTicks: 0, volumeWh: 0n } })).toEqual({
      priceTicks: 26_037,
      basis: 'tariff',
    });
  });
  it('is at least the pay-as-clear price of activated upward reserve', () => {
    expect(imbalancePrice({ ...base, reserveUpTicks: 60_000 })).toEqual({
      priceTicks: 60_000,
      basis: 'reserve-up',
    });
    expect(
      imbalancePrice({
        ...base,
        rtTrades: [{ priceTicks: 70_000, quantityWh: 1n }],
        reserveUpTicks: 60_000,
      }),
    ).toEqual({ priceTicks: 70_000, basis: 'rt-vwap' });
  });
});
