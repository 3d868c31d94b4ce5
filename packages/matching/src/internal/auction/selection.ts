// Selection stage: which blocks and minimum-ratio orders are accepted, at what ratio. It is the
// welfare MIP, but each zone-interval's simple orders enter only as a window of price levels
// around its autarky point plus one linear extension per side priced at the first level outside.
// The extension over-estimates welfare (concavity), so an optimum that stays within one level
// outside every window is the true optimum; otherwise windows widen and the day is solved again.
//
// The MIP is solved by a small branch and bound of our own over one HiGHS LP that stays loaded:
// a branch only changes column bounds (an all-or-nothing order to 0 or 1, a minimum-ratio order to
// 0 or [r, 1]), so each node is a warm-started dual simplex of a few iterations, and rejecting a
// paradoxically accepted order (DA-6) is one more bound change instead of a new model. HiGHS' own
// MIP solver spends most of its time on root heuristics and cuts that these models do not need;
// it remains the fallback when the tree grows beyond BRANCH_NODE_LIMIT nodes.
import type { Highs } from 'highs';
import { MatchingError } from '../../errors.ts';
import { ColumnBuilder, solve } from '../highs.ts';
import type { Curve } from './curves.ts';
import type { Problem, ProblemOrder } from './problem.ts';

export interface Selection {
  /** Acceptance ratio per complex order index (0 for simple orders). */
  readonly ratio: Float64Array;
  /** Optimal welfare in tick·Wh (LP objective plus the constant of fixed levels). */
  readonly welfare: number;
  /** Window rounds of the last `select` (1 when the first windows were wide enough). */
  readonly rounds: number;
  /** Proven relative optimality gap, relative to max(|welfare|, 1 tick·kWh). */
  readonly gap: number;
  /** Branch-and-bound nodes (LP solves) of the last `select`, 0 when HiGHS' MIP took over. */
  readonly nodes: number;
}

export interface SelectionOptions {
  readonly relativeGap: number;
  readonly maxNodes: number;
  /** Nodes of our branch and bound before HiGHS' MIP solver takes over (tests lower it). */
  readonly branchNodeLimit?: number;
}

const INITIAL_BLOCK_SHARE = 1;
/** LP values this close to a bound count as on it (HiGHS' primal tolerance is 1e-7). */
const INTEGRALITY_TOLERANCE = 1e-9;
const BRANCH_NODE_LIMIT = 2_000;
/** Welfare (tick·Wh) below which gaps are measured against 1 tick·kWh instead. */
const WELFARE_UNIT = 1_000;

/** Windows [lo, hi] of price levels per cell: link capacity plus all complex volume around autarky. */
function initialWindows(
  problem: Problem,
  curves: readonly Curve[],
): { lo: Int32Array; hi: Int32Array } {
  const T = problem.intervals;
  const cells = problem.zones.length * T;
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
  for (let oi = 0; oi < problem.orders.length; oi++) {
    const o = problem.orders[oi]!;
    if (!o.complex) continue;
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
    if (curve.prices.length === 0) {
      lo[c] = 0;
      hi[c] = -1;
      continue;
    }
    const from = curve.demandTotal - reachDown[c]! - INITIAL_BLOCK_SHARE * complexVolumeSell[c]!;
    const to = curve.demandTotal + reachUp[c]! + INITIAL_BLOCK_SHARE * complexVolumeBuy[c]!;
    lo[c] = levelAt(curve, from);
    hi[c] = levelAt(curve, to);
  }
  return { lo, hi };
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

/** Widens windows whose extension was used beyond one level; true when none was (exact). */
function widen(
  curves: readonly Curve[],
  lo: Int32Array,
  hi: Int32Array,
  extLow: Float64Array,
  extHigh: Float64Array,
): boolean {
  let exact = true;
  for (let c = 0; c < lo.length; c++) {
    const curve = curves[c]!;
    const width = Math.max(2, hi[c]! - lo[c]! + 1);
    const tolerance = 1e-6 * Math.max(1, curve.total);
    if (lo[c]! > 0 && extLow[c]! > curve.lengths[lo[c]! - 1]! + tolerance) {
      lo[c] = Math.max(0, lo[c]! - width);
      exact = false;
    }
    if (hi[c]! < curve.prices.length - 1 && extHigh[c]! > curve.lengths[hi[c]! + 1]! + tolerance) {
      hi[c] = Math.min(curve.prices.length - 1, hi[c]! + width);
      exact = false;
    }
  }
  return exact;
}

interface WindowedModel {
  readonly columns: ColumnBuilder;
  readonly rowLower: number[];
  readonly rowUpper: number[];
  /** Column of each complex order by order index, -1 for simple orders. */
  readonly ratioCol: Int32Array;
  readonly extLowCol: Int32Array;
  readonly extHighCol: Int32Array;
  /** Welfare of the levels below every window and of all buys: welfare = objective + constant. */
  readonly constant: number;
}

/**
 * The windowed welfare model. As an LP (`mip` false) a complex order is one column x in [0, 1]
 * and integrality is left to the branch and bound; as a MIP, all-or-nothing columns are binary
 * and a minimum ratio r gets a binary z with r z <= x <= z. Excluded orders have x <= 0.
 */
function buildModel(
  problem: Problem,
  curves: readonly Curve[],
  lo: Int32Array,
  hi: Int32Array,
  excluded: ReadonlySet<number>,
  mip: boolean,
): WindowedModel {
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
  const indicators: [upperRow: number, lowerRow: number, ratio: number][] = [];
  for (let oi = 0; oi < problem.orders.length; oi++) {
    const o = problem.orders[oi]!;
    if (!o.complex) continue;
    const value = -o.sign * o.price * o.totalQ;
    const allOrNothing = o.minRatio >= 1;
    const col = columns.add(value, 0, excluded.has(o.index) ? 0 : 1, mip && allOrNothing);
    for (const leg of o.legs) columns.entry(o.zone * T + leg.t, o.sign * leg.q);
    ratioCol[o.index] = col;
    if (mip && !allOrNothing && o.minRatio > 0 && !excluded.has(o.index)) {
      // x <= z and x >= r z with z binary: accepted at the minimum ratio or more, or not at all.
      const upperRow = rowLower.length;
      rowLower.push(-Infinity);
      rowUpper.push(0);
      const lowerRow = rowLower.length;
      rowLower.push(0);
      rowUpper.push(Infinity);
      columns.entry(upperRow, 1);
      columns.entry(lowerRow, 1);
      indicators.push([upperRow, lowerRow, o.minRatio]);
    }
  }
  // The z columns come last, so every other column has the same index as in the LP.
  for (const [upperRow, lowerRow, ratio] of indicators) {
    columns.add(0, 0, 1, true);
    columns.entry(upperRow, -1);
    columns.entry(lowerRow, -ratio);
  }
  return { columns, rowLower, rowUpper, ratioCol, extLowCol, extHighCol, constant };
}

interface Outcome {
  readonly x: Float64Array;
  readonly welfare: number;
  readonly gap: number;
  readonly nodes: number;
}

/** One open node: the bound change that created it, its parent's, and the parent's LP welfare. */
interface BranchNode {
  readonly id: number;
  readonly parent: BranchNode | null;
  /** Complex column number (position in `complex`), -1 for the root. */
  readonly k: number;
  readonly lower: number;
  readonly upper: number;
  /** Upper bound on the welfare of the subtree. */
  readonly bound: number;
}

/** Max-heap of open nodes by bound, ties to the older node, so the search order is deterministic. */
class NodeHeap {
  private readonly items: BranchNode[] = [];

  get size(): number {
    return this.items.length;
  }

  /** Largest bound among open nodes (-Infinity when empty). */
  get top(): number {
    return this.items.length === 0 ? -Infinity : this.items[0]!.bound;
  }

  push(node: BranchNode): void {
    const a = this.items;
    a.push(node);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!before(a[i]!, a[p]!)) break;
      [a[i], a[p]] = [a[p]!, a[i]!];
      i = p;
    }
  }

  pop(): BranchNode | undefined {
    const a = this.items;
    const first = a[0];
    const last = a.pop();
    if (a.length > 0 && last !== undefined) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && before(a[l]!, a[m]!)) m = l;
        if (r < a.length && before(a[r]!, a[m]!)) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m]!, a[i]!];
        i = m;
      }
    }
    return first;
  }
}

function before(a: BranchNode, b: BranchNode): boolean {
  return a.bound > b.bound || (a.bound === b.bound && a.id < b.id);
}

/**
 * Selects complex orders for one day. Keeps the windowed LP loaded across `select` calls so a
 * re-solve after a paradoxical rejection starts from the previous basis. Call `dispose`.
 */
export class Selector {
  private readonly lo: Int32Array;
  private readonly hi: Int32Array;
  private built: WindowedModel | undefined;
  private model: ReturnType<Highs['createModel']> | undefined;
  /** Complex orders with a column, in column order. */
  private complex: ProblemOrder[] = [];
  private complexCol = new Int32Array(0);
  /** Bounds currently set in the loaded model, per complex column number. */
  private curLower = new Float64Array(0);
  private curUpper = new Float64Array(0);

  constructor(
    private readonly highs: Highs,
    private readonly problem: Problem,
    private readonly curves: readonly Curve[],
    private readonly options: SelectionOptions,
  ) {
    const windows = initialWindows(problem, curves);
    this.lo = windows.lo;
    this.hi = windows.hi;
  }

  dispose(): void {
    this.model?.dispose();
    this.model = undefined;
  }

  select(excluded: ReadonlySet<number>): Selection {
    const cells = this.problem.zones.length * this.problem.intervals;
    for (let round = 1; ; round++) {
      const built = this.load();
      const outcome = this.branchAndBound(excluded) ?? this.solveMip(excluded);
      const x = outcome.x;
      const extLow = new Float64Array(cells);
      const extHigh = new Float64Array(cells);
      for (let c = 0; c < cells; c++) {
        if (built.extLowCol[c]! >= 0) extLow[c] = x[built.extLowCol[c]!]!;
        if (built.extHighCol[c]! >= 0) extHigh[c] = x[built.extHighCol[c]!]!;
      }
      if (widen(this.curves, this.lo, this.hi, extLow, extHigh)) {
        const ratio = new Float64Array(this.problem.orders.length);
        for (const o of this.complex) {
          let v = x[built.ratioCol[o.index]!]!;
          if (v < INTEGRALITY_TOLERANCE) v = 0;
          else if (v > 1 - INTEGRALITY_TOLERANCE) v = 1;
          ratio[o.index] = v;
        }
        return {
          ratio,
          welfare: outcome.welfare,
          rounds: round,
          gap: outcome.gap,
          nodes: outcome.nodes,
        };
      }
      this.dispose();
      this.built = undefined;
    }
  }

  /** Builds and loads the LP for the current windows, unless it is loaded already. */
  private load(): WindowedModel {
    if (this.built !== undefined && this.model !== undefined) return this.built;
    const built = buildModel(this.problem, this.curves, this.lo, this.hi, new Set(), false);
    const { columns, rowLower, rowUpper } = built;
    const highs = this.highs;
    const model = highs.createModel({
      numCols: columns.count,
      numRows: rowLower.length,
      sense: highs.constants.objectiveSense.maximize,
      colCost: Float64Array.from(columns.cost),
      colLower: Float64Array.from(columns.lower),
      colUpper: Float64Array.from(columns.upper),
      rowLower: Float64Array.from(rowLower),
      rowUpper: Float64Array.from(rowUpper),
      matrix: {
        format: 'csc',
        numRows: rowLower.length,
        numCols: columns.count,
        starts: Int32Array.from(columns.starts),
        indices: Int32Array.from(columns.rows),
        values: Float64Array.from(columns.values),
      },
    });
    // Presolve off: every node re-solves from the previous basis, which presolve would discard.
    model.options.set({ output_flag: false, presolve: 'off', random_seed: 0 });
    this.model = model;
    this.built = built;
    this.complex = this.problem.orders.filter((o) => o.complex);
    this.complexCol = Int32Array.from(this.complex, (o) => built.ratioCol[o.index]!);
    this.curLower = new Float64Array(this.complex.length);
    this.curUpper = new Float64Array(this.complex.length).fill(1);
    return built;
  }

  /** Sets the complex columns' bounds to `lower`/`upper`, changing only those that differ. */
  private setBounds(lower: Float64Array, upper: Float64Array): void {
    const indices: number[] = [];
    const lows: number[] = [];
    const ups: number[] = [];
    for (let k = 0; k < lower.length; k++) {
      if (lower[k] === this.curLower[k] && upper[k] === this.curUpper[k]) continue;
      indices.push(this.complexCol[k]!);
      lows.push(lower[k]!);
      ups.push(upper[k]!);
      this.curLower[k] = lower[k]!;
      this.curUpper[k] = upper[k]!;
    }
    if (indices.length === 0) return;
    this.model!.changeColsBounds(
      { kind: 'set', indices: Int32Array.from(indices) },
      Float64Array.from(lows),
      Float64Array.from(ups),
    );
  }

  /** Solves the loaded LP; null when infeasible. */
  private solveLp(): { x: Float64Array; welfare: number } | null {
    const model = this.model!;
    const statuses = this.highs.constants.modelStatus;
    model.run();
    const status = model.getModelStatus();
    if (status === statuses.infeasible || status === statuses.unboundedOrInfeasible) return null;
    if (status !== statuses.optimal)
      throw new MatchingError('MATCH_AUCTION_SOLVER_FAILED', `HiGHS model status ${status}`);
    return {
      x: Float64Array.from(model.getSolution().colValue),
      welfare: model.getObjectiveValue() + this.built!.constant,
    };
  }

  /**
   * Best-bound branch and bound with plunging: after a branch the preferred child is solved
   * next (its basis is one bound change away), other nodes wait in a heap ordered by bound.
   * Returns null when the node limit stops it before the gap closed and HiGHS should take over.
   */
  private branchAndBound(excluded: ReadonlySet<number>): Outcome | null {
    const n = this.complex.length;
    const rootUpper = Float64Array.from(this.complex, (o) => (excluded.has(o.index) ? 0 : 1));
    const minRatio = Float64Array.from(this.complex, (o) => Math.min(1, o.minRatio));
    const userLimit = this.options.maxNodes;
    const ownLimit = Math.min(userLimit, this.options.branchNodeLimit ?? BRANCH_NODE_LIMIT);
    const tolerance = (welfare: number): number =>
      this.options.relativeGap * Math.max(WELFARE_UNIT, Math.abs(welfare));
    const heap = new NodeHeap();
    const lower = new Float64Array(n);
    const upper = new Float64Array(n);
    const seen = new Int32Array(n);
    let stamp = 0;
    let nextId = 0;
    let best: { x: Float64Array; welfare: number } | null = null;
    /** Largest bound of a subtree dropped only because it could not beat `best` by the tolerance. */
    let dropped = -Infinity;
    let nodes = 0;
    let node: BranchNode | undefined = {
      id: nextId++,
      parent: null,
      k: -1,
      lower: 0,
      upper: 0,
      bound: Infinity,
    };
    while (node !== undefined) {
      const current: BranchNode = node;
      if (best !== null && current.bound <= best.welfare + tolerance(best.welfare)) {
        dropped = Math.max(dropped, current.bound);
      } else if (nodes >= ownLimit) {
        heap.push(current);
        break;
      } else {
        stamp++;
        lower.fill(0);
        upper.set(rootUpper);
        for (let b: BranchNode | null = current; b !== null && b.k >= 0; b = b.parent) {
          // The deepest decision on a column is the tightest: keep the first one met.
          if (seen[b.k] === stamp) continue;
          seen[b.k] = stamp;
          lower[b.k] = b.lower;
          upper[b.k] = b.upper;
        }
        this.setBounds(lower, upper);
        nodes++;
        const lp = this.solveLp();
        if (lp === null) {
          if (current.k < 0)
            throw new MatchingError('MATCH_AUCTION_SOLVER_FAILED', 'selection model infeasible');
        } else if (best !== null && lp.welfare <= best.welfare + tolerance(best.welfare)) {
          dropped = Math.max(dropped, lp.welfare);
        } else {
          // Branch on the most fractional violation (relative to its minimum ratio).
          let branch = -1;
          let score = 0;
          for (let k = 0; k < n; k++) {
            const r = minRatio[k]!;
            if (r === 0) continue;
            const v = lp.x[this.complexCol[k]!]!;
            if (v <= INTEGRALITY_TOLERANCE || v >= r - INTEGRALITY_TOLERANCE) continue;
            const s = Math.min(v, r - v) / r;
            if (s > score) {
              score = s;
              branch = k;
            }
          }
          if (branch < 0) {
            best = lp;
          } else {
            const r = minRatio[branch]!;
            const v = lp.x[this.complexCol[branch]!]!;
            const down: BranchNode = {
              id: nextId++,
              parent: current,
              k: branch,
              lower: 0,
              upper: 0,
              bound: lp.welfare,
            };
            const up: BranchNode = {
              id: nextId++,
              parent: current,
              k: branch,
              lower: r,
              upper: 1,
              bound: lp.welfare,
            };
            const preferUp = v >= r / 2;
            heap.push(preferUp ? down : up);
            node = preferUp ? up : down;
            continue;
          }
        }
      }
      node = heap.pop();
    }
    if (heap.size > 0 && nodes >= ownLimit && ownLimit < userLimit) return null;
    if (best === null) {
      // The node limit stopped the search before any selection: reject every complex order.
      this.setBounds(new Float64Array(n), new Float64Array(n));
      best = this.solveLp();
      if (best === null)
        throw new MatchingError('MATCH_AUCTION_SOLVER_FAILED', 'selection model infeasible');
    }
    const bound = Math.max(dropped, heap.top);
    const gap = Math.max(0, bound - best.welfare) / Math.max(WELFARE_UNIT, Math.abs(best.welfare));
    return { x: best.x, welfare: best.welfare, gap, nodes };
  }

  /** HiGHS' MIP solver on the same windows, for trees our branch and bound does not close. */
  private solveMip(excluded: ReadonlySet<number>): Outcome {
    const built = buildModel(this.problem, this.curves, this.lo, this.hi, excluded, true);
    const outcome = solve(this.highs, built.columns, built.rowLower, built.rowUpper, true, {
      mip_rel_gap: this.options.relativeGap,
      mip_max_nodes: this.options.maxNodes,
      presolve: 'off',
    });
    if (outcome.status !== 'optimal')
      throw new MatchingError('MATCH_AUCTION_SOLVER_FAILED', 'selection model infeasible');
    // The MIP's extra columns (z) come after the LP's, which keep their positions.
    const welfare = outcome.objective + built.constant;
    const gap =
      (outcome.gap * Math.abs(outcome.objective)) / Math.max(WELFARE_UNIT, Math.abs(welfare));
    return { x: outcome.x, welfare, gap, nodes: 0 };
  }
}
