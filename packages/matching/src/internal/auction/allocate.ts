// Turns curve positions into per-order quantities. At each price level, sells at that price are
// accepted before buys at that price are curtailed (the traded volume is the largest the welfare
// optimum allows), and each side's accepted volume is shared pro rata in whole Wh: everyone gets
// floor(total * q / Q), then the leftover Wh go one each to the largest fractional remainders,
// ties to the lexicographically smaller order id (DA-11).
import type { Curve } from './curves.ts';
import type { Problem } from './problem.ts';

export function proRata(
  total: number,
  members: readonly number[],
  quantity: (i: number) => number,
  id: (i: number) => string,
): number[] {
  let sum = 0;
  for (const i of members) sum += quantity(i);
  if (total === sum) return members.map(quantity);
  if (total === 0) return members.map(() => 0);
  const bigTotal = BigInt(total);
  const bigSum = BigInt(sum);
  const base: number[] = [];
  const remainders: bigint[] = [];
  let given = 0;
  for (const i of members) {
    const product = bigTotal * BigInt(quantity(i));
    const share = Number(product / bigSum);
    base.push(share);
    remainders.push(product % bigSum);
    given += share;
  }
  const order = members.map((_, k) => k);
  order.sort((a, b) => {
    const ra = remainders[a]!;
    const rb = remainders[b]!;
    if (ra !== rb) return ra > rb ? -1 : 1;
    const ia = id(members[a]!);
    const ib = id(members[b]!);
    return ia < ib ? -1 : ia > ib ? 1 : 0;
  });
  for (let k = 0; k < total - given; k++) base[order[k]!] = base[order[k]!]! + 1;
  return base;
}

/** Accepted Wh of every simple order of one zone-interval, given the curve position. */
export function allocateCell(problem: Problem, curve: Curve, y: number, accepted: number[]): void {
  const orders = problem.orders;
  const quantity = (i: number): number => orders[i]!.legs[0]!.q;
  const id = (i: number): string => orders[i]!.id;
  let before = 0;
  for (let k = 0; k < curve.prices.length; k++) {
    const length = curve.lengths[k]!;
    const used = Math.min(Math.max(y - before, 0), length);
    before += length;
    const sellQ = curve.sellQ[k]!;
    const buyQ = curve.buyQ[k]!;
    const sells = Math.min(used, sellQ);
    const buys = buyQ - (used - sells);
    const from = curve.start[k]!;
    const to = curve.start[k + 1]!;
    // Below or above the position every order of the level is all in or all out.
    const sellAll = sells === sellQ;
    const buyAll = buys === buyQ;
    if ((sellAll || sells === 0) && (buyAll || buys === 0)) {
      for (let m = from; m < to; m++) {
        const all = curve.memberSell[m] === 1 ? sellAll : buyAll;
        accepted[curve.members[m]!] = all ? curve.memberQ[m]! : 0;
      }
      continue;
    }
    const sellers: number[] = [];
    const buyers: number[] = [];
    for (let m = from; m < to; m++) {
      (curve.memberSell[m] === 1 ? sellers : buyers).push(curve.members[m]!);
    }
    const sellShares = proRata(sells, sellers, quantity, id);
    sellers.forEach((i, n) => (accepted[i] = sellShares[n]!));
    const buyShares = proRata(buys, buyers, quantity, id);
    buyers.forEach((i, n) => (accepted[i] = buyShares[n]!));
  }
}
