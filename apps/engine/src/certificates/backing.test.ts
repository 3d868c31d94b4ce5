// allocateBacking: each certificate is exactly 1 MWh of free generation, no interval gives more
// than it has (a Wh backs at most one REC), shortfalls and over-spread certificates are refused.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allocateBacking, MAX_BACKING_INTERVALS, WH_PER_REC } from './backing.ts';

const Q = 900_000;

describe('REC backing allocation', () => {
  it('cuts whole MWh in interval order, splitting an interval between two RECs', () => {
    const result = allocateBacking(
      [
        { intervalStartMs: 2 * Q, freeWh: 700_000n },
        { intervalStartMs: 0, freeWh: 600_000n },
        { intervalStartMs: Q, freeWh: 0n },
        { intervalStartMs: 3 * Q, freeWh: 800_000n },
      ],
      2,
    );
    expect(result).toEqual({
      ok: true,
      recs: [
        [
          { intervalStartMs: 0, energyWh: 600_000n },
          { intervalStartMs: 2 * Q, energyWh: 400_000n },
        ],
        [
          { intervalStartMs: 2 * Q, energyWh: 300_000n },
          { intervalStartMs: 3 * Q, energyWh: 700_000n },
        ],
      ],
    });
  });

  it('refuses more MWh than the free generation holds', () => {
    expect(allocateBacking([{ intervalStartMs: 0, freeWh: 999_999n }], 1)).toEqual({
      ok: false,
      reason: 'insufficient',
      availableWh: 999_999n,
    });
  });

  it('refuses a REC that would list more intervals than the chain accepts', () => {
    const free = Array.from({ length: MAX_BACKING_INTERVALS + 1 }, (_, i) => ({
      intervalStartMs: i * Q,
      freeWh: 3_900n, // ≈ 15.6 kW of rooftop solar: 1 MWh spans 257 quarter hours
    }));
    expect(allocateBacking(free, 1)).toEqual({ ok: false, reason: 'spread', recIndex: 0 });
  });

  it('never takes more from an interval than it has, and every REC is exactly 1 MWh', () => {
    fc.assert(
      fc.property(
        fc.array(fc.bigInt({ min: 0n, max: 1_500_000n }), { minLength: 1, maxLength: 60 }),
        fc.integer({ min: 1, max: 5 }),
        (amounts, count) => {
          const free = amounts.map((freeWh, i) => ({ intervalStartMs: i * Q, freeWh }));
          const result = allocateBacking(free, count);
          const total = amounts.reduce((s, a) => s + a, 0n);
          if (!result.ok) {
            if (result.reason === 'insufficient')
              expect(total < WH_PER_REC * BigInt(count)).toBe(true);
            return;
          }
          expect(result.recs).toHaveLength(count);
          const used = new Map<number, bigint>();
          for (const parts of result.recs) {
            expect(parts.reduce((s, p) => s + p.energyWh, 0n)).toBe(WH_PER_REC);
            expect(new Set(parts.map((p) => p.intervalStartMs)).size).toBe(parts.length);
            for (const p of parts) {
              expect(p.energyWh > 0n).toBe(true);
              used.set(p.intervalStartMs, (used.get(p.intervalStartMs) ?? 0n) + p.energyWh);
            }
          }
          for (const f of free) expect((used.get(f.intervalStartMs) ?? 0n) <= f.freeWh).toBe(true);
        },
      ),
      { seed: 20261201, numRuns: 300 },
    );
  });
});
