// Net curves of freely curtailable simple orders, one per zone and interval. Position y on the
// curve runs from "every buy accepted, no sell" (y = 0) upward through price levels in ascending
// order; level k adds S_k + D_k Wh at marginal cost p_k (accepting a sell or dropping a buy).
// Welfare is concave in y, so flows and selection can treat each zone-interval as one convex cost.
// Built with one counting sort by cell and typed arrays: a day of 100,000 orders allocates a few
// arrays per cell instead of arrays per level.
import type { Problem } from './problem.ts';

export interface Curve {
  /** Distinct prices, ascending. */
  readonly prices: Float64Array;
  /** S_k + D_k per level. */
  readonly lengths: Float64Array;
  readonly sellQ: Float64Array;
  readonly buyQ: Float64Array;
  /** The cell's order indices by price, then input order: level k holds start[k] … start[k+1]-1. */
  readonly members: Int32Array;
  /** Quantity and side (1 sell, 0 buy) of each member, in member order: read sequentially. */
  readonly memberQ: Float64Array;
  readonly memberSell: Uint8Array;
  readonly start: Int32Array;
  /** Sum of all buy quantities: y at which the local simple orders alone balance. */
  readonly demandTotal: number;
  /** Sum of all lengths. */
  readonly total: number;
}

export function cell(problem: Problem, zone: number, t: number): number {
  return zone * problem.intervals + t;
}

export function buildCurves(problem: Problem): Curve[] {
  const cells = problem.zones.length * problem.intervals;
  const orders = problem.orders;
  const offset = new Int32Array(cells + 1);
  // Columns by order index, filled in one sequential pass: the per-cell loops below visit orders
  // in price order, and dense typed arrays keep those random reads in cache.
  const price = new Float64Array(orders.length);
  const quantity = new Float64Array(orders.length);
  const sell = new Uint8Array(orders.length);
  for (let oi = 0; oi < orders.length; oi++) {
    const o = orders[oi]!;
    if (o.complex) continue;
    offset[cell(problem, o.zone, o.legs[0]!.t) + 1]! += 1;
    price[o.index] = o.price;
    quantity[o.index] = o.legs[0]!.q;
    sell[o.index] = o.sign > 0 ? 1 : 0;
  }
  for (let c = 0; c < cells; c++) offset[c + 1] = offset[c + 1]! + offset[c]!;
  const all = new Int32Array(offset[cells]!);
  const allQ = new Float64Array(all.length);
  const allSell = new Uint8Array(all.length);
  const fill = offset.slice(0, cells);
  for (let oi = 0; oi < orders.length; oi++) {
    const o = orders[oi]!;
    if (o.complex) continue;
    const c = cell(problem, o.zone, o.legs[0]!.t);
    all[fill[c]!] = o.index;
    fill[c] = fill[c]! + 1;
  }
  const byPrice = (a: number, b: number): number => price[a]! - price[b]! || a - b;
  const curves: Curve[] = [];
  for (let c = 0; c < cells; c++) {
    const members = all.subarray(offset[c], offset[c + 1]);
    members.sort(byPrice);
    const memberQ = allQ.subarray(offset[c], offset[c + 1]);
    const memberSell = allSell.subarray(offset[c], offset[c + 1]);
    let levels = 0;
    for (let i = 0; i < members.length; i++) {
      if (i === 0 || price[members[i]!] !== price[members[i - 1]!]) levels++;
    }
    const prices = new Float64Array(levels);
    const lengths = new Float64Array(levels);
    const sellQ = new Float64Array(levels);
    const buyQ = new Float64Array(levels);
    const start = new Int32Array(levels + 1);
    let demand = 0;
    let total = 0;
    let k = -1;
    for (let i = 0; i < members.length; i++) {
      const m = members[i]!;
      const p = price[m]!;
      if (k < 0 || prices[k] !== p) {
        k++;
        prices[k] = p;
        start[k] = i;
      }
      const q = quantity[m]!;
      memberQ[i] = q;
      memberSell[i] = sell[m]!;
      lengths[k] = lengths[k]! + q;
      total += q;
      if (sell[m] === 1) sellQ[k] = sellQ[k]! + q;
      else {
        buyQ[k] = buyQ[k]! + q;
        demand += q;
      }
    }
    start[levels] = members.length;
    curves.push({
      prices,
      lengths,
      sellQ,
      buyQ,
      members,
      memberQ,
      memberSell,
      start,
      demandTotal: demand,
      total,
    });
  }
  return curves;
}
