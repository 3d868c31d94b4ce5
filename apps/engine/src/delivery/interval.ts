// One delivery interval as the grid sees it: what the markets scheduled (trades, day-ahead
// flows), what the meters measured, the imbalance price per zone, each position's imbalance,
// the inter-zone flows against capacity and the simulated frequency. `loadInterval` reads it;
// `summarize` is pure, so the settlement and the operator's live view compute the same numbers.
import type { Database } from '../db/index.ts';
import {
  frequencyFromImbalance,
  frequencyState,
  type FrequencyState,
} from '../balancing/frequency.ts';
import { INTERVAL_MS } from '../market/calendar.ts';
import { tariffTicksAt } from '../metering/tariff.ts';
import { imbalancePrice, type PriceBasis } from './pricing.ts';

const HOUR_MS = 3600_000;

export interface IntervalTrade {
  id: string;
  market: 'DAY_AHEAD' | 'CONTINUOUS';
  buyZone: string;
  sellZone: string;
  buyerId: string;
  sellerId: string;
  priceTicks: number;
  quantityWh: bigint;
  notionalSatang: bigint;
  wheelingSatang: bigint;
  buyerFeeSatang: bigint;
  sellerFeeSatang: bigint;
  settlementStatus: 'PENDING' | 'SUBMITTED' | 'FINAL' | 'FAILED';
}

export interface IntervalReading {
  meterId: string;
  ownerId: string;
  zone: string;
  /** The zone's distribution authority (MEA or PEA), which attests the reading. */
  authority: string;
  kind: string;
  injectedWh: bigint;
  withdrawnWh: bigint;
}

export interface IntervalData {
  intervalStartMs: number;
  zones: string[];
  trades: IntervalTrade[];
  readings: IntervalReading[];
  dayAhead: Map<string, { priceTicks: number; volumeWh: bigint }>;
  dayAheadFlows: { from: string; to: string; quantityWh: bigint }[];
  links: { from: string; to: string; capacityWh: bigint }[];
  /** Highest pay-as-clear price of upward reserve in force for the interval, per zone. */
  reserveUp: Map<string, number>;
}

export interface ZonePosition {
  zone: string;
  /** Net export the markets scheduled for the zone's trading positions (sells − buys), Wh. */
  scheduledWh: bigint;
  /** What those positions' meters measured, net (injection − withdrawal), Wh. */
  meteredWh: bigint;
  /** Schedules not kept (GRID-F1): negative a seller's shortfall, positive a buyer's unused purchase. */
  imbalanceWh: bigint;
  /** All meters of the zone, traded or not. */
  injectionWh: bigint;
  withdrawalWh: bigint;
  priceTicks: number;
  priceBasis: PriceBasis;
}

export interface AccountPosition {
  accountId: string;
  zone: string;
  scheduledWh: bigint;
  meteredWh: bigint;
  imbalanceWh: bigint;
  /** Whether the account traded in the zone (its position counts for the frequency). */
  traded: boolean;
}

export interface LinkFlow {
  from: string;
  to: string;
  /** Day-ahead flow plus cross-zone real-time trades, Wh in the interval. */
  scheduledWh: bigint;
  capacityWh: bigint;
  overloaded: boolean;
}

export interface IntervalSummary {
  intervalStartMs: number;
  zones: ZonePosition[];
  accounts: AccountPosition[];
  links: LinkFlow[];
  imbalanceWh: bigint;
  frequencyMhz: number;
  frequencyState: FrequencyState;
}

export async function loadInterval(db: Database, intervalStartMs: number): Promise<IntervalData> {
  const at = new Date(intervalStartMs);
  const hour = new Date(Math.floor(intervalStartMs / HOUR_MS) * HOUR_MS);
  const end = new Date(intervalStartMs + INTERVAL_MS);
  const [zones, trades, readings, prices, flows, links, reserve] = await Promise.all([
    db.pool.query<{ code: string }>(`SELECT code FROM zone ORDER BY code`),
    db.pool.query<{
      id: string;
      market: 'DAY_AHEAD' | 'CONTINUOUS';
      buy_zone: string;
      sell_zone: string;
      buyer_id: string;
      seller_id: string;
      price_ticks: number;
      quantity_wh: string;
      notional_satang: string;
      wheeling_satang: string;
      buyer_fee_satang: string;
      seller_fee_satang: string;
      settlement_status: IntervalTrade['settlementStatus'];
    }>(
      `SELECT id, market, buy_zone, sell_zone, buyer_id, seller_id, price_ticks, quantity_wh,
              notional_satang, wheeling_satang, buyer_fee_satang, seller_fee_satang, settlement_status
         FROM trade WHERE interval_start = $1 ORDER BY id`,
      [at],
    ),
    db.pool.query<{
      meter_id: string;
      owner_id: string;
      zone: string;
      authority: string;
      kind: string;
      injected_wh: string;
      withdrawn_wh: string;
    }>(
      `SELECT r.meter_id, m.owner_id, m.zone, z.authority, m.kind, r.injected_wh, r.withdrawn_wh
         FROM meter_reading r JOIN meter m ON m.id = r.meter_id JOIN zone z ON z.code = m.zone
        WHERE r.interval_start = $1 ORDER BY r.meter_id`,
      [at],
    ),
    db.pool.query<{ zone: string; price_ticks: number; volume: string }>(
      `SELECT zone, price_ticks, (buy_wh + sell_wh)::text AS volume FROM auction_price WHERE interval_start = $1`,
      [at],
    ),
    db.pool.query<{ from_zone: string; to_zone: string; quantity_wh: string }>(
      `SELECT from_zone, to_zone, quantity_wh FROM auction_flow WHERE interval_start = $1`,
      [at],
    ),
    db.pool.query<{ from_zone: string; to_zone: string; capacity_wh: string }>(
      `SELECT from_zone, to_zone, capacity_wh FROM link ORDER BY from_zone, to_zone`,
    ),
    // Upward reserve activated for the hour before the interval ended prices its shortfalls.
    db.pool.query<{ zone: string; price: number }>(
      `SELECT zone, max(clearing_price_ticks) AS price FROM reserve_activation
        WHERE hour_start = $1 AND direction = 'UP' AND activated_w > 0 AND created_at < $2
        GROUP BY zone`,
      [hour, end],
    ),
  ]);
  return {
    intervalStartMs,
    zones: zones.rows.map((z) => z.code),
    trades: trades.rows.map((t) => ({
      id: t.id,
      market: t.market,
      buyZone: t.buy_zone,
      sellZone: t.sell_zone,
      buyerId: t.buyer_id,
      sellerId: t.seller_id,
      priceTicks: t.price_ticks,
      quantityWh: BigInt(t.quantity_wh),
      notionalSatang: BigInt(t.notional_satang),
      wheelingSatang: BigInt(t.wheeling_satang),
      buyerFeeSatang: BigInt(t.buyer_fee_satang),
      sellerFeeSatang: BigInt(t.seller_fee_satang),
      settlementStatus: t.settlement_status,
    })),
    readings: readings.rows.map((r) => ({
      meterId: r.meter_id,
      ownerId: r.owner_id,
      zone: r.zone,
      authority: r.authority,
      kind: r.kind,
      injectedWh: BigInt(r.injected_wh),
      withdrawnWh: BigInt(r.withdrawn_wh),
    })),
    dayAhead: new Map(
      prices.rows.map((p) => [p.zone, { priceTicks: p.price_ticks, volumeWh: BigInt(p.volume) }]),
    ),
    dayAheadFlows: flows.rows.map((f) => ({
      from: f.from_zone,
      to: f.to_zone,
      quantityWh: BigInt(f.quantity_wh),
    })),
    links: links.rows.map((l) => ({
      from: l.from_zone,
      to: l.to_zone,
      capacityWh: BigInt(l.capacity_wh),
    })),
    reserveUp: new Map(reserve.rows.map((r) => [r.zone, r.price])),
  };
}

/** The interval's trades that stand (settled on chain, or on their way); failed ones are void. */
export function liveTrades(data: IntervalData): IntervalTrade[] {
  return data.trades.filter((t) => t.settlementStatus !== 'FAILED');
}

export function zonePrices(
  data: IntervalData,
): Map<string, { priceTicks: number; basis: PriceBasis }> {
  const trades = liveTrades(data).filter((t) => t.market === 'CONTINUOUS');
  const tariffTicks = tariffTicksAt(data.intervalStartMs);
  return new Map(
    data.zones.map((zone) => [
      zone,
      imbalancePrice({
        rtTrades: trades.filter((t) => t.buyZone === zone || t.sellZone === zone),
        dayAhead: data.dayAhead.get(zone) ?? null,
        reserveUpTicks: data.reserveUp.get(zone) ?? null,
        tariffTicks,
      }),
    ]),
  );
}

/**
 * Positions, flows and frequency (GRID-F1). A position is an account in a zone; it counts for
 * the zone's schedule and the frequency when the account traded there (the clearing house, a
 * pass-through counterparty, holds none). Accounts that only metered, a buyer's consumption
 * beyond its purchases and a seller's export beyond its sales are the utility's default service:
 * the imbalance is the schedules not kept (a seller's shortfall, a buyer's unused purchase).
 */
export function summarize(data: IntervalData, clearingId: string | null): IntervalSummary {
  const prices = zonePrices(data);
  const positions = new Map<string, AccountPosition>();
  const position = (accountId: string, zone: string): AccountPosition => {
    const key = `${accountId}|${zone}`;
    let p = positions.get(key);
    if (!p) {
      p = { accountId, zone, scheduledWh: 0n, meteredWh: 0n, imbalanceWh: 0n, traded: false };
      positions.set(key, p);
    }
    return p;
  };
  const flows = new Map<string, bigint>();
  for (const t of liveTrades(data)) {
    if (t.sellerId !== clearingId) {
      const p = position(t.sellerId, t.sellZone);
      p.scheduledWh += t.quantityWh;
      p.traded = true;
    }
    if (t.buyerId !== clearingId) {
      const p = position(t.buyerId, t.buyZone);
      p.scheduledWh -= t.quantityWh;
      p.traded = true;
    }
    if (t.sellZone !== t.buyZone) {
      const k = `${t.sellZone}>${t.buyZone}`;
      flows.set(k, (flows.get(k) ?? 0n) + t.quantityWh);
    }
  }
  for (const f of data.dayAheadFlows) {
    const k = `${f.from}>${f.to}`;
    flows.set(k, (flows.get(k) ?? 0n) + f.quantityWh);
  }
  const zones = new Map<string, ZonePosition>(
    data.zones.map((zone) => {
      const price = prices.get(zone)!;
      return [
        zone,
        {
          zone,
          scheduledWh: 0n,
          meteredWh: 0n,
          imbalanceWh: 0n,
          injectionWh: 0n,
          withdrawalWh: 0n,
          priceTicks: price.priceTicks,
          priceBasis: price.basis,
        },
      ];
    }),
  );
  for (const r of data.readings) {
    const p = position(r.ownerId, r.zone);
    p.meteredWh += r.injectedWh - r.withdrawnWh;
    const z = zones.get(r.zone);
    if (z) {
      z.injectionWh += r.injectedWh;
      z.withdrawalWh += r.withdrawnWh;
    }
  }
  let imbalanceWh = 0n;
  for (const p of positions.values()) {
    p.imbalanceWh = p.meteredWh - p.scheduledWh;
    const z = zones.get(p.zone);
    if (!z || !p.traded) continue;
    z.scheduledWh += p.scheduledWh;
    z.meteredWh += p.meteredWh;
    // Flows beyond a schedule, in its direction, are the utility's default service: a buyer's
    // consumption beyond what it bought is supplied at tariff, a seller's export beyond what it
    // sold is taken by the utility. What counts is the schedule not kept: a seller's shortfall,
    // a buyer's purchase left unused.
    const counted =
      p.scheduledWh > 0n
        ? p.imbalanceWh < 0n
          ? p.imbalanceWh
          : 0n
        : p.scheduledWh < 0n && p.imbalanceWh > 0n
          ? p.imbalanceWh
          : 0n;
    z.imbalanceWh += counted;
    imbalanceWh += counted;
  }
  const frequencyMhz = frequencyFromImbalance(imbalanceWh);
  return {
    intervalStartMs: data.intervalStartMs,
    zones: [...zones.values()],
    accounts: [...positions.values()].sort((a, b) =>
      a.accountId === b.accountId ? (a.zone < b.zone ? -1 : 1) : a.accountId < b.accountId ? -1 : 1,
    ),
    links: data.links.map((l) => {
      const scheduledWh = flows.get(`${l.from}>${l.to}`) ?? 0n;
      return { ...l, scheduledWh, overloaded: scheduledWh > l.capacityWh };
    }),
    imbalanceWh,
    frequencyMhz,
    frequencyState: frequencyState(frequencyMhz),
  };
}
