// Validated, index-based form of an auction input. Everything downstream works on zone and
// interval numbers and integer Wh/ticks; validation reports the first bad field by JSON path so
// the CLI can answer with exit code 2 and a precise message.
import type { AuctionInput, AuctionInputError } from '../../auction-types.ts';
import { IdTable } from '../id-table.ts';

export const SELL = 1;
export const BUY = -1;

export interface Leg {
  readonly t: number;
  readonly q: number;
}

export interface ProblemOrder {
  readonly id: string;
  readonly index: number;
  readonly zone: number;
  /** +1 sell, -1 buy: the sign of the order's injection into its zone. */
  readonly sign: number;
  readonly price: number;
  readonly legs: readonly Leg[];
  readonly totalQ: number;
  readonly minRatio: number;
  /** Needs the selection stage: a block, or an order with a minimum acceptance ratio. */
  readonly complex: boolean;
}

export interface ProblemLink {
  readonly from: number;
  readonly to: number;
  readonly cap: readonly number[];
  readonly wheel: number;
}

export interface Problem {
  readonly intervals: number;
  readonly floor: number;
  readonly cap: number;
  readonly zones: readonly string[];
  readonly links: readonly ProblemLink[];
  readonly orders: readonly ProblemOrder[];
}

const LIMIT = 2 ** 50;

function isInt(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v);
}

class InputError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

function fail(field: string, message: string): never {
  throw new InputError(field, message);
}

export function parseProblem(raw: unknown): { ok: true; problem: Problem } | AuctionInputError {
  try {
    return { ok: true, problem: parse(raw) };
  } catch (e) {
    if (e instanceof InputError)
      return { ok: false, code: 'MATCH_AUCTION_INVALID_INPUT', field: e.field, message: e.message };
    throw e;
  }
}

function parse(raw: unknown): Problem {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) fail('', 'must be an object');
  const input = raw as Partial<Record<keyof AuctionInput, unknown>>;
  const intervals = input.intervals;
  if (!isInt(intervals) || intervals < 1 || intervals > 10_000)
    fail('intervals', 'must be an integer from 1 to 10000');
  const floor = input.priceFloorTicks;
  const cap = input.priceCapTicks;
  if (!isInt(floor) || Math.abs(floor) > 2 ** 40)
    fail('priceFloorTicks', 'must be an integer within ±2^40');
  if (!isInt(cap) || Math.abs(cap) > 2 ** 40 || cap < floor)
    fail('priceCapTicks', 'must be an integer within ±2^40 and >= priceFloorTicks');
  if (!Array.isArray(input.zones) || input.zones.length === 0)
    fail('zones', 'must be a non-empty array');
  const zones: string[] = [];
  const zoneIndex = new Map<string, number>();
  (input.zones as unknown[]).forEach((z, i) => {
    if (typeof z !== 'string' || z.length === 0) fail(`zones[${i}]`, 'must be a non-empty string');
    if (zoneIndex.has(z)) fail(`zones[${i}]`, `duplicate zone ${z}`);
    zoneIndex.set(z, zones.length);
    zones.push(z);
  });
  if (!Array.isArray(input.links)) fail('links', 'must be an array');
  const links: ProblemLink[] = [];
  const seenLinks = new Set<string>();
  let wheelSum = 0;
  (input.links as unknown[]).forEach((l, i) => {
    const path = `links[${i}]`;
    if (typeof l !== 'object' || l === null) fail(path, 'must be an object');
    const link = l as Record<string, unknown>;
    const from = typeof link['from'] === 'string' ? zoneIndex.get(link['from']) : undefined;
    if (from === undefined) fail(`${path}.from`, 'must name a zone');
    const to = typeof link['to'] === 'string' ? zoneIndex.get(link['to']) : undefined;
    if (to === undefined || to === from) fail(`${path}.to`, 'must name another zone');
    if (seenLinks.has(`${from}>${to}`)) fail(path, 'duplicate link direction');
    seenLinks.add(`${from}>${to}`);
    const wheel = link['wheelingTicks'];
    if (!isInt(wheel) || wheel < 0 || wheel > 2 ** 40)
      fail(`${path}.wheelingTicks`, 'must be a non-negative integer up to 2^40');
    wheelSum += wheel;
    const rawCap = link['capacityWh'];
    let caps: number[];
    if (Array.isArray(rawCap)) {
      if (rawCap.length !== intervals) fail(`${path}.capacityWh`, `must have ${intervals} entries`);
      caps = rawCap.map((c: unknown, t) => {
        if (!isInt(c) || c < 0 || c > LIMIT)
          fail(`${path}.capacityWh[${t}]`, 'must be a non-negative integer up to 2^50');
        return c;
      });
    } else {
      if (!isInt(rawCap) || rawCap < 0 || rawCap > LIMIT)
        fail(`${path}.capacityWh`, 'must be a non-negative integer up to 2^50 or an array of them');
      caps = new Array<number>(intervals).fill(rawCap);
    }
    links.push({ from, to, cap: caps, wheel });
  });
  if (wheelSum > 2 ** 44) fail('links', 'wheeling charges too large');
  if (!Array.isArray(input.orders)) fail('orders', 'must be an array');
  const ids = new IdTable((input.orders as unknown[]).length);
  const volume = new Float64Array(zones.length * intervals);
  const orders: ProblemOrder[] = [];
  const rawOrders = input.orders as unknown[];
  // Paths are built only for an error: a day has 100,000 orders and usually none is bad.
  const at = (i: number, rest = ''): string => `orders[${i}]${rest}`;
  /** Per interval, 1 + the index of the last block whose profile named it. */
  const seenBy = new Int32Array(intervals);
  for (let i = 0; i < rawOrders.length; i++) {
    const o = rawOrders[i];
    if (typeof o !== 'object' || o === null) fail(at(i), 'must be an object');
    const order = o as Record<string, unknown>;
    const id = order['id'];
    if (typeof id !== 'string' || id.length === 0) fail(at(i, '.id'), 'must be a non-empty string');
    if (ids.find(id) >= 0) fail(at(i, '.id'), `duplicate id ${id}`);
    ids.add(id);
    const zone = typeof order['zone'] === 'string' ? zoneIndex.get(order['zone']) : undefined;
    if (zone === undefined) fail(at(i, '.zone'), 'must name a zone');
    const side = order['side'];
    if (side !== 'buy' && side !== 'sell') fail(at(i, '.side'), 'must be "buy" or "sell"');
    const price = order['priceTicks'];
    if (!isInt(price) || price < floor || price > cap)
      fail(at(i, '.priceTicks'), `must be an integer in [${floor}, ${cap}]`);
    // A simple order's legs are one literal of exactly one element: an empty array grown by push
    // would reserve 17 slots, and a day's 100,000 orders live through the whole clearing.
    let legs: Leg[];
    const isBlock = order['profile'] !== undefined;
    if (isBlock) {
      if (order['interval'] !== undefined || order['quantityWh'] !== undefined)
        fail(at(i), 'a block order has a profile instead of interval and quantityWh');
      const profile = order['profile'];
      if (!Array.isArray(profile) || profile.length === 0)
        fail(at(i, '.profile'), 'must be a non-empty array');
      legs = [];
      for (let k = 0; k < profile.length; k++) {
        const leg: unknown = profile[k];
        const lp = (rest = ''): string => at(i, `.profile[${k}]${rest}`);
        if (typeof leg !== 'object' || leg === null) fail(lp(), 'must be an object');
        const { interval, quantityWh } = leg as Record<string, unknown>;
        if (!isInt(interval) || interval < 0 || interval >= intervals)
          fail(lp('.interval'), `must be an integer in [0, ${intervals - 1}]`);
        if (seenBy[interval] === i + 1) fail(lp('.interval'), 'repeats an interval of the profile');
        seenBy[interval] = i + 1;
        if (!isInt(quantityWh) || quantityWh <= 0 || quantityWh > LIMIT)
          fail(lp('.quantityWh'), 'must be a positive integer up to 2^50');
        legs.push({ t: interval, q: quantityWh });
      }
      legs.sort((a, b) => a.t - b.t);
    } else {
      const interval = order['interval'];
      if (!isInt(interval) || interval < 0 || interval >= intervals)
        fail(at(i, '.interval'), `must be an integer in [0, ${intervals - 1}]`);
      const q = order['quantityWh'];
      if (!isInt(q) || q <= 0 || q > LIMIT)
        fail(at(i, '.quantityWh'), 'must be a positive integer up to 2^50');
      legs = [{ t: interval, q }];
    }
    const rawRatio = order['minAcceptanceRatio'];
    let minRatio = isBlock ? 1 : 0;
    if (rawRatio !== undefined) {
      if (
        typeof rawRatio !== 'number' ||
        !Number.isFinite(rawRatio) ||
        rawRatio < 0 ||
        rawRatio > 1
      )
        fail(at(i, '.minAcceptanceRatio'), 'must be a number in [0, 1]');
      minRatio = rawRatio;
    }
    let totalQ = 0;
    for (const leg of legs) {
      totalQ += leg.q;
      const cell = zone * intervals + leg.t;
      volume[cell] = volume[cell]! + leg.q;
      if (volume[cell] > LIMIT) fail(at(i, '.quantityWh'), 'zone-interval volume exceeds 2^50 Wh');
    }
    if (totalQ > LIMIT) fail(at(i, '.profile'), 'total quantity exceeds 2^50 Wh');
    orders.push({
      id,
      index: i,
      zone,
      sign: side === 'sell' ? 1 : -1,
      price,
      legs,
      totalQ,
      minRatio,
      complex: isBlock || minRatio > 0,
    });
  }
  return { intervals, floor, cap, zones, links, orders };
}
