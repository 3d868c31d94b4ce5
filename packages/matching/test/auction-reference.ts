// Test oracles for the day-ahead auction: a seeded instance generator, the naive welfare MIP built
// straight from the input (one HiGHS column per order, no aggregation or windows), and a checker
// of every price rule of docs/spec/matching.md DA-* that reads only the input and the result.
import * as highsModule from 'highs';
import type { Highs } from 'highs';
import type { AuctionInput, AuctionOrder, AuctionResult } from '../src/index.ts';
import { rng } from './rng.ts';

let loading: Promise<Highs> | undefined;
export function referenceHighs(): Promise<Highs> {
  const exported = highsModule.default as unknown as
    (() => Promise<Highs>) | { default: () => Promise<Highs> };
  loading ??= typeof exported === 'function' ? exported() : exported.default();
  return loading;
}

export interface GenOptions {
  readonly maxZones?: number;
  readonly maxIntervals?: number;
  readonly maxOrders?: number;
  readonly blockShare?: number;
}

export function randomAuction(seed: number, options: GenOptions = {}): AuctionInput {
  const r = rng(seed);
  const zones = ['MEA-BKK', 'PEA-C', 'PEA-N', 'PEA-NE', 'PEA-S'].slice(
    0,
    r.int(1, options.maxZones ?? 4),
  );
  const intervals = r.int(1, options.maxIntervals ?? 4);
  const links: AuctionInput['links'][number][] = [];
  for (const from of zones) {
    for (const to of zones) {
      if (from === to || !r.chance(0.5)) continue;
      const capacityWh = r.chance(0.5)
        ? r.int(0, 30) * 100
        : Array.from({ length: intervals }, () => r.int(0, 30) * 100);
      links.push({ from, to, capacityWh, wheelingTicks: r.int(0, 3) * 5 });
    }
  }
  const orders: AuctionOrder[] = [];
  const count = r.int(1, options.maxOrders ?? 30);
  const base = zones.map(() => r.int(80, 160));
  for (let i = 0; i < count; i++) {
    const zone = r.int(0, zones.length - 1);
    const side = r.chance(0.5) ? 'buy' : 'sell';
    // Prices cluster around a zone level, on a coarse grid so that ties and pro-rata happen.
    const priceTicks = Math.min(300, Math.max(0, base[zone]! + 5 * r.int(-8, 8)));
    const id = `${side[0]}${i}-${r.int(0, 999)}`;
    if (r.chance(options.blockShare ?? 0.25)) {
      const start = r.int(0, intervals - 1);
      const length = r.int(1, Math.min(3, intervals - start));
      const profile = Array.from({ length }, (_, k) => ({
        interval: start + k,
        quantityWh: r.int(1, 20) * 100,
      }));
      const kind = r.int(0, 3);
      orders.push({
        id,
        zone: zones[zone]!,
        side,
        priceTicks,
        profile,
        ...(kind === 0 ? {} : { minAcceptanceRatio: [0, 1, 0.5][kind - 1]! }),
      });
    } else {
      const mar = r.chance(0.15) ? { minAcceptanceRatio: r.pick([0.25, 0.5, 1]) } : {};
      orders.push({
        id,
        zone: zones[zone]!,
        side,
        priceTicks,
        interval: r.int(0, intervals - 1),
        quantityWh: r.int(1, 30) * 100 + (r.chance(0.3) ? r.int(1, 99) : 0),
        ...mar,
      });
    }
  }
  return { intervals, priceFloorTicks: 0, priceCapTicks: 300, zones, links, orders };
}

function legsOf(o: AuctionOrder): { interval: number; quantityWh: number }[] {
  return 'profile' in o ? [...o.profile] : [{ interval: o.interval, quantityWh: o.quantityWh }];
}

function minRatioOf(o: AuctionOrder): number {
  return o.minAcceptanceRatio ?? ('profile' in o ? 1 : 0);
}

/** Optimal welfare (tick·kWh) of the naive MIP, with the given orders forced out. */
export function referenceWelfare(
  highs: Highs,
  input: AuctionInput,
  excluded: ReadonlySet<string>,
): number {
  const T = input.intervals;
  const zoneIndex = new Map(input.zones.map((z, i) => [z, i]));
  const rows = input.zones.length * T;
  const cost: number[] = [];
  const lower: number[] = [];
  const upper: number[] = [];
  const integer: number[] = [];
  const starts: number[] = [0];
  const index: number[] = [];
  const value: number[] = [];
  const rowLower: number[] = new Array<number>(rows).fill(0);
  const rowUpper: number[] = new Array<number>(rows).fill(0);
  const column = (
    c: number,
    lo: number,
    up: number,
    int: boolean,
    entries: [number, number][],
  ): void => {
    cost.push(c);
    lower.push(lo);
    upper.push(up);
    integer.push(int ? 1 : 0);
    for (const [r, v] of entries.sort((a, b) => a[0] - b[0])) {
      index.push(r);
      value.push(v);
    }
    starts.push(index.length);
  };
  for (const o of input.orders) {
    const sign = o.side === 'sell' ? 1 : -1;
    const z = zoneIndex.get(o.zone)!;
    const legs = legsOf(o);
    const total = legs.reduce((s, l) => s + l.quantityWh, 0);
    const r0 = minRatioOf(o);
    const entries: [number, number][] = legs.map((l) => [z * T + l.interval, sign * l.quantityWh]);
    const out = excluded.has(o.id);
    if (r0 > 0 && r0 < 1 && !out) {
      const upRow = rowLower.length;
      rowLower.push(-Infinity, 0);
      rowUpper.push(0, Infinity);
      column(-sign * o.priceTicks * total, 0, 1, false, [...entries, [upRow, 1], [upRow + 1, 1]]);
      column(0, 0, 1, true, [
        [upRow, -1],
        [upRow + 1, -r0],
      ]);
    } else {
      column(-sign * o.priceTicks * total, 0, out ? 0 : 1, r0 >= 1, entries);
    }
  }
  for (const l of input.links) {
    for (let t = 0; t < T; t++) {
      const cap = Array.isArray(l.capacityWh)
        ? (l.capacityWh as number[])[t]!
        : (l.capacityWh as number);
      column(-l.wheelingTicks, 0, cap, false, [
        [zoneIndex.get(l.from)! * T + t, -1],
        [zoneIndex.get(l.to)! * T + t, 1],
      ]);
    }
  }
  const n = cost.length;
  const model = highs.createModel({
    numCols: n,
    numRows: rowLower.length,
    sense: highs.constants.objectiveSense.maximize,
    colCost: cost,
    colLower: lower,
    colUpper: upper,
    rowLower,
    rowUpper,
    matrix: {
      format: 'csc',
      numRows: rowLower.length,
      numCols: n,
      starts,
      indices: index,
      values: value,
    },
    ...(integer.includes(1) ? { integrality: Int32Array.from(integer) } : {}),
  });
  try {
    model.options.set({ output_flag: false, mip_rel_gap: 0, mip_abs_gap: 0 });
    model.run();
    if (model.getModelStatus() !== highs.constants.modelStatus.optimal)
      throw new Error(`reference status ${model.getModelStatus()}`);
    return model.getObjectiveValue() / 1000;
  } finally {
    model.dispose();
  }
}

/**
 * Every DA rule that can be read from input and result alone. Returns the broken rules
 * (empty when all hold), each naming its rule id.
 */
export function brokenRules(input: AuctionInput, result: AuctionResult): string[] {
  const broken: string[] = [];
  const T = input.intervals;
  const price = (zone: string, t: number): number => result.prices[zone]![t]!;
  const accepted = new Map(result.accepted.map((a) => [a.id, a]));
  const balance = new Map<string, number>();
  const key = (zone: string, t: number): string => `${zone}@${t}`;
  let welfare = 0n;
  for (const zone of input.zones) {
    for (let t = 0; t < T; t++) {
      const p = price(zone, t);
      if (!Number.isSafeInteger(p) || p < input.priceFloorTicks || p > input.priceCapTicks)
        broken.push(`DA-4 price ${zone}@${t}=${p} outside [floor, cap]`);
    }
  }
  const levels = new Map<string, { ids: string[]; q: number[]; acc: number[] }>();
  for (const o of input.orders) {
    const sign = o.side === 'sell' ? 1 : -1;
    const legs = legsOf(o);
    const a = accepted.get(o.id);
    const total = legs.reduce((s, l) => s + l.quantityWh, 0);
    let acc = 0;
    let surplus = 0n;
    for (const leg of legs) {
      const q = a?.quantitiesWh[String(leg.interval)] ?? 0;
      if (!Number.isSafeInteger(q) || q < 0 || q > leg.quantityWh)
        broken.push(`DA-10 ${o.id} quantity ${q}`);
      acc += q;
      const k = key(o.zone, leg.interval);
      balance.set(k, (balance.get(k) ?? 0) + sign * q);
      welfare -= BigInt(sign * o.priceTicks) * BigInt(q);
      surplus +=
        BigInt(sign) * BigInt(leg.quantityWh) * BigInt(price(o.zone, leg.interval) - o.priceTicks);
    }
    const r0 = minRatioOf(o);
    const isSimpleFree = !('profile' in o) && r0 === 0;
    if (isSimpleFree) {
      const p = price(o.zone, legs[0]!.interval);
      const inMoney = sign > 0 ? o.priceTicks < p : o.priceTicks > p;
      const outMoney = sign > 0 ? o.priceTicks > p : o.priceTicks < p;
      if (inMoney && acc !== total) broken.push(`DA-5 ${o.id} in the money but ${acc}/${total}`);
      if (outMoney && acc !== 0) broken.push(`DA-5 ${o.id} out of the money but ${acc}/${total}`);
      const lk = `${o.zone}@${legs[0]!.interval}/${o.side}/${o.priceTicks}`;
      const level = levels.get(lk) ?? { ids: [], q: [], acc: [] };
      level.ids.push(o.id);
      level.q.push(total);
      level.acc.push(acc);
      levels.set(lk, level);
    } else if (acc > 0) {
      if (surplus < 0n) broken.push(`DA-6 ${o.id} accepted at a loss (${surplus})`);
      if (acc < total && surplus !== 0n)
        broken.push(`DA-7 ${o.id} partly accepted with surplus ${surplus}`);
      if (acc + legs.length < r0 * total) broken.push(`DA-3 ${o.id} below its minimum ratio`);
    }
    if (acc > 0 && acc < total && isSimpleFree && price(o.zone, legs[0]!.interval) !== o.priceTicks)
      broken.push(`DA-7 ${o.id} partly accepted off the price`);
  }
  for (const [k, level] of levels) {
    const A = level.acc.reduce((s, x) => s + x, 0);
    const Q = level.q.reduce((s, x) => s + x, 0);
    level.acc.forEach((x, i) => {
      const fair = (A * level.q[i]!) / Q;
      if (Math.abs(x - fair) >= 1)
        broken.push(`DA-11 ${level.ids[i]} at ${k} got ${x}, pro rata ${fair}`);
    });
  }
  const flows = new Map<string, number>();
  for (const f of result.flows) {
    flows.set(`${f.from}>${f.to}@${f.interval}`, f.quantityWh);
    balance.set(
      key(f.from, f.interval),
      (balance.get(key(f.from, f.interval)) ?? 0) - f.quantityWh,
    );
    balance.set(key(f.to, f.interval), (balance.get(key(f.to, f.interval)) ?? 0) + f.quantityWh);
  }
  for (const l of input.links) {
    for (let t = 0; t < T; t++) {
      const cap = Array.isArray(l.capacityWh)
        ? (l.capacityWh as number[])[t]!
        : (l.capacityWh as number);
      const f = flows.get(`${l.from}>${l.to}@${t}`) ?? 0;
      welfare -= BigInt(l.wheelingTicks) * BigInt(f);
      if (f < 0 || f > cap) broken.push(`DA-2 flow ${l.from}>${l.to}@${t}=${f} over ${cap}`);
      const diff = price(l.to, t) - price(l.from, t);
      if (f < cap && diff > l.wheelingTicks)
        broken.push(
          `DA-8 ${l.from}>${l.to}@${t} has room but prices differ by ${diff} > ${l.wheelingTicks}`,
        );
      if (f > 0 && diff < l.wheelingTicks)
        broken.push(
          `DA-8 ${l.from}>${l.to}@${t} carries ${f} though prices differ by ${diff} < ${l.wheelingTicks}`,
        );
    }
  }
  for (const [k, b] of balance) if (b !== 0) broken.push(`DA-2 ${k} unbalanced by ${b}`);
  if (
    Math.abs(Number(welfare) / 1000 - result.welfare) >
    1e-6 * Math.max(1, Math.abs(result.welfare))
  )
    broken.push(`DA-1 welfare ${result.welfare} but allocation gives ${Number(welfare) / 1000}`);
  return broken;
}

/**
 * DA-9 for one zone and no blocks spanning intervals: each price is the middle, rounded half
 * down, of the integer prices that keep every rule of the published allocation (brute force).
 */
export function middleOfRangeBroken(input: AuctionInput, result: AuctionResult): string[] {
  const broken: string[] = [];
  if (input.zones.length !== 1) return broken;
  if (input.orders.some((o) => 'profile' in o && o.profile.length > 1)) return broken;
  const zone = input.zones[0]!;
  for (let t = 0; t < input.intervals; t++) {
    const admissible: number[] = [];
    for (let p = input.priceFloorTicks; p <= input.priceCapTicks; p++) {
      const prices = { [zone]: result.prices[zone]!.map((x, i) => (i === t ? p : x)) };
      if (brokenRules(input, { ...result, prices }).length === 0) admissible.push(p);
    }
    if (admissible.length === 0) continue;
    const lo = admissible[0]!;
    const hi = admissible[admissible.length - 1]!;
    const expected = Math.floor((lo + hi) / 2);
    if (result.prices[zone]![t] !== expected)
      broken.push(`DA-9 ${zone}@${t} price ${result.prices[zone]![t]} but range [${lo}, ${hi}]`);
  }
  return broken;
}
