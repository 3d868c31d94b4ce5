// Selection stage: which blocks and minimum-ratio orders are accepted, at what ratio. It is the
// welfare MIP solved by HiGHS, but each zone-interval's simple orders enter only as a window of
// price levels around its autarky point plus one linear extension per side priced at the first
// level outside. The extension over-estimates welfare (concavity), so an optimum that stays
// within one level outside every window is the true optimum; otherwise windows widen and repeat.
import type { Highs } from 'highs';
import { MatchingError } from '../../errors.ts';
import { ColumnBuilder, solve } from '../highs.ts';
import type { Curve } from './curves.ts';
import type { Problem } from './problem.ts';

export interface Selection {
  /** Acceptance ratio per complex order index (0 for simple orders). */
  readonly ratio: Float64Array;
  /** Optimal welfare in tick·Wh (HiGHS objective plus the constant of fixed levels). */
  readonly welfare: number;
  readonly rounds: number;
  /** Proven relative optimality gap of the selection MIP. */
  readonly gap: number;
}

export interface SelectionOptions {
  readonly relativeGap: number;
  readonly maxNodes: number;
}

const INITIAL_BLOCK_SHARE = 1;

export function selectComplex(
  highs: Highs,
  problem: Problem,
  curves: readonly Curve[],
  excluded: ReadonlySet<number>,
  options: SelectionOptions,
): Selection {
  const T = problem.intervals;
  const zoneCount = problem.zones.length;
  const cells = zoneCount * T;
  // Reach of each cell around autarky: link capacity plus a share of complex volume.
  const reachDown = new Float64Array(cells);
  const reachUp = new Float64Array(cells);
  for (const l of problem.links) {
    for (let t = 0; t < T; t++) {
      reachUp[l.from * T + t] = reachUp[l.from * T + t]! + l.cap[t]!;
      reachDown[l.to * T + t] = reachDown[l.to * T + t]! + l.cap[t]!;
    }
  }
  const complexVolumeSell = new Float64Array(cells);
  const complexVolumeBuy = new Float64Array(cells);
  for (const o of problem.orders) {
    if (!o.complex || excluded.has(o.index)) continue;
    for (const leg of o.legs) {
      const c = o.zone * T + leg.t;
      if (o.sign > 0) complexVolumeSell[c] = complexVolumeSell[c]! + leg.q;
      else complexVolumeBuy[c] = complexVolumeBuy[c]! + leg.q;
    }
  }
  const lo = new Int32Array(cells);
  const hi = new Int32Array(cells);
  for (let c = 0; c < cells; c++) {
    const curve = curves[c]!;
    const k = curve.prices.length;
    if (k === 0) {
      lo[c] = 0;
      hi[c] = -1;
      continue;
    }
    const from = curve.demandTotal - reachDown[c]! - INITIAL_BLOCK_SHARE * complexVolumeSell[c]!;
    const to = curve.demandTotal + reachUp[c]! + INITIAL_BLOCK_SHARE * complexVolumeBuy[c]!;
    lo[c] = levelAt(curve, from);
    hi[c] = levelAt(curve, to);
  }
  for (let round = 1; ; round++) {
    const outcome = solveWindowed(highs, problem, curves, excluded, lo, hi, options);
    let exact = true;
    for (let c = 0; c < cells; c++) {
      const curve = curves[c]!;
      const width = Math.max(2, hi[c]! - lo[c]! + 1);
      const tolerance = 1e-6 * Math.max(1, curve.total);
      if (lo[c]! > 0 && outcome.extLow[c]! > curve.lengths[lo[c]! - 1]! + tolerance) {
        lo[c] = Math.max(0, lo[c]! - width);
        exact = false;
      }
      if (
        hi[c]! < curve.prices.length - 1 &&
        outcome.extHigh[c]! > curve.lengths[hi[c]! + 1]! + tolerance
      ) {
        hi[c] = Math.min(curve.prices.length - 1, hi[c]! + width);
        exact = false;
      }
    }
    if (exact)
      return { ratio: outcome.ratio, welfare: outcome.welfare, rounds: round, gap: outcome.gap };
  }
}

/** Index of the level containing position y (clamped to the curve). */
function levelAt(curve: Curve, y: number): number {
  let sum = 0;
  for (let k = 0; k < curve.lengths.length; k++) {
    sum += curve.lengths[k]!;
    if (y < sum) return k;
  }
  return curve.lengths.length - 1;
}

interface WindowedOutcome {
  readonly ratio: Float64Array;
  readonly welfare: number;
  readonly extLow: Float64Array;
  readonly extHigh: Float64Array;
  readonly gap: number;
}

function solveWindowed(
  highs: Highs,
  problem: Problem,
  curves: readonly Curve[],
  excluded: ReadonlySet<number>,
  lo: Int32Array,
  hi: Int32Array,
  options: SelectionOptions,
): WindowedOutcome {
  const T = problem.intervals;
  const cells = problem.zones.length * T;
  const columns = new ColumnBuilder();
  const rowLower: number[] = [];
  const rowUpper: number[] = [];
  const extLowCol = new Int32Array(cells).fill(-1);
  const extHighCol = new Int32Array(cells).fill(-1);
  let constant = 0;
  for (let c = 0; c < cells; c++) {
    const curve = curves[c]!;
    let below = 0;
    for (let k = 0; k < lo[c]!; k++) {
      below += curve.lengths[k]!;
      constant -= curve.prices[k]! * curve.lengths[k]!;
    }
    for (let k = 0; k < curve.prices.length; k++) {
      if (curve.buyQ[k]! > 0) constant += curve.prices[k]! * curve.buyQ[k]!;
    }
    const rhs = curve.demandTotal - below;
    rowLower.push(rhs);
    rowUpper.push(rhs);
    for (let k = lo[c]!; k <= hi[c]!; k++) {
      columns.add(-curve.prices[k]!, 0, curve.lengths[k]!, false);
      columns.entry(c, 1);
    }
    if (lo[c]! > 0) {
      extLowCol[c] = columns.add(curve.prices[lo[c]! - 1]!, 0, below, false);
      columns.entry(c, -1);
    }
    if (hi[c]! >= 0 && hi[c]! < curve.prices.length - 1) {
      let above = 0;
      for (let k = hi[c]! + 1; k < curve.prices.length; k++) above += curve.lengths[k]!;
      extHighCol[c] = columns.add(-curve.prices[hi[c]! + 1]!, 0, above, false);
      columns.entry(c, 1);
    }
  }
  for (const l of problem.links) {
    for (let t = 0; t < T; t++) {
      const from = l.from * T + t;
      const to = l.to * T + t;
      columns.add(-l.wheel, 0, l.cap[t]!, false);
      // Rows must be added in ascending order within a column for HiGHS' duplicate check only.
      if (from < to) {
        columns.entry(from, -1);
        columns.entry(to, 1);
      } else {
        columns.entry(to, 1);
        columns.entry(from, -1);
      }
    }
  }
  const ratioCol = new Int32Array(problem.orders.length).fill(-1);
  for (const o of problem.orders) {
    if (!o.complex) continue;
    const value = -o.sign * o.price * o.totalQ;
    const allOrNothing = o.minRatio >= 1;
    const col = columns.add(value, 0, excluded.has(o.index) ? 0 : 1, allOrNothing);
    for (const leg of o.legs) columns.entry(o.zone * T + leg.t, o.sign * leg.q);
    ratioCol[o.index] = col;
    if (!allOrNothing && o.minRatio > 0 && !excluded.has(o.index)) {
      // x <= z and x >= r z with z binary: accepted at the minimum ratio or more, or not at all.
      const upperRow = rowLower.length;
      rowLower.push(-Infinity);
      rowUpper.push(0);
      const lowerRow = rowLower.length;
      rowLower.push(0);
      rowUpper.push(Infinity);
      columns.entry(upperRow, 1);
      columns.entry(lowerRow, 1);
      columns.add(0, 0, 1, true);
      columns.entry(upperRow, -1);
      columns.entry(lowerRow, -o.minRatio);
    }
  }
  // The windowed model is already small and tight; HiGHS' presolve cost more than it saved on
  // realistic days (about 1.1 s against 1.7 s per solve on the 100k-order bench day).
  const outcome = solve(highs, columns, rowLower, rowUpper, true, {
    mip_rel_gap: options.relativeGap,
    mip_max_nodes: options.maxNodes,
    presolve: 'off',
  });
  if (outcome.status !== 'optimal') {
    // The all-rejected selection is always feasible for simple orders, so this cannot happen.
    throw new MatchingError('MATCH_AUCTION_SOLVER_FAILED', 'selection model infeasible');
  }
  const ratio = new Float64Array(problem.orders.length);
  for (const o of problem.orders) {
    const col = ratioCol[o.index]!;
    if (col < 0) continue;
    let x = outcome.x[col]!;
    if (x < 1e-9) x = 0;
    else if (x > 1 - 1e-9) x = 1;
    ratio[o.index] = x;
  }
  const extLow = new Float64Array(cells);
  const extHigh = new Float64Array(cells);
  for (let c = 0; c < cells; c++) {
    if (extLowCol[c]! >= 0) extLow[c] = outcome.x[extLowCol[c]!]!;
    if (extHighCol[c]! >= 0) extHigh[c] = outcome.x[extHighCol[c]!]!;
  }
  return { ratio, welfare: outcome.objective + constant, extLow, extHigh, gap: outcome.gap };
}
