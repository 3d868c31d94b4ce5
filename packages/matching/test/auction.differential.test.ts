// DA-1…DA-11 on thousands of seeded random days (congested links, blocks, minimum ratios): the
// welfare equals the naive HiGHS MIP's optimum within 1e-9 relative, and every price rule holds.
import { describe, expect, it } from 'vitest';
import { clearAuction } from '../src/index.ts';
import type { AuctionInput, AuctionResult } from '../src/index.ts';
import {
  brokenRules,
  middleOfRangeBroken,
  randomAuction,
  referenceHighs,
  referenceWelfare,
} from './auction-reference.ts';
import { fuzzRuns } from './rng.ts';

async function clear(input: AuctionInput): Promise<AuctionResult> {
  const outcome = await clearAuction(input);
  if (!outcome.ok) throw new Error(`${outcome.field}: ${outcome.message}`);
  return outcome.result;
}

function relativeGap(a: number, b: number): number {
  return Math.abs(a - b) / Math.max(1, Math.abs(b));
}

describe('day-ahead auction against the naive HiGHS MIP', () => {
  const runs = fuzzRuns(1500);
  const chunk = 250;
  for (let first = 1; first <= runs; first += chunk) {
    const last = Math.min(runs, first + chunk - 1);
    it(
      `DA-1…DA-11 hold and welfare is optimal on seeded days ${first}…${last}`,
      { timeout: 300_000 },
      async () => {
        const highs = await referenceHighs();
        const stats = { paradox: 0, congested: 0, blocksAccepted: 0, partial: 0 };
        for (let seed = first; seed <= last; seed++) {
          const input = randomAuction(seed);
          const result = await clear(input);
          const broken = [...brokenRules(input, result), ...middleOfRangeBroken(input, result)];
          expect(broken, `seed ${seed}`).toEqual([]);
          const excluded = new Set(result.paradoxicallyRejected);
          const optimum = referenceWelfare(highs, input, excluded);
          expect(relativeGap(result.welfareUnrounded, optimum), `seed ${seed}`).toBeLessThanOrEqual(
            1e-9,
          );
          if (excluded.size > 0) {
            stats.paradox++;
            expect(referenceWelfare(highs, input, new Set())).toBeGreaterThanOrEqual(
              optimum - 1e-6,
            );
          }
          stats.partial += result.accepted.filter((a) => a.acceptanceRatio < 1).length;
          stats.blocksAccepted += result.accepted.filter(
            (a) => Object.keys(a.quantitiesWh).length > 1,
          ).length;
          stats.congested += result.flows.filter((f) => {
            const link = input.links.find((l) => l.from === f.from && l.to === f.to)!;
            const cap = Array.isArray(link.capacityWh)
              ? (link.capacityWh as number[])[f.interval]
              : link.capacityWh;
            return f.quantityWh === cap;
          }).length;
        }
        // The generator must actually exercise what this test claims to cover.
        const n = last - first + 1;
        expect(stats.congested).toBeGreaterThan(n / 10);
        expect(stats.blocksAccepted).toBeGreaterThan(n / 10);
        expect(stats.partial).toBeGreaterThan(n / 10);
        if (n >= 100) expect(stats.paradox).toBeGreaterThan(0);
      },
    );
  }
});
