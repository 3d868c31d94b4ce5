// Seeded pseudo-random numbers for differential and fuzz tests (mulberry32): the same seed gives
// the same command stream on every machine, so a failing seed can be replayed and kept as a test.
export interface Rng {
  next(): number;
  int(lo: number, hi: number): number;
  pick<T>(items: readonly T[]): T;
  chance(p: number): boolean;
}

export function rng(seed: number): Rng {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: (items) => items[Math.floor(next() * items.length)]!,
    chance: (p) => next() < p,
  };
}

/** Number of fuzz cases: a small default for CI, more with MATCHING_FUZZ_RUNS=n. */
export function fuzzRuns(defaultRuns: number): number {
  const raw = process.env['MATCHING_FUZZ_RUNS'];
  const n = raw === undefined ? NaN : Number(raw);
  return Number.isSafeInteger(n) && n > 0 ? n : defaultRuns;
}
