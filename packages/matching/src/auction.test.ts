// Scenario tests of the day-ahead auction, one rule of docs/spec/matching.md each; the seeded
// comparison with HiGHS lives in test/auction.differential.test.ts.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clearAuction } from './auction.ts';
import type { AuctionInput, AuctionOrder, AuctionResult } from './auction-types.ts';
import { proRata } from './internal/auction/allocate.ts';

function day(orders: AuctionOrder[], intervals = 1): AuctionInput {
  return { intervals, priceFloorTicks: 0, priceCapTicks: 1_000, zones: ['A'], links: [], orders };
}

async function clear(input: AuctionInput): Promise<AuctionResult> {
  const outcome = await clearAuction(input);
  if (!outcome.ok) throw new Error(`${outcome.field}: ${outcome.message}`);
  return outcome.result;
}

const qty = (r: AuctionResult, id: string, interval = 0) =>
  r.accepted.find((a) => a.id === id)?.quantitiesWh[String(interval)] ?? 0;

describe('day-ahead auction scenarios', () => {
  it('DA-6 rejects a block that would be accepted at a loss, and re-solves', async () => {
    const r = await clear(
      day(
        [
          { id: 'b0', zone: 'A', side: 'buy', priceTicks: 100, interval: 0, quantityWh: 1_500 },
          { id: 's0', zone: 'A', side: 'sell', priceTicks: 60, interval: 0, quantityWh: 1_000 },
          { id: 'b1', zone: 'A', side: 'buy', priceTicks: 45, interval: 1, quantityWh: 1_000 },
          { id: 's1', zone: 'A', side: 'sell', priceTicks: 10, interval: 1, quantityWh: 100 },
          {
            id: 'blk',
            zone: 'A',
            side: 'sell',
            priceTicks: 50,
            profile: [
              { interval: 0, quantityWh: 1_000 },
              { interval: 1, quantityWh: 1_000 },
            ],
          },
        ],
        2,
      ),
    );
    expect(r.paradoxicallyRejected).toEqual(['blk']);
    expect(r.prices).toEqual({ A: [100, 45] });
    expect(r.welfare).toBe(43.5);
    expect(qty(r, 'blk')).toBe(0);
  });

  it('DA-3 DA-7 a minimum-ratio order accepted partly sets the price exactly', async () => {
    const r = await clear(
      day([
        { id: 'b', zone: 'A', side: 'buy', priceTicks: 100, interval: 0, quantityWh: 1_000 },
        {
          id: 's',
          zone: 'A',
          side: 'sell',
          priceTicks: 80,
          interval: 0,
          quantityWh: 2_000,
          minAcceptanceRatio: 0.25,
        },
      ]),
    );
    expect(qty(r, 's')).toBe(1_000);
    expect(r.prices['A']).toEqual([80]);
  });

  it('DA-3 a minimum-ratio order below its minimum is rejected, not cut down', async () => {
    const r = await clear(
      day([
        { id: 'b', zone: 'A', side: 'buy', priceTicks: 100, interval: 0, quantityWh: 400 },
        {
          id: 's',
          zone: 'A',
          side: 'sell',
          priceTicks: 80,
          interval: 0,
          quantityWh: 2_000,
          minAcceptanceRatio: 0.25,
        },
      ]),
    );
    expect(r.accepted).toEqual([]);
    expect(r.prices['A']![0]).toBeGreaterThanOrEqual(100);
  });

  it('DA-11 shares the marginal level pro rata; the leftover Wh goes to the smaller id', async () => {
    const r = await clear(
      day([
        { id: 'b', zone: 'A', side: 'buy', priceTicks: 100, interval: 0, quantityWh: 1_000 },
        { id: 's-c', zone: 'A', side: 'sell', priceTicks: 50, interval: 0, quantityWh: 1_000 },
        { id: 's-a', zone: 'A', side: 'sell', priceTicks: 50, interval: 0, quantityWh: 1_000 },
        { id: 's-b', zone: 'A', side: 'sell', priceTicks: 50, interval: 0, quantityWh: 1_000 },
      ]),
    );
    expect([qty(r, 's-a'), qty(r, 's-b'), qty(r, 's-c')]).toEqual([334, 333, 333]);
    expect(r.prices['A']).toEqual([50]);
  });

  it('DA-9 an empty zone-interval takes the middle of [floor, cap]; a crossing range its middle', async () => {
    const r = await clear(
      day(
        [
          { id: 'b', zone: 'A', side: 'buy', priceTicks: 101, interval: 1, quantityWh: 100 },
          { id: 's', zone: 'A', side: 'sell', priceTicks: 90, interval: 1, quantityWh: 100 },
        ],
        2,
      ),
    );
    expect(r.prices['A']).toEqual([500, 95]);
  });

  it('DA-8 a congested link separates prices by at least the wheeling charge', async () => {
    const r = await clear({
      intervals: 1,
      priceFloorTicks: 0,
      priceCapTicks: 1_000,
      zones: ['A', 'B'],
      links: [
        { from: 'A', to: 'B', capacityWh: 1_000, wheelingTicks: 10 },
        { from: 'B', to: 'A', capacityWh: 1_000, wheelingTicks: 10 },
      ],
      orders: [
        { id: 's1', zone: 'A', side: 'sell', priceTicks: 100, interval: 0, quantityWh: 2_000 },
        { id: 'b1', zone: 'A', side: 'buy', priceTicks: 150, interval: 0, quantityWh: 500 },
        { id: 'b2', zone: 'B', side: 'buy', priceTicks: 200, interval: 0, quantityWh: 2_000 },
        { id: 's2', zone: 'B', side: 'sell', priceTicks: 180, interval: 0, quantityWh: 1_000 },
      ],
    });
    expect(r.flows).toEqual([{ from: 'A', to: 'B', interval: 0, quantityWh: 1_000 }]);
    expect(r.prices).toEqual({ A: [100], B: [190] });
    expect(r.welfare).toBe(135);
  });

  it('DA-12 reports the first invalid field as a value', async () => {
    const base = day([
      { id: 'b', zone: 'A', side: 'buy', priceTicks: 100, interval: 0, quantityWh: 100 },
    ]);
    const cases: [unknown, string][] = [
      [{ ...base, intervals: 0 }, 'intervals'],
      [{ ...base, priceCapTicks: -1 }, 'priceCapTicks'],
      [{ ...base, zones: ['A', 'A'] }, 'zones[1]'],
      [
        { ...base, links: [{ from: 'A', to: 'A', capacityWh: 1, wheelingTicks: 0 }] },
        'links[0].to',
      ],
      [{ ...base, orders: [{ ...base.orders[0], priceTicks: 2_000 }] }, 'orders[0].priceTicks'],
      [{ ...base, orders: [{ ...base.orders[0], interval: 1 }] }, 'orders[0].interval'],
      [{ ...base, orders: [{ ...base.orders[0], side: 'hold' }] }, 'orders[0].side'],
      [{ ...base, orders: [base.orders[0], base.orders[0]] }, 'orders[1].id'],
      [
        { ...base, orders: [{ id: 'k', zone: 'A', side: 'buy', priceTicks: 1, profile: [] }] },
        'orders[0].profile',
      ],
      [
        { ...base, orders: [{ ...base.orders[0], minAcceptanceRatio: 2 }] },
        'orders[0].minAcceptanceRatio',
      ],
      [null, ''],
    ];
    for (const [input, field] of cases) {
      const outcome = await clearAuction(input);
      expect(outcome).toMatchObject({ ok: false, code: 'MATCH_AUCTION_INVALID_INPUT', field });
    }
  });

  it('DA-11 pro rata: shares sum exactly and stay within one Wh of the exact share', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 1_000_000 }), { minLength: 1, maxLength: 12 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (quantities, share) => {
          const total = quantities.reduce((s, q) => s + q, 0);
          const target = Math.floor(total * share);
          const members = quantities.map((_, i) => i);
          const shares = proRata(
            target,
            members,
            (i) => quantities[i]!,
            (i) => `o${i}`,
          );
          expect(shares.reduce((s, q) => s + q, 0)).toBe(target);
          shares.forEach((q, i) => {
            expect(Math.abs(q - (target * quantities[i]!) / total)).toBeLessThan(1);
            expect(q).toBeLessThanOrEqual(quantities[i]!);
          });
        },
      ),
      { numRuns: 500, seed: 7 },
    );
  });
});
