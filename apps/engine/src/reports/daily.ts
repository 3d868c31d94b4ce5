// The regulator's daily report, gathered from the database for one ICT delivery day: trades,
// volumes and prices per zone in both markets, delivery shortfalls and imbalances, RECs issued
// and retired, halts and emergency actions. Amounts are integers in their named units, written
// as decimal strings (sums may pass 2^53); prices are whole ticks; times are ISO 8601 UTC.
import type { Database } from '../db/index.ts';
import { dayStartMs } from '../market/calendar.ts';

export const REPORT_FORMAT = 'gridtokenx-daily-report/1';
const DAY_MS = 86_400_000;

export interface SideStats {
  trades: number;
  volumeWh: string;
  valueSatang: string;
  /** Volume-weighted average price, rounded half-even to a whole tick (null without trades). */
  vwapTicks: number | null;
  minPriceTicks: number | null;
  maxPriceTicks: number | null;
}

export interface MarketTotals {
  trades: number;
  volumeWh: string;
  valueSatang: string;
  feesSatang: string;
  wheelingSatang: string;
}

export interface ZoneReport {
  zone: string;
  continuous: { bought: SideStats; sold: SideStats };
  dayAhead: {
    bought: SideStats;
    sold: SideStats;
    /** Uniform prices of the intervals where the auction accepted volume in the zone. */
    clearingPriceTicks: { min: number; max: number; intervals: number } | null;
  };
  delivery: { deliveredWh: string; shortfallWh: string; imbalanceChargeSatang: string };
  imbalance: {
    positions: number;
    surplusWh: string;
    shortfallWh: string;
    chargedSatang: string;
    paidSatang: string;
    priceTicks: { min: number; max: number; intervals: number } | null;
  };
  certificates: { issued: number; issuedWh: string; retired: number; retiredWh: string };
}

export interface DailyReportData {
  format: typeof REPORT_FORMAT;
  day: string;
  timezone: 'Asia/Bangkok';
  from: string;
  to: string;
  generatedAt: string;
  chain: { chainId: string; height: number } | null;
  totals: {
    continuous: MarketTotals;
    dayAhead: MarketTotals;
    delivery: {
      trades: number;
      deliveredWh: string;
      shortfallWh: string;
      imbalanceChargeSatang: string;
    };
    imbalance: { positions: number; chargedSatang: string; paidSatang: string };
    certificates: { issued: number; issuedWh: string; retired: number; retiredWh: string };
    gridEvents: number;
  };
  zones: ZoneReport[];
  certificatesRetired: {
    id: string;
    zone: string;
    technology: string;
    amountWh: string;
    beneficiary: string | null;
    claimPeriod: string | null;
    height: number;
  }[];
  /** Halts, resumptions and the engine's emergency actions (engine clock). */
  gridEvents: {
    at: string;
    kind: string;
    zone: string | null;
    actor: string;
    chainTxHash: string | null;
    details: unknown;
  }[];
  /** Operator and governance actions from the audit log (recorded at database time). */
  operatorActions: { at: string; action: string; target: string | null; actor: string }[];
}

/** Round-half-even division of non-negative bigints. */
function divHalfEven(n: bigint, d: bigint): bigint {
  const q = n / d;
  const r = n - q * d;
  if (r * 2n > d || (r * 2n === d && q % 2n === 1n)) return q + 1n;
  return q;
}

class Side {
  trades = 0;
  volumeWh = 0n;
  valueSatang = 0n;
  weighted = 0n;
  min: number | null = null;
  max: number | null = null;
  add(priceTicks: number, wh: bigint, satang: bigint): void {
    this.trades += 1;
    this.volumeWh += wh;
    this.valueSatang += satang;
    this.weighted += BigInt(priceTicks) * wh;
    this.min = this.min === null ? priceTicks : Math.min(this.min, priceTicks);
    this.max = this.max === null ? priceTicks : Math.max(this.max, priceTicks);
  }
  stats(): SideStats {
    return {
      trades: this.trades,
      volumeWh: this.volumeWh.toString(),
      valueSatang: this.valueSatang.toString(),
      vwapTicks:
        this.volumeWh === 0n
          ? null
          : Number(
              this.weighted < 0n
                ? -divHalfEven(-this.weighted, this.volumeWh)
                : divHalfEven(this.weighted, this.volumeWh),
            ),
      minPriceTicks: this.min,
      maxPriceTicks: this.max,
    };
  }
}

const sum = (xs: readonly bigint[]) => xs.reduce((a, b) => a + b, 0n);

export interface ReportContext {
  clearingAccountId: string | null;
  chain: { chainId: string; height: number } | null;
  generatedAtMs: number;
}

/** Gathers one ICT day's report from the database. */
export async function buildDailyReport(
  db: Database,
  day: string,
  ctx: ReportContext,
): Promise<DailyReportData> {
  const from = new Date(dayStartMs(day));
  const to = new Date(from.getTime() + DAY_MS);
  const { pool, prisma } = db;
  const clearing = ctx.clearingAccountId;
  const [zones, trades, auction, delivery, positions, prices, issued, retired, events, actions] =
    await Promise.all([
      prisma.zone.findMany({ orderBy: { code: 'asc' }, select: { code: true } }),
      pool.query<{
        market: 'CONTINUOUS' | 'DAY_AHEAD';
        buy_zone: string;
        sell_zone: string;
        buyer_id: string;
        seller_id: string;
        price_ticks: number;
        quantity_wh: string;
        notional_satang: string;
        wheeling_satang: string;
        fees_satang: string;
      }>(
        `SELECT market, buy_zone, sell_zone, buyer_id, seller_id, price_ticks, quantity_wh::text,
                notional_satang::text, wheeling_satang::text,
                (buyer_fee_satang + seller_fee_satang)::text AS fees_satang
           FROM trade WHERE interval_start >= $1 AND interval_start < $2`,
        [from, to],
      ),
      pool.query<{ zone: string; min: number; max: number; n: string }>(
        `SELECT zone, min(price_ticks) AS min, max(price_ticks) AS max, count(*)::text AS n
           FROM auction_price WHERE interval_start >= $1 AND interval_start < $2
            AND (buy_wh > 0 OR sell_wh > 0) GROUP BY zone`,
        [from, to],
      ),
      pool.query<{ zone: string; n: string; delivered: string; shortfall: string; charge: string }>(
        `SELECT t.sell_zone AS zone, count(*)::text AS n, sum(d.delivered_wh)::text AS delivered,
                sum(d.shortfall_wh)::text AS shortfall, sum(d.imbalance_charge_satang)::text AS charge
           FROM delivery_settlement d JOIN trade t ON t.id = d.trade_id
          WHERE d.interval_start >= $1 AND d.interval_start < $2 GROUP BY t.sell_zone`,
        [from, to],
      ),
      pool.query<{
        zone: string;
        n: string;
        surplus: string;
        shortfall: string;
        charged: string;
        paid: string;
      }>(
        `SELECT zone, count(*)::text AS n,
                coalesce(sum(imbalance_wh) FILTER (WHERE imbalance_wh > 0), 0)::text AS surplus,
                coalesce(-sum(imbalance_wh) FILTER (WHERE imbalance_wh < 0), 0)::text AS shortfall,
                coalesce(sum(charge_satang) FILTER (WHERE charge_satang > 0), 0)::text AS charged,
                coalesce(-sum(charge_satang) FILTER (WHERE charge_satang < 0), 0)::text AS paid
           FROM imbalance_position WHERE interval_start >= $1 AND interval_start < $2
          GROUP BY zone`,
        [from, to],
      ),
      pool.query<{ zone: string; min: number; max: number; n: string }>(
        `SELECT zone, min(price_ticks) AS min, max(price_ticks) AS max, count(*)::text AS n
           FROM imbalance_price WHERE interval_start >= $1 AND interval_start < $2 GROUP BY zone`,
        [from, to],
      ),
      pool.query<{ zone: string; n: string; wh: string }>(
        `SELECT c.zone, count(*)::text AS n, sum(c.amount_wh)::text AS wh
           FROM certificate c JOIN chain_block b ON b.height = c.issued_height
          WHERE b.time >= $1 AND b.time < $2 GROUP BY c.zone`,
        [from, to],
      ),
      pool.query<{
        id: string;
        zone: string;
        technology: string;
        amount_wh: string;
        beneficiary: string | null;
        claim_period: string | null;
        height: string;
      }>(
        `SELECT c.id, c.zone, c.technology::text, c.amount_wh::text, c.beneficiary, c.claim_period,
                c.status_height::text AS height
           FROM certificate c JOIN chain_block b ON b.height = c.status_height
          WHERE c.status = 'RETIRED' AND b.time >= $1 AND b.time < $2
          ORDER BY c.status_height, c.id`,
        [from, to],
      ),
      pool.query<{
        at: Date;
        kind: string;
        zone: string | null;
        email: string | null;
        chain_tx_hash: string | null;
        details: unknown;
      }>(
        `SELECT e.at, e.kind::text, e.zone, a.email, e.chain_tx_hash, e.details
           FROM grid_event e LEFT JOIN account a ON a.id = e.actor_id
          WHERE e.at >= $1 AND e.at < $2 ORDER BY e.at, e.id`,
        [from, to],
      ),
      pool.query<{ at: Date; action: string; target: string | null; email: string | null }>(
        `SELECT l.at, l.action, l.target, a.email
           FROM audit_log l LEFT JOIN account a ON a.id = l.actor_id
          WHERE l.at >= $1 AND l.at < $2 AND (l.action LIKE 'grid.%' OR l.action LIKE 'gov.%')
          ORDER BY l.at, l.id`,
        [from, to],
      ),
    ]);

  const side = () => ({ bought: new Side(), sold: new Side() });
  const perZone = new Map(
    zones.map((z) => [z.code, { CONTINUOUS: side(), DAY_AHEAD: side() }] as const),
  );
  const totals = {
    CONTINUOUS: { trades: 0, volume: 0n, value: 0n, fees: 0n, wheeling: 0n },
    DAY_AHEAD: { trades: 0, volume: 0n, value: 0n, fees: 0n, wheeling: 0n },
  };
  for (const t of trades.rows) {
    const wh = BigInt(t.quantity_wh);
    const value = BigInt(t.notional_satang);
    const z = perZone;
    if (t.buyer_id !== clearing) z.get(t.buy_zone)?.[t.market].bought.add(t.price_ticks, wh, value);
    if (t.seller_id !== clearing) z.get(t.sell_zone)?.[t.market].sold.add(t.price_ticks, wh, value);
    // A day-ahead acceptance is two trades through the clearing house: count the purchase side.
    const counts = t.market === 'CONTINUOUS' || t.buyer_id !== clearing;
    const m = totals[t.market];
    if (counts) {
      m.trades += 1;
      m.volume += wh;
      m.value += value;
    }
    m.fees += BigInt(t.fees_satang);
    m.wheeling += BigInt(t.wheeling_satang);
  }
  const totalsOf = (m: (typeof totals)['CONTINUOUS']): MarketTotals => ({
    trades: m.trades,
    volumeWh: m.volume.toString(),
    valueSatang: m.value.toString(),
    feesSatang: m.fees.toString(),
    wheelingSatang: m.wheeling.toString(),
  });
  const byZone = <T extends { zone: string }>(rows: T[]) => new Map(rows.map((r) => [r.zone, r]));
  const auctionBy = byZone(auction.rows);
  const deliveryBy = byZone(delivery.rows);
  const positionsBy = byZone(positions.rows);
  const pricesBy = byZone(prices.rows);
  const issuedBy = byZone(issued.rows);
  const retiredWh = new Map<string, { n: number; wh: bigint }>();
  for (const r of retired.rows) {
    const cur = retiredWh.get(r.zone) ?? { n: 0, wh: 0n };
    retiredWh.set(r.zone, { n: cur.n + 1, wh: cur.wh + BigInt(r.amount_wh) });
  }

  const zoneReports: ZoneReport[] = zones.map(({ code }) => {
    const s = perZone.get(code)!;
    const a = auctionBy.get(code);
    const d = deliveryBy.get(code);
    const p = positionsBy.get(code);
    const ip = pricesBy.get(code);
    return {
      zone: code,
      continuous: { bought: s.CONTINUOUS.bought.stats(), sold: s.CONTINUOUS.sold.stats() },
      dayAhead: {
        bought: s.DAY_AHEAD.bought.stats(),
        sold: s.DAY_AHEAD.sold.stats(),
        clearingPriceTicks: a ? { min: a.min, max: a.max, intervals: Number(a.n) } : null,
      },
      delivery: {
        deliveredWh: d?.delivered ?? '0',
        shortfallWh: d?.shortfall ?? '0',
        imbalanceChargeSatang: d?.charge ?? '0',
      },
      imbalance: {
        positions: Number(p?.n ?? 0),
        surplusWh: p?.surplus ?? '0',
        shortfallWh: p?.shortfall ?? '0',
        chargedSatang: p?.charged ?? '0',
        paidSatang: p?.paid ?? '0',
        priceTicks: ip ? { min: ip.min, max: ip.max, intervals: Number(ip.n) } : null,
      },
      certificates: {
        issued: Number(issuedBy.get(code)?.n ?? 0),
        issuedWh: issuedBy.get(code)?.wh ?? '0',
        retired: retiredWh.get(code)?.n ?? 0,
        retiredWh: (retiredWh.get(code)?.wh ?? 0n).toString(),
      },
    };
  });

  return {
    format: REPORT_FORMAT,
    day,
    timezone: 'Asia/Bangkok',
    from: from.toISOString(),
    to: to.toISOString(),
    generatedAt: new Date(ctx.generatedAtMs).toISOString(),
    chain: ctx.chain,
    totals: {
      continuous: totalsOf(totals.CONTINUOUS),
      dayAhead: totalsOf(totals.DAY_AHEAD),
      delivery: {
        trades: delivery.rows.reduce((n, r) => n + Number(r.n), 0),
        deliveredWh: sum(delivery.rows.map((r) => BigInt(r.delivered))).toString(),
        shortfallWh: sum(delivery.rows.map((r) => BigInt(r.shortfall))).toString(),
        imbalanceChargeSatang: sum(delivery.rows.map((r) => BigInt(r.charge))).toString(),
      },
      imbalance: {
        positions: positions.rows.reduce((n, r) => n + Number(r.n), 0),
        chargedSatang: sum(positions.rows.map((r) => BigInt(r.charged))).toString(),
        paidSatang: sum(positions.rows.map((r) => BigInt(r.paid))).toString(),
      },
      certificates: {
        issued: issued.rows.reduce((n, r) => n + Number(r.n), 0),
        issuedWh: sum(issued.rows.map((r) => BigInt(r.wh))).toString(),
        retired: retired.rows.length,
        retiredWh: sum(retired.rows.map((r) => BigInt(r.amount_wh))).toString(),
      },
      gridEvents: events.rows.length,
    },
    zones: zoneReports,
    certificatesRetired: retired.rows.map((r) => ({
      id: r.id,
      zone: r.zone,
      technology: r.technology,
      amountWh: r.amount_wh,
      beneficiary: r.beneficiary,
      claimPeriod: r.claim_period,
      height: Number(r.height),
    })),
    gridEvents: events.rows.map((e) => ({
      at: e.at.toISOString(),
      kind: e.kind,
      zone: e.zone,
      actor: e.email ?? 'engine',
      chainTxHash: e.chain_tx_hash,
      details: e.details,
    })),
    operatorActions: actions.rows.map((l) => ({
      at: l.at.toISOString(),
      action: l.action,
      target: l.target,
      actor: l.email ?? 'engine',
    })),
  };
}
