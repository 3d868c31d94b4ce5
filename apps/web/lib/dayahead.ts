// The day-ahead draft a trader edits before submitting: stepwise bid curves per zone, side and
// quarter-hour (each step becomes one simple order) and block orders (one price over a run of
// intervals, all or a minimum share). Text stays as typed; it is checked and converted here.
import type { DayAheadSubmitOrder, MarketParams } from './api';
import { INTERVAL_MS, dayStartMs } from './time';
import { ENERGY_SCALE, PRICE_SCALE, maxBuyCostSatang, parseScaled, parseScaledInt } from './units';

export type Side = 'buy' | 'sell';

export interface Step {
  id: string;
  price: string;
  quantity: string;
  /** Minimum acceptance as a percentage, empty for none. */
  minPercent: string;
}

export interface BlockDraft {
  id: string;
  zone: string;
  side: Side;
  price: string;
  /** kWh in each interval of the block. */
  quantity: string;
  fromIndex: number;
  /** Inclusive. */
  toIndex: number;
  minPercent: string;
}

export interface Draft {
  /** Key `${zone}|${side}|${index}` → the steps of that curve. */
  curves: Record<string, Step[]>;
  blocks: BlockDraft[];
}

export const emptyDraft = (): Draft => ({ curves: {}, blocks: [] });

export function curveKey(zone: string, side: Side, index: number): string {
  return `${zone}|${side}|${index}`;
}

export function parseCurveKey(key: string): { zone: string; side: Side; index: number } {
  const [zone = '', side = 'buy', index = '0'] = key.split('|');
  return { zone, side: side === 'sell' ? 'sell' : 'buy', index: Number(index) };
}

let counter = 0;
export function newId(prefix: string): string {
  counter += 1;
  return `${prefix}${Date.now().toString(36)}${counter}`;
}

export const newStep = (price = '', quantity = ''): Step => ({
  id: newId('s'),
  price,
  quantity,
  minPercent: '',
});

export type Problem =
  | { kind: 'price'; min: number; max: number; tick: number }
  | { kind: 'quantity'; min: number; max: number; lot: number }
  | { kind: 'ratio' }
  | { kind: 'range' };

export function checkPrice(text: string, p: MarketParams): number | Problem {
  const ticks = parseScaledInt(text, PRICE_SCALE);
  if (
    ticks === null ||
    ticks % p.tickSizeTicks !== 0 ||
    ticks < p.priceFloorTicks ||
    ticks > p.priceCapTicks
  ) {
    return { kind: 'price', min: p.priceFloorTicks, max: p.priceCapTicks, tick: p.tickSizeTicks };
  }
  return ticks;
}

export function checkQuantity(text: string, p: MarketParams): number | Problem {
  const wh = parseScaledInt(text, ENERGY_SCALE);
  if (wh === null || wh % p.lotSizeWh !== 0 || wh < p.minQuantityWh || wh > p.maxQuantityWh) {
    return { kind: 'quantity', min: p.minQuantityWh, max: p.maxQuantityWh, lot: p.lotSizeWh };
  }
  return wh;
}

/** A percentage 0 < r ≤ 100 with up to 2 decimals → a ratio; empty → undefined. */
export function checkRatio(text: string): number | undefined | Problem {
  if (text.trim() === '') return undefined;
  const hundredths = parseScaled(text, 2);
  if (hundredths === null || hundredths <= 0n || hundredths > 10_000n) return { kind: 'ratio' };
  return Number(hundredths) / 10_000;
}

export interface Compiled {
  orders: DayAheadSubmitOrder[];
  problems: { where: string; problem: Problem }[];
  buyWh: number;
  sellWh: number;
  /** The most the buys can reserve (the engine's rule: price + highest wheeling, + fee). */
  maxBuySatang: bigint;
  intervals: number;
}

function isProblem(v: unknown): v is Problem {
  return typeof v === 'object' && v !== null && 'kind' in v;
}

export function compile(
  draft: Draft,
  day: string,
  params: MarketParams,
  maxWheelingInto: (zone: string) => number,
): Compiled {
  const start = dayStartMs(day);
  const iso = (index: number) => new Date(start + index * INTERVAL_MS).toISOString();
  const out: Compiled = {
    orders: [],
    problems: [],
    buyWh: 0,
    sellWh: 0,
    maxBuySatang: 0n,
    intervals: 0,
  };
  const used = new Set<number>();
  const account = (side: Side, zone: string, priceTicks: number, wh: number) => {
    if (side === 'buy') {
      out.buyWh += wh;
      out.maxBuySatang += maxBuyCostSatang(wh, priceTicks, maxWheelingInto(zone), params.feePpm);
    } else out.sellWh += wh;
  };
  for (const [key, steps] of Object.entries(draft.curves)) {
    const { zone, side, index } = parseCurveKey(key);
    for (const step of steps) {
      if (step.price.trim() === '' && step.quantity.trim() === '') continue;
      const price = checkPrice(step.price, params);
      const qty = checkQuantity(step.quantity, params);
      const ratio = checkRatio(step.minPercent);
      const bad = [price, qty, ratio].find(isProblem);
      if (bad) {
        out.problems.push({ where: key, problem: bad });
        continue;
      }
      const priceTicks = price as number;
      const quantityWh = qty as number;
      used.add(index);
      account(side, zone, priceTicks, quantityWh);
      out.orders.push({
        kind: 'simple',
        zone,
        side,
        intervalStart: iso(index),
        priceTicks,
        quantityWh,
        ...(ratio === undefined ? {} : { minAcceptanceRatio: ratio as number }),
      });
    }
  }
  for (const block of draft.blocks) {
    const price = checkPrice(block.price, params);
    const qty = checkQuantity(block.quantity, params);
    const ratio = checkRatio(block.minPercent);
    const bad = [price, qty, ratio].find(isProblem);
    if (bad || block.toIndex < block.fromIndex) {
      out.problems.push({ where: block.id, problem: bad ?? { kind: 'range' } });
      continue;
    }
    const priceTicks = price as number;
    const quantityWh = qty as number;
    const profile = [];
    for (let i = block.fromIndex; i <= block.toIndex; i++) {
      profile.push({ intervalStart: iso(i), quantityWh });
      used.add(i);
    }
    account(block.side, block.zone, priceTicks, quantityWh * profile.length);
    out.orders.push({
      kind: 'block',
      zone: block.zone,
      side: block.side,
      priceTicks,
      profile,
      ...(ratio === undefined ? {} : { minAcceptanceRatio: ratio as number }),
    });
  }
  out.intervals = used.size;
  return out;
}

/** Copies the curve at `from` to every quarter-hour of hours `fromHour`..`toHour` (inclusive). */
export function copyCurve(
  draft: Draft,
  zone: string,
  side: Side,
  from: number,
  fromHour: number,
  toHour: number,
): Draft {
  const source = draft.curves[curveKey(zone, side, from)] ?? [];
  const curves = { ...draft.curves };
  for (let hour = Math.min(fromHour, toHour); hour <= Math.max(fromHour, toHour); hour++) {
    for (let q = 0; q < 4; q++) {
      const index = hour * 4 + q;
      if (index === from) continue;
      curves[curveKey(zone, side, index)] = source.map((s) => ({ ...s, id: newId('s') }));
    }
  }
  return { ...draft, curves };
}
