// Clearing prices for a fixed allocation. Simple orders and links give difference constraints
// per interval; their solutions form a lattice, so the middle of each zone-interval's range is
// (min + max) / 2 of the least and greatest solutions, and rounding every price half-down keeps all
// those constraints (they have integer bounds). Accepted blocks add "no loss" (and "at the money"
// when partial) rows over several intervals; when those bind, the range middle comes from two
// small LPs (least and greatest total price). An order that no admissible price can satisfy is
// reported back so the caller rejects it and re-solves (no paradoxically accepted orders).
import type { Highs } from 'highs';
import { MatchingError } from '../../errors.ts';
import { ColumnBuilder, solve } from '../highs.ts';
import type { Curve } from './curves.ts';
import type { Problem, ProblemOrder } from './problem.ts';

export type PriceOutcome =
  | { readonly ok: true; readonly prices: number[] }
  | { readonly ok: false; readonly exclude: number };

/** Range [lo, hi] of prices that keeps the zone-interval's simple orders at their position. */
export function curveBounds(problem: Problem, curve: Curve, y: number): [number, number] {
  const k = curve.prices.length;
  if (k === 0) return [problem.floor, problem.cap];
  if (y <= 0) return [problem.floor, curve.prices[0]!];
  let sum = 0;
  for (let i = 0; i < k; i++) {
    sum += curve.lengths[i]!;
    if (y < sum) return [curve.prices[i]!, curve.prices[i]!];
    if (y === sum) return [curve.prices[i]!, i + 1 < k ? curve.prices[i + 1]! : problem.cap];
  }
  return [curve.prices[k - 1]!, problem.cap];
}

/**
 * Surplus of an order at prices, per unit of acceptance ratio, in tick·Wh, exactly: in doubles
 * while every product and partial sum is a safe integer (always, for realistic orders; a product
 * or sum past 2^53 is not a safe integer, so this never passes wrongly), else null and the caller
 * sums in BigInt.
 */
function surplusSmall(problem: Problem, o: ProblemOrder, prices: readonly number[]): number | null {
  let s = 0;
  for (const leg of o.legs) {
    const product = leg.q * (prices[o.zone * problem.intervals + leg.t]! - o.price);
    s += product;
    if (!Number.isSafeInteger(product) || !Number.isSafeInteger(s)) return null;
  }
  return o.sign > 0 ? s : -s;
}

/** The surplus in BigInt (any safe-integer quantities and prices). */
function surplusBig(problem: Problem, o: ProblemOrder, prices: readonly number[]): bigint {
  let s = 0n;
  for (const leg of o.legs) {
    s += BigInt(leg.q) * BigInt(prices[o.zone * problem.intervals + leg.t]! - o.price);
  }
  return o.sign > 0 ? s : -s;
}

interface Edge {
  readonly u: number;
  readonly v: number;
  readonly c: number;
}

export function computePrices(
  highs: Highs | null,
  problem: Problem,
  curves: readonly Curve[],
  y: readonly number[],
  flow: readonly number[],
  acceptedWh: readonly (readonly number[] | undefined)[],
): PriceOutcome {
  const T = problem.intervals;
  const zoneCount = problem.zones.length;
  const cells = zoneCount * T;
  const baseLo = new Array<number>(cells);
  const baseHi = new Array<number>(cells);
  for (let c = 0; c < cells; c++) {
    const [lo, hi] = curveBounds(problem, curves[c]!, y[c]!);
    baseLo[c] = lo;
    baseHi[c] = hi;
  }
  const lo = [...baseLo];
  const hi = [...baseHi];
  const accepted: ProblemOrder[] = [];
  const partial = new Set<number>();
  const multi: ProblemOrder[] = [];
  for (let oi = 0; oi < problem.orders.length; oi++) {
    const o = problem.orders[oi]!;
    const acc = acceptedWh[o.index];
    if (!o.complex || acc === undefined) continue;
    let total = 0;
    for (const q of acc) total += q;
    if (total === 0) continue;
    accepted.push(o);
    if (total < o.totalQ) partial.add(o.index);
    if (o.legs.length > 1) {
      multi.push(o);
      continue;
    }
    const c = o.zone * T + o.legs[0]!.t;
    if (o.sign > 0 || partial.has(o.index)) lo[c] = Math.max(lo[c]!, o.price);
    if (o.sign < 0 || partial.has(o.index)) hi[c] = Math.min(hi[c]!, o.price);
  }
  const violation = (o: ProblemOrder, prices: readonly number[]): number => {
    const small = surplusSmall(problem, o, prices);
    if (small !== null) {
      const bad = partial.has(o.index) ? Math.abs(small) : small < 0 ? -small : 0;
      return bad / o.totalQ;
    }
    const s = surplusBig(problem, o, prices);
    const bad = partial.has(o.index) ? (s < 0n ? -s : s) : s < 0n ? -s : 0n;
    return Number(bad) / o.totalQ;
  };
  const worst = (prices: readonly number[]): number => {
    let best = -1;
    let bestViolation = 0;
    for (const o of accepted) {
      const v = violation(o, prices);
      if (v > bestViolation) {
        bestViolation = v;
        best = o.index;
      }
    }
    if (best < 0)
      throw new MatchingError('MATCH_AUCTION_PRICE_RULES', 'no price satisfies the rules');
    return best;
  };
  const base = latticeAll(problem, baseLo, baseHi, flow);
  if (base === null)
    throw new MatchingError('MATCH_AUCTION_PRICE_RULES', 'simple orders and links admit no price');
  const baseMid = base.min.map((m, c) => Math.floor((m + base.max[c]!) / 2));
  const full = latticeAll(problem, lo, hi, flow);
  if (full === null) return { ok: false, exclude: worst(baseMid) };
  let least: readonly number[] = full.min;
  let greatest: readonly number[] = full.max;
  if (!multi.every((o) => violation(o, full.min) === 0 && violation(o, full.max) === 0)) {
    if (highs === null) throw new MatchingError('MATCH_AUCTION_SOLVER_FAILED', 'HiGHS not loaded');
    const lpLeast = priceLp(highs, problem, lo, hi, flow, multi, partial, false);
    if (lpLeast === null) return { ok: false, exclude: worst(baseMid) };
    const lpGreatest = priceLp(highs, problem, lo, hi, flow, multi, partial, true);
    if (lpGreatest === null) return { ok: false, exclude: worst(baseMid) };
    least = lpLeast;
    greatest = lpGreatest;
  }
  // Middle of the range, half-down; half-up only when half-down would put a block at a loss.
  const halfDown = least.map((a, c) => Math.ceil((a + greatest[c]!) / 2 - 0.5 - 1e-7));
  const halfUp = least.map((a, c) => Math.floor((a + greatest[c]!) / 2 + 0.5 + 1e-7));
  let prices = halfDown;
  if (multi.some((o) => violation(o, halfDown) > 0)) {
    if (multi.every((o) => violation(o, halfUp) === 0)) prices = halfUp;
    else return { ok: false, exclude: worst(halfDown) };
  }
  for (let c = 0; c < cells; c++) {
    if (prices[c]! < lo[c]! || prices[c]! > hi[c]!)
      throw new MatchingError('MATCH_AUCTION_PRICE_RULES', `price of cell ${c} left its range`);
  }
  return { ok: true, prices };
}

/** Least and greatest solutions of every interval's difference constraints, or null if none. */
function latticeAll(
  problem: Problem,
  lo: readonly number[],
  hi: readonly number[],
  flow: readonly number[],
): { min: number[]; max: number[] } | null {
  const T = problem.intervals;
  const zoneCount = problem.zones.length;
  const min = new Array<number>(zoneCount * T);
  const max = new Array<number>(zoneCount * T);
  const root = zoneCount;
  for (let t = 0; t < T; t++) {
    const edges: Edge[] = [];
    for (let z = 0; z < zoneCount; z++) {
      if (lo[z * T + t]! > hi[z * T + t]!) return null;
      edges.push({ u: root, v: z, c: hi[z * T + t]! });
      edges.push({ u: z, v: root, c: -lo[z * T + t]! });
    }
    problem.links.forEach((l, i) => {
      const f = flow[i * T + t]!;
      if (f < l.cap[t]!) edges.push({ u: l.from, v: l.to, c: l.wheel });
      if (f > 0) edges.push({ u: l.to, v: l.from, c: -l.wheel });
    });
    const fromRoot = shortest(zoneCount + 1, edges, root, false);
    const toRoot = shortest(zoneCount + 1, edges, root, true);
    if (fromRoot === null || toRoot === null) return null;
    for (let z = 0; z < zoneCount; z++) {
      max[z * T + t] = fromRoot[z]!;
      min[z * T + t] = -toRoot[z]!;
    }
  }
  return { min, max };
}

/** Bellman-Ford distances from `source` (over reversed edges when `reverse`), null on a negative cycle. */
function shortest(
  n: number,
  edges: readonly Edge[],
  source: number,
  reverse: boolean,
): number[] | null {
  const dist = new Array<number>(n).fill(Infinity);
  dist[source] = 0;
  for (let round = 0; round <= n; round++) {
    let changed = false;
    for (const e of edges) {
      const u = reverse ? e.v : e.u;
      const v = reverse ? e.u : e.v;
      if (dist[u]! !== Infinity && dist[u]! + e.c < dist[v]!) {
        dist[v] = dist[u]! + e.c;
        changed = true;
      }
    }
    if (!changed) return dist;
  }
  return null;
}

/** Least (or greatest) total price over every constraint, blocks included; null when infeasible. */
function priceLp(
  highs: Highs,
  problem: Problem,
  lo: readonly number[],
  hi: readonly number[],
  flow: readonly number[],
  multi: readonly ProblemOrder[],
  partial: ReadonlySet<number>,
  maximize: boolean,
): number[] | null {
  const T = problem.intervals;
  const cells = problem.zones.length * T;
  const rowLower: number[] = [];
  const rowUpper: number[] = [];
  const byColumn: [number, number][][] = Array.from({ length: cells }, () => []);
  problem.links.forEach((l, i) => {
    for (let t = 0; t < T; t++) {
      const f = flow[i * T + t]!;
      const lower = f > 0 ? l.wheel : -Infinity;
      const upper = f < l.cap[t]! ? l.wheel : Infinity;
      if (lower === -Infinity && upper === Infinity) continue;
      const row = rowLower.length;
      rowLower.push(lower);
      rowUpper.push(upper);
      byColumn[l.to * T + t]!.push([row, 1]);
      byColumn[l.from * T + t]!.push([row, -1]);
    }
  });
  for (const o of multi) {
    const row = rowLower.length;
    const atMoney = partial.has(o.index);
    rowLower.push(o.sign > 0 || atMoney ? o.price : -Infinity);
    rowUpper.push(o.sign < 0 || atMoney ? o.price : Infinity);
    for (let k = 0; k < o.legs.length; k++) {
      const leg = o.legs[k]!;
      byColumn[o.zone * T + leg.t]!.push([row, leg.q / o.totalQ]);
    }
  }
  const columns = new ColumnBuilder();
  for (let c = 0; c < cells; c++) {
    columns.add(1, lo[c]!, hi[c]!, false);
    const entries = byColumn[c]!.sort((a, b) => a[0] - b[0]);
    for (let e = 0; e < entries.length; e++) columns.entry(entries[e]![0], entries[e]![1]);
  }
  const outcome = solve(highs, columns, rowLower, rowUpper, maximize);
  if (outcome.status !== 'optimal') return null;
  return Array.from(outcome.x, (v) => {
    const r = Math.round(v);
    return Math.abs(v - r) < 1e-7 ? r : v;
  });
}
