// Exact integer clearing of one interval for fixed block injections: each zone is a convex cost
// (its net curve), links are arcs with capacity and wheeling. Starting from autarky, flow is
// pushed along the most profitable zone pair (shortest residual path) until no pair gains; a few
// zones make each step tiny, and integer data give an integral optimum with no floating point.
import { MatchingError } from '../../errors.ts';
import type { Curve } from './curves.ts';
import type { Problem } from './problem.ts';

export interface IntervalClearing {
  /** Curve position per zone (0 = every buy accepted, no sell). */
  readonly y: number[];
  /** Flow per link. */
  readonly flow: number[];
}

/**
 * Clears interval `t`. `injection[z]` is the fixed net sell of complex orders in zone z (Wh).
 * Throws when the injections cannot be balanced with the links' capacity.
 */
export function clearInterval(
  problem: Problem,
  curves: readonly Curve[],
  t: number,
  injection: readonly number[],
): IntervalClearing {
  const zoneCount = problem.zones.length;
  const links = problem.links;
  let wheelSum = 0;
  let capSum = 0;
  for (const l of links) {
    wheelSum += l.wheel;
    capSum += l.cap[t]!;
  }
  let big = capSum + 1;
  for (let z = 0; z < zoneCount; z++)
    big += Math.abs(injection[z]!) + curves[z * problem.intervals + t]!.total;
  // Phantom segments at both ends price any imbalance far beyond every real gain.
  const premium = problem.cap - problem.floor + wheelSum + 1;
  const segPrice: number[][] = [];
  const segLen: number[][] = [];
  const seg = new Int32Array(zoneCount);
  const used: number[] = new Array<number>(zoneCount).fill(0);
  for (let z = 0; z < zoneCount; z++) {
    const curve = curves[z * problem.intervals + t]!;
    const prices = [problem.floor - premium, ...curve.prices, problem.cap + premium];
    const lengths = [big, ...curve.lengths, big];
    segPrice.push(prices);
    segLen.push(lengths);
    // Start at autarky: local simple orders absorb the injection.
    let y = big + curve.demandTotal - injection[z]!;
    let i = 0;
    while (y > lengths[i]!) {
      y -= lengths[i]!;
      i++;
    }
    seg[z] = i;
    used[z] = y;
  }
  const flow = new Array<number>(links.length).fill(0);
  const up = new Array<number>(zoneCount);
  const roomUp = new Array<number>(zoneCount);
  const down = new Array<number>(zoneCount);
  const roomDown = new Array<number>(zoneCount);
  const n = zoneCount;
  const dist = new Float64Array(n * n);
  const next = new Int32Array(n * n);
  const arcLink = new Int32Array(n * n);
  const arcDir = new Int8Array(n * n);
  for (let guard = 0; ; guard++) {
    if (guard > 50_000_000)
      throw new MatchingError('MATCH_AUCTION_SOLVER_FAILED', `interval ${t} did not converge`);
    for (let z = 0; z < n; z++) {
      const i = seg[z]!;
      const u = used[z]!;
      const len = segLen[z]![i]!;
      down[z] = segPrice[z]![i]!;
      roomDown[z] = u;
      if (u < len) {
        up[z] = segPrice[z]![i]!;
        roomUp[z] = len - u;
      } else {
        up[z] = segPrice[z]![i + 1]!;
        roomUp[z] = segLen[z]![i + 1]!;
      }
    }
    dist.fill(Infinity);
    for (let z = 0; z < n; z++) dist[z * n + z] = 0;
    for (let l = 0; l < links.length; l++) {
      const link = links[l]!;
      if (flow[l]! < link.cap[t]!) setArc(link.from, link.to, link.wheel, l, 1);
      if (flow[l]! > 0) setArc(link.to, link.from, -link.wheel, l, -1);
    }
    for (let k = 0; k < n; k++) {
      for (let i = 0; i < n; i++) {
        const dik = dist[i * n + k]!;
        if (dik === Infinity) continue;
        for (let j = 0; j < n; j++) {
          const candidate = dik + dist[k * n + j]!;
          if (candidate < dist[i * n + j]!) {
            dist[i * n + j] = candidate;
            next[i * n + j] = next[i * n + k]!;
          }
        }
      }
    }
    let negativeCycle = false;
    for (let z = 0; z < n; z++) if (dist[z * n + z]! < 0) negativeCycle = true;
    if (negativeCycle) {
      cancelLinkCycle();
      continue;
    }
    let bestGain = 0;
    let bestA = -1;
    let bestB = -1;
    for (let a = 0; a < n; a++) {
      for (let b = 0; b < n; b++) {
        if (a === b || dist[a * n + b] === Infinity) continue;
        const gain = down[b]! - up[a]! - dist[a * n + b]!;
        if (gain > bestGain) {
          bestGain = gain;
          bestA = a;
          bestB = b;
        }
      }
    }
    if (bestA < 0) break;
    let delta = Math.min(roomUp[bestA]!, roomDown[bestB]!);
    for (let u = bestA; u !== bestB;) {
      const v = next[u * n + bestB]!;
      delta = Math.min(delta, arcRoom(u * n + v));
      u = v;
    }
    for (let u = bestA; u !== bestB;) {
      const v = next[u * n + bestB]!;
      flow[arcLink[u * n + v]!]! += arcDir[u * n + v]! * delta;
      u = v;
    }
    moveUp(bestA, delta);
    moveDown(bestB, delta);
  }
  const y: number[] = [];
  for (let z = 0; z < n; z++) {
    let position = used[z]!;
    for (let i = 0; i < seg[z]!; i++) position += segLen[z]![i]!;
    const real = position - big;
    const curve = curves[z * problem.intervals + t]!;
    if (real < 0 || real > curve.total)
      throw new MatchingError(
        'MATCH_AUCTION_SOLVER_FAILED',
        `zone ${problem.zones[z]} interval ${t} cannot be balanced (${real} outside [0, ${curve.total}])`,
      );
    y.push(real);
  }
  return { y, flow };

  function setArc(from: number, to: number, cost: number, link: number, dir: number): void {
    const k = from * n + to;
    if (cost < dist[k]!) {
      dist[k] = cost;
      next[k] = to;
      arcLink[k] = link;
      arcDir[k] = dir;
    }
  }

  function arcRoom(k: number): number {
    const l = arcLink[k]!;
    return arcDir[k]! > 0 ? links[l]!.cap[t]! - flow[l]! : flow[l]!;
  }

  function moveUp(z: number, delta: number): void {
    if (used[z]! < segLen[z]![seg[z]!]!) used[z] = used[z]! + delta;
    else {
      seg[z] = seg[z]! + 1;
      used[z] = delta;
    }
  }

  function moveDown(z: number, delta: number): void {
    used[z] = used[z]! - delta;
    if (used[z] === 0) {
      seg[z] = seg[z]! - 1;
      used[z] = segLen[z]![seg[z]]!;
    }
  }

  /** Cancels one negative cycle made of link arcs only (Bellman-Ford from all-zero potentials). */
  function cancelLinkCycle(): void {
    const pot = new Float64Array(n);
    const predLink = new Int32Array(n).fill(-1);
    const predDir = new Int8Array(n);
    const predNode = new Int32Array(n).fill(-1);
    let last = -1;
    for (let round = 0; round < n; round++) {
      last = -1;
      for (let l = 0; l < links.length; l++) {
        const link = links[l]!;
        if (flow[l]! < link.cap[t]! && pot[link.from]! + link.wheel < pot[link.to]!) {
          pot[link.to] = pot[link.from]! + link.wheel;
          predLink[link.to] = l;
          predDir[link.to] = 1;
          predNode[link.to] = link.from;
          last = link.to;
        }
        if (flow[l]! > 0 && pot[link.to]! - link.wheel < pot[link.from]!) {
          pot[link.from] = pot[link.to]! - link.wheel;
          predLink[link.from] = l;
          predDir[link.from] = -1;
          predNode[link.from] = link.to;
          last = link.from;
        }
      }
    }
    if (last < 0) throw new MatchingError('MATCH_AUCTION_SOLVER_FAILED', 'phantom link cycle');
    let v = last;
    for (let i = 0; i < n; i++) v = predNode[v]!;
    let delta = Infinity;
    let u = v;
    do {
      const l = predLink[u]!;
      delta = Math.min(delta, predDir[u]! > 0 ? links[l]!.cap[t]! - flow[l]! : flow[l]!);
      u = predNode[u]!;
    } while (u !== v);
    u = v;
    do {
      const l = predLink[u]!;
      flow[l] = flow[l]! + predDir[u]! * delta;
      u = predNode[u]!;
    } while (u !== v);
  }
}
