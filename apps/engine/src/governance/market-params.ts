// The exchange's governed market parameters: names, units and bounds, the checks a proposed
// value must pass against the current ones (so the market stays consistent), and the order rule
// the live books apply once a change took effect (a book opened earlier keeps its own spec).
import type { MarketSpec, RejectCode } from '@gridtokenx/matching';
import { EMISSION_FACTOR_KEY, MAX_EMISSION_FACTOR_MG_PER_KWH } from '../certificates/carbon.ts';
import type { MarketParameters, ReferenceData } from '../market/reference.ts';

/** Parameters held in `market_parameter`, with their bounds (inclusive). */
export const SCALAR_BOUNDS = {
  price_floor_ticks: [0n, 10_000_000n],
  price_cap_ticks: [1n, 10_000_000n],
  tick_size_ticks: [1n, 100_000n],
  lot_size_wh: [1n, 1_000_000n],
  min_quantity_wh: [1n, 1_000_000_000n],
  max_quantity_wh: [1n, 1_000_000_000_000n],
  fee_ppm: [0n, 100_000n],
  [EMISSION_FACTOR_KEY]: [0n, MAX_EMISSION_FACTOR_MG_PER_KWH],
} as const satisfies Record<string, readonly [bigint, bigint]>;
export type ScalarName = keyof typeof SCALAR_BOUNDS;

/** Per-link parameters: `wheeling_ticks:<FROM>><TO>` and `link_capacity_wh:<FROM>><TO>`. */
export const LINK_BOUNDS = {
  wheeling_ticks: [0n, 1_000_000n],
  link_capacity_wh: [0n, 10_000_000_000_000n],
} as const;
export type LinkParamKind = keyof typeof LINK_BOUNDS;

export type MarketParam =
  | { kind: 'scalar'; name: ScalarName }
  | { kind: 'link'; param: LinkParamKind; from: string; to: string };

const LINK_NAME =
  /^(wheeling_ticks|link_capacity_wh):([A-Z]{2,4}(?:-[A-Z]{1,4})?)>([A-Z]{2,4}(?:-[A-Z]{1,4})?)$/;

export function parseMarketParam(name: string): MarketParam | null {
  if (Object.hasOwn(SCALAR_BOUNDS, name)) return { kind: 'scalar', name: name as ScalarName };
  const m = LINK_NAME.exec(name);
  if (!m) return null;
  return { kind: 'link', param: m[1] as LinkParamKind, from: m[2]!, to: m[3]! };
}

const FIELD_OF: Record<Exclude<ScalarName, typeof EMISSION_FACTOR_KEY>, keyof MarketParameters> = {
  price_floor_ticks: 'priceFloorTicks',
  price_cap_ticks: 'priceCapTicks',
  tick_size_ticks: 'tickSizeTicks',
  lot_size_wh: 'lotSizeWh',
  min_quantity_wh: 'minQuantityWh',
  max_quantity_wh: 'maxQuantityWh',
  fee_ppm: 'feePpm',
};

/** The market parameters with one scalar changed (the emission factor changes none of them). */
export function withScalar(
  params: MarketParameters,
  name: ScalarName,
  value: bigint,
): MarketParameters {
  if (name === EMISSION_FACTOR_KEY) return params;
  return { ...params, [FIELD_OF[name]]: Number(value) };
}

/** Why the market would be inconsistent under `params`, or null. */
export function specProblem(p: MarketParameters): string | null {
  if (p.priceCapTicks <= p.priceFloorTicks) return 'the price cap must exceed the price floor';
  if (p.priceFloorTicks % p.tickSizeTicks !== 0 || p.priceCapTicks % p.tickSizeTicks !== 0) {
    return 'the price floor and cap must be multiples of the tick size';
  }
  if (p.minQuantityWh > p.maxQuantityWh) return 'the minimum quantity must not exceed the maximum';
  if (p.minQuantityWh % p.lotSizeWh !== 0 || p.maxQuantityWh % p.lotSizeWh !== 0) {
    return 'the minimum and maximum quantities must be multiples of the lot size';
  }
  return null;
}

/**
 * Why `value` cannot be proposed for `name` now (unknown name, out of bounds, unknown link, or a
 * market that would be inconsistent with the other current parameters), or null.
 */
export function marketParamProblem(
  name: string,
  value: bigint,
  reference: ReferenceData,
): string | null {
  const param = parseMarketParam(name);
  if (!param) return `unknown market parameter ${name}`;
  const [min, max] = param.kind === 'scalar' ? SCALAR_BOUNDS[param.name] : LINK_BOUNDS[param.param];
  if (value < min || value > max) return `${name} must be within ${min}..${max}`;
  if (param.kind === 'link') {
    const exists = reference.links.some((l) => l.from === param.from && l.to === param.to);
    return exists ? null : `there is no link ${param.from} → ${param.to}`;
  }
  return specProblem(withScalar(reference.params, param.name, value));
}

/**
 * The governed order rule for books opened before a change: a price or quantity the current
 * spec refuses gets the matcher's own code, as a freshly opened book would answer.
 */
export function orderRuleRejection(
  spec: MarketSpec,
  order: { priceTicks?: number | undefined; quantityWh?: number | undefined },
): RejectCode | null {
  const price = order.priceTicks;
  if (price !== undefined) {
    if (price < spec.priceFloorTicks || price > spec.priceCapTicks)
      return 'MATCH_PRICE_OUT_OF_BAND';
    if (price % spec.tickSizeTicks !== 0) return 'MATCH_PRICE_NOT_ON_TICK';
  }
  const quantity = order.quantityWh;
  if (quantity !== undefined) {
    if (quantity < spec.minQuantityWh) return 'MATCH_QUANTITY_TOO_SMALL';
    if (quantity > spec.maxQuantityWh) return 'MATCH_QUANTITY_TOO_LARGE';
    if (quantity % spec.lotSizeWh !== 0) return 'MATCH_QUANTITY_NOT_ON_LOT';
  }
  return null;
}
