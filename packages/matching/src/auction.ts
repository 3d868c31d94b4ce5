// The day-ahead auction: one call clears a whole delivery day. Selection of blocks and
// minimum-ratio orders is a welfare MIP on a reduced model (HiGHS); simple orders, flows and
// prices are then settled exactly in integers, and an order that would lose money at every
// admissible price is rejected and the day re-solved. docs/spec/matching.md DA-1…DA-12.
import type { Highs } from 'highs';
import type {
  AcceptedOrder,
  AuctionOptions,
  AuctionFlow,
  AuctionOutcome,
  AuctionResult,
} from './auction-types.ts';
import { MatchingError } from './errors.ts';
import { allocateCell } from './internal/auction/allocate.ts';
import { buildCurves } from './internal/auction/curves.ts';
import { clearInterval } from './internal/auction/network.ts';
import { computePrices } from './internal/auction/prices.ts';
import { parseProblem } from './internal/auction/problem.ts';
import type { Problem } from './internal/auction/problem.ts';
import { Selector } from './internal/auction/selection.ts';
import type { SelectionOptions } from './internal/auction/selection.ts';
import { getHighs } from './internal/highs.ts';

/**
 * Clears one delivery day. Invalid input is a value (`ok: false`, with the offending field);
 * a broken invariant throws `MatchingError`.
 */
export async function clearAuction(
  input: unknown,
  options: AuctionOptions = {},
): Promise<AuctionOutcome> {
  const parsed = parseProblem(input);
  if (!parsed.ok) return parsed;
  const relativeGap = options.relativeGap ?? 1e-9;
  const maxNodes = options.maxNodes ?? 2 ** 31 - 1;
  if (!(relativeGap >= 0 && relativeGap < 1))
    return {
      ok: false,
      code: 'MATCH_AUCTION_INVALID_INPUT',
      field: 'options.relativeGap',
      message: 'must be in [0, 1)',
    };
  if (!Number.isSafeInteger(maxNodes) || maxNodes < 1 || maxNodes > 2 ** 31 - 1)
    return {
      ok: false,
      code: 'MATCH_AUCTION_INVALID_INPUT',
      field: 'options.maxNodes',
      message: 'must be a positive 32-bit integer',
    };
  const problem = parsed.problem;
  const hasComplex = problem.orders.some((o) => o.complex);
  const highs = hasComplex ? await getHighs() : null;
  return { ok: true, result: clearProblem(problem, highs, { relativeGap, maxNodes }) };
}

function clearProblem(
  problem: Problem,
  highs: Highs | null,
  options: SelectionOptions,
): AuctionResult {
  const curves = buildCurves(problem);
  const selector = highs === null ? null : new Selector(highs, problem, curves, options);
  try {
    return clearWithSelector(problem, highs, curves, selector);
  } finally {
    selector?.dispose();
  }
}

function clearWithSelector(
  problem: Problem,
  highs: Highs | null,
  curves: ReturnType<typeof buildCurves>,
  selector: Selector | null,
): AuctionResult {
  const T = problem.intervals;
  const zoneCount = problem.zones.length;
  const cells = zoneCount * T;
  const excluded = new Set<number>();
  for (;;) {
    let ratio: Float64Array = new Float64Array(problem.orders.length);
    let welfareUnrounded: number | null = null;
    let gap = 0;
    if (selector !== null) {
      const selection = selector.select(excluded);
      gap = selection.gap;
      ratio = selection.ratio;
      welfareUnrounded = selection.welfare;
    }
    const acceptedWh = new Array<number[] | undefined>(problem.orders.length).fill(undefined);
    const injection = new Array<number>(cells).fill(0);
    for (let oi = 0; oi < problem.orders.length; oi++) {
      const o = problem.orders[oi]!;
      if (!o.complex) continue;
      const x = ratio[o.index]!;
      const legs = o.legs.map((leg) => {
        if (x === 0) return 0;
        if (x === 1) return leg.q;
        const floorShare = o.minRatio > 0 ? Math.ceil(leg.q * o.minRatio - 1e-9) : 0;
        return Math.min(leg.q, Math.max(Math.round(leg.q * x), floorShare));
      });
      acceptedWh[o.index] = legs;
      o.legs.forEach((leg, k) => {
        const c = o.zone * T + leg.t;
        injection[c] = injection[c]! + o.sign * legs[k]!;
      });
    }
    const y = new Array<number>(cells).fill(0);
    const flow = new Array<number>(problem.links.length * T).fill(0);
    const zoneInjection = new Array<number>(zoneCount);
    for (let t = 0; t < T; t++) {
      for (let z = 0; z < zoneCount; z++) zoneInjection[z] = injection[z * T + t]!;
      const cleared = clearInterval(problem, curves, t, zoneInjection);
      for (let z = 0; z < zoneCount; z++) y[z * T + t] = cleared.y[z]!;
      cleared.flow.forEach((f, l) => (flow[l * T + t] = f));
    }
    const priced = computePrices(highs, problem, curves, y, flow, acceptedWh);
    if (!priced.ok) {
      excluded.add(priced.exclude);
      continue;
    }
    const simpleWh = new Array<number>(problem.orders.length).fill(0);
    for (let c = 0; c < cells; c++) allocateCell(problem, curves[c]!, y[c]!, simpleWh);
    return assemble(
      problem,
      priced.prices,
      acceptedWh,
      simpleWh,
      flow,
      welfareUnrounded,
      excluded,
      gap,
    );
  }
}

/** An exact integer sum of products: in doubles while every value is a safe integer, else BigInt. */
class ExactSum {
  private small = 0;
  private big: bigint | undefined;

  /** Adds a × b for safe integers a and b. */
  add(a: number, b: number): void {
    if (this.big === undefined) {
      const product = a * b;
      const sum = this.small + product;
      // A product or sum beyond 2^53 rounds to at least 2^53, which is not safe: never a false pass.
      if (Number.isSafeInteger(product) && Number.isSafeInteger(sum)) {
        this.small = sum;
        return;
      }
      this.big = BigInt(this.small);
    }
    this.big += BigInt(a) * BigInt(b);
  }

  isZero(): boolean {
    return this.big === undefined ? this.small === 0 : this.big === 0n;
  }

  toNumber(): number {
    return this.big === undefined ? this.small : Number(this.big);
  }

  toString(): string {
    return this.big === undefined ? String(this.small) : this.big.toString();
  }
}

function assemble(
  problem: Problem,
  cellPrices: readonly number[],
  complexWh: readonly (readonly number[] | undefined)[],
  simpleWh: readonly number[],
  flow: readonly number[],
  welfareUnrounded: number | null,
  excluded: ReadonlySet<number>,
  gap: number,
): AuctionResult {
  const T = problem.intervals;
  const balance = Array.from({ length: problem.zones.length * T }, () => new ExactSum());
  const welfare = new ExactSum();
  const accepted: AcceptedOrder[] = [];
  for (let oi = 0; oi < problem.orders.length; oi++) {
    const o = problem.orders[oi]!;
    const legs = o.complex ? complexWh[o.index]! : undefined;
    let total = 0;
    // Integer keys: the object keeps them in ascending order, as JSON shows them. Made only for
    // an accepted order (about half of a day's orders are not).
    let quantitiesWh: Record<number, number> | undefined;
    for (let k = 0; k < o.legs.length; k++) {
      const leg = o.legs[k]!;
      const q = legs === undefined ? simpleWh[o.index]! : legs[k]!;
      if (q < 0 || q > leg.q || !Number.isSafeInteger(q))
        throw new MatchingError('MATCH_INVARIANT_CONSERVATION', `order ${o.id} quantity ${q}`);
      if (q === 0) continue;
      total += q;
      quantitiesWh ??= {};
      quantitiesWh[leg.t] = q;
      balance[o.zone * T + leg.t]!.add(o.sign, q);
      welfare.add(-o.sign * o.price, q);
    }
    if (quantitiesWh !== undefined)
      accepted.push({ id: o.id, acceptanceRatio: total / o.totalQ, quantitiesWh });
  }
  const flows: AuctionFlow[] = [];
  for (let t = 0; t < T; t++) {
    problem.links.forEach((l, i) => {
      const f = flow[i * T + t]!;
      if (f < 0 || f > l.cap[t]!)
        throw new MatchingError('MATCH_INVARIANT_CONSERVATION', `flow on link ${i} interval ${t}`);
      if (f === 0) return;
      flows.push({
        from: problem.zones[l.from]!,
        to: problem.zones[l.to]!,
        interval: t,
        quantityWh: f,
      });
      balance[l.from * T + t]!.add(-1, f);
      balance[l.to * T + t]!.add(1, f);
      welfare.add(-l.wheel, f);
    });
  }
  balance.forEach((b, c) => {
    if (!b.isZero())
      throw new MatchingError(
        'MATCH_INVARIANT_CONSERVATION',
        `zone-interval ${c} unbalanced by ${b.toString()}`,
      );
  });
  const prices: Record<string, number[]> = {};
  problem.zones.forEach((zone, z) => {
    prices[zone] = cellPrices.slice(z * T, z * T + T);
  });
  const welfareKwh = welfare.toNumber() / 1000;
  return {
    prices,
    accepted,
    flows,
    welfare: welfareKwh,
    welfareUnrounded: welfareUnrounded === null ? welfareKwh : welfareUnrounded / 1000,
    paradoxicallyRejected: [...excluded].sort((a, b) => a - b).map((i) => problem.orders[i]!.id),
    optimalityGap: gap,
  };
}
