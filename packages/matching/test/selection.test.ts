// DA-1 for the selection stage on its own: our branch and bound over the warm-started LP, and
// HiGHS' MIP solver that takes over from it (forced here by a node limit of one), both reach the
// naive HiGHS MIP's optimum within 1e-9 on seeded random days; a user node limit stops early with
// a feasible selection and a gap that really bounds the loss.
import { describe, expect, it } from 'vitest';
import { buildCurves } from '../src/internal/auction/curves.ts';
import { parseProblem } from '../src/internal/auction/problem.ts';
import type { Problem } from '../src/internal/auction/problem.ts';
import { Selector } from '../src/internal/auction/selection.ts';
import type { Selection, SelectionOptions } from '../src/internal/auction/selection.ts';
import { getHighs } from '../src/internal/highs.ts';
import { randomAuction, referenceHighs, referenceWelfare } from './auction-reference.ts';
import { fuzzRuns } from './rng.ts';

function problemOf(seed: number): Problem {
  const parsed = parseProblem(randomAuction(seed, { blockShare: 0.5 }));
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.problem;
}

async function select(problem: Problem, options: Partial<SelectionOptions>): Promise<Selection> {
  const selector = new Selector(await getHighs(), problem, buildCurves(problem), {
    relativeGap: 1e-9,
    maxNodes: 2 ** 31 - 1,
    ...options,
  });
  try {
    return selector.select(new Set());
  } finally {
    selector.dispose();
  }
}

const gapOf = (a: number, b: number): number => Math.abs(a - b) / Math.max(1, Math.abs(b));

describe('block selection against the naive HiGHS MIP', () => {
  const runs = fuzzRuns(200);

  it(`DA-1 branch and bound and its HiGHS fallback are optimal on ${runs} seeded days`, async () => {
    const highs = await referenceHighs();
    let branched = 0;
    let fellBack = 0;
    for (let seed = 1; seed <= runs; seed++) {
      const input = randomAuction(seed, { blockShare: 0.5 });
      const problem = problemOf(seed);
      if (!problem.orders.some((o) => o.complex)) continue;
      const optimum = referenceWelfare(highs, input, new Set());
      const own = await select(problem, {});
      expect(gapOf(own.welfare / 1_000, optimum), `seed ${seed}`).toBeLessThanOrEqual(1e-9);
      if (own.nodes > 1) branched++;
      const mip = await select(problem, { branchNodeLimit: 1 });
      expect(gapOf(mip.welfare / 1_000, optimum), `seed ${seed} (HiGHS)`).toBeLessThanOrEqual(1e-9);
      if (mip.nodes === 0) fellBack++;
    }
    // Both paths must really run: days whose LP relaxation is fractional.
    expect(branched).toBeGreaterThan(runs / 20);
    expect(fellBack).toBeGreaterThan(runs / 20);
  });

  it('DA-1 a node limit of one gives a feasible selection within its reported gap', async () => {
    const highs = await referenceHighs();
    let stopped = 0;
    for (let seed = 1; seed <= 200; seed++) {
      const input = randomAuction(seed, { blockShare: 0.5 });
      const problem = problemOf(seed);
      if (!problem.orders.some((o) => o.complex)) continue;
      const optimum = referenceWelfare(highs, input, new Set()) * 1_000;
      const s = await select(problem, { maxNodes: 1 });
      expect(s.nodes).toBe(1);
      expect(s.welfare).toBeLessThanOrEqual(optimum + 1e-6 * Math.max(1, Math.abs(optimum)));
      const bound = s.welfare + s.gap * Math.max(1_000, Math.abs(s.welfare));
      expect(bound, `seed ${seed}`).toBeGreaterThanOrEqual(
        optimum - 1e-6 * Math.max(1, Math.abs(optimum)),
      );
      for (const o of problem.orders) {
        const x = s.ratio[o.index]!;
        if (o.complex && o.minRatio > 0) expect(x === 0 || x >= o.minRatio - 1e-9).toBe(true);
      }
      if (s.gap > 0) stopped++;
    }
    expect(stopped).toBeGreaterThan(5);
  });
});
