// Net curves of freely curtailable simple orders, one per zone and interval. Position y on the
// curve runs from "every buy accepted, no sell" (y = 0) upward through price levels in ascending
// order; level k adds S_k + D_k Wh at marginal cost p_k (accepting a sell or dropping a buy).
// Welfare is concave in y, so flows and selection can treat each zone-interval as one convex cost.
import type { Problem } from './problem.ts';

export interface Curve {
  /** Distinct prices, ascending. */
  readonly prices: number[];
  /** S_k + D_k per level. */
  readonly lengths: number[];
  readonly sellQ: number[];
  readonly buyQ: number[];
  /** Order indices per level, in input order. */
  readonly sellOrders: number[][];
  readonly buyOrders: number[][];
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
  const members: number[][] = Array.from({ length: cells }, () => []);
  for (const o of problem.orders) {
    if (o.complex) continue;
    members[cell(problem, o.zone, o.legs[0]!.t)]!.push(o.index);
  }
  const orders = problem.orders;
  return members.map((list) => {
    list.sort((a, b) => orders[a]!.price - orders[b]!.price || a - b);
    const curve: Curve = {
      prices: [],
      lengths: [],
      sellQ: [],
      buyQ: [],
      sellOrders: [],
      buyOrders: [],
      demandTotal: 0,
      total: 0,
    };
    let demand = 0;
    let total = 0;
    for (const i of list) {
      const o = orders[i]!;
      const n = curve.prices.length;
      let k = n - 1;
      if (n === 0 || curve.prices[k] !== o.price) {
        curve.prices.push(o.price);
        curve.lengths.push(0);
        curve.sellQ.push(0);
        curve.buyQ.push(0);
        curve.sellOrders.push([]);
        curve.buyOrders.push([]);
        k = n;
      }
      const q = o.legs[0]!.q;
      curve.lengths[k] = curve.lengths[k]! + q;
      total += q;
      if (o.sign > 0) {
        curve.sellQ[k] = curve.sellQ[k]! + q;
        curve.sellOrders[k]!.push(i);
      } else {
        curve.buyQ[k] = curve.buyQ[k]! + q;
        curve.buyOrders[k]!.push(i);
        demand += q;
      }
    }
    return { ...curve, demandTotal: demand, total };
  });
}
