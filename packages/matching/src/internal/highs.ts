// Thin bridge to the HiGHS solver (WebAssembly): a column builder for sparse models and one solve
// call. Models are passed as CSC arrays, never as LP text, because parsing text dominated solve
// time for large days; the Wasm runtime is loaded once and shared.
import * as highsModule from 'highs';
import type { Highs } from 'highs';
import { MatchingError } from '../errors.ts';

let loading: Promise<Highs> | undefined;

type Loader = () => Promise<Highs>;

export function getHighs(): Promise<Highs> {
  if (loading === undefined) {
    // The package's types describe CommonJS (loader at `.default.default`) while Node loads its
    // ES build (loader at `.default`); accept either shape.
    const exported = highsModule.default as unknown as Loader | { default: Loader };
    loading = typeof exported === 'function' ? exported() : exported.default();
  }
  return loading;
}

export class ColumnBuilder {
  readonly cost: number[] = [];
  readonly lower: number[] = [];
  readonly upper: number[] = [];
  readonly integer: number[] = [];
  readonly starts: number[] = [0];
  readonly rows: number[] = [];
  readonly values: number[] = [];
  hasInteger = false;

  get count(): number {
    return this.cost.length;
  }

  /** Adds a column and returns its index; `rows` must not repeat a row. */
  add(cost: number, lower: number, upper: number, integer: boolean): number {
    this.cost.push(cost);
    this.lower.push(lower);
    this.upper.push(upper);
    this.integer.push(integer ? 1 : 0);
    if (integer) this.hasInteger = true;
    this.starts.push(this.rows.length);
    return this.cost.length - 1;
  }

  /** Adds a coefficient to the column added last. */
  entry(row: number, value: number): void {
    this.rows.push(row);
    this.values.push(value);
    this.starts[this.starts.length - 1] = this.rows.length;
  }
}

export interface SolveOutcome {
  readonly status: 'optimal' | 'infeasible';
  readonly x: Float64Array;
  readonly objective: number;
  /** Proven relative gap of a MIP (0 for an LP). */
  readonly gap: number;
}

export function solve(
  highs: Highs,
  columns: ColumnBuilder,
  rowLower: readonly number[],
  rowUpper: readonly number[],
  maximize: boolean,
  options: Readonly<Record<string, number | boolean | string>> = {},
): SolveOutcome {
  const numCols = columns.count;
  const numRows = rowLower.length;
  if (numCols === 0) return { status: 'optimal', x: new Float64Array(0), objective: 0, gap: 0 };
  const model = highs.createModel({
    numCols,
    numRows,
    sense: maximize
      ? highs.constants.objectiveSense.maximize
      : highs.constants.objectiveSense.minimize,
    colCost: Float64Array.from(columns.cost),
    colLower: Float64Array.from(columns.lower),
    colUpper: Float64Array.from(columns.upper),
    rowLower: Float64Array.from(rowLower),
    rowUpper: Float64Array.from(rowUpper),
    matrix: {
      format: 'csc',
      numRows,
      numCols,
      starts: Int32Array.from(columns.starts),
      indices: Int32Array.from(columns.rows),
      values: Float64Array.from(columns.values),
    },
    ...(columns.hasInteger ? { integrality: Int32Array.from(columns.integer) } : {}),
  });
  try {
    model.options.set({
      output_flag: false,
      mip_rel_gap: 1e-9,
      random_seed: 0,
      ...options,
    });
    model.run();
    const status = model.getModelStatus();
    if (status === highs.constants.modelStatus.infeasible)
      return { status: 'infeasible', x: new Float64Array(numCols), objective: NaN, gap: 0 };
    // A node limit ends a MIP early with its best selection and a proven gap (2 = feasible).
    const limited =
      columns.hasInteger &&
      status === highs.constants.modelStatus.solutionLimit &&
      Number(model.info.get('primal_solution_status')) === 2;
    if (status !== highs.constants.modelStatus.optimal && !limited)
      throw new MatchingError('MATCH_AUCTION_SOLVER_FAILED', `HiGHS model status ${status}`);
    return {
      status: 'optimal',
      x: Float64Array.from(model.getSolution().colValue),
      objective: model.getObjectiveValue(),
      gap: columns.hasInteger ? Math.max(0, Number(model.info.get('mip_gap'))) : 0,
    };
  } finally {
    model.dispose();
  }
}
