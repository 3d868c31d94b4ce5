// Market reference data from the database: zones, inter-zone links (capacity per interval and
// wheeling charge) and market parameters (price band, tick, lot, limits, fee). The books and the
// auction take these as plain integers.
import type { LinkConfig, MarketSpec } from '@gridtokenx/matching';
import type { PrismaClient } from '../db/index.ts';

export interface ZoneInfo {
  code: string;
  nameEn: string;
  nameTh: string;
  authority: string;
  halted: boolean;
  haltReason: string | null;
}

export interface MarketParameters {
  priceFloorTicks: number;
  priceCapTicks: number;
  tickSizeTicks: number;
  lotSizeWh: number;
  minQuantityWh: number;
  maxQuantityWh: number;
  feePpm: number;
}

export interface ReferenceData {
  zones: ZoneInfo[];
  links: LinkConfig[];
  params: MarketParameters;
}

const PARAMETER_KEYS: Record<keyof MarketParameters, string> = {
  priceFloorTicks: 'price_floor_ticks',
  priceCapTicks: 'price_cap_ticks',
  tickSizeTicks: 'tick_size_ticks',
  lotSizeWh: 'lot_size_wh',
  minQuantityWh: 'min_quantity_wh',
  maxQuantityWh: 'max_quantity_wh',
  feePpm: 'fee_ppm',
};

function safe(value: bigint, key: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new Error(`market parameter ${key} is out of range`);
  return n;
}

export async function loadReferenceData(prisma: PrismaClient): Promise<ReferenceData> {
  const [zones, links, params] = await Promise.all([
    prisma.zone.findMany({ orderBy: { code: 'asc' } }),
    prisma.link.findMany({ orderBy: [{ fromZone: 'asc' }, { toZone: 'asc' }] }),
    prisma.marketParameter.findMany(),
  ]);
  const byKey = new Map(params.map((p) => [p.key, p.value]));
  const values = {} as MarketParameters;
  for (const [field, key] of Object.entries(PARAMETER_KEYS) as [keyof MarketParameters, string][]) {
    const v = byKey.get(key);
    if (v === undefined)
      throw new Error(`market parameter ${key} is missing (is the database seeded?)`);
    values[field] = safe(v, key);
  }
  return {
    zones: zones.map((z) => ({
      code: z.code,
      nameEn: z.nameEn,
      nameTh: z.nameTh,
      authority: z.authority,
      halted: z.halted,
      haltReason: z.haltReason,
    })),
    links: links.map((l) => ({
      from: l.fromZone,
      to: l.toZone,
      capacityWh: safe(l.capacityWh, `link ${l.fromZone}->${l.toZone}`),
      wheelingTicks: l.wheelingTicks,
    })),
    params: values,
  };
}

export function specOf(params: MarketParameters): MarketSpec {
  return {
    tickSizeTicks: params.tickSizeTicks,
    lotSizeWh: params.lotSizeWh,
    minQuantityWh: params.minQuantityWh,
    maxQuantityWh: params.maxQuantityWh,
    priceFloorTicks: params.priceFloorTicks,
    priceCapTicks: params.priceCapTicks,
  };
}

/** Highest wheeling charge a buyer in `zone` can pay (it may match any linked seller). */
export function maxWheelingInto(links: readonly LinkConfig[], zone: string): number {
  return links.filter((l) => l.to === zone).reduce((m, l) => Math.max(m, l.wheelingTicks), 0);
}

export function linkKey(from: string, to: string): string {
  return `${from}>${to}`;
}
