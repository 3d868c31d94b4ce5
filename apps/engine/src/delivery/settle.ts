// Delivery settlement: once an interval's metering window has closed, the interval is settled
// exactly once, in one database transaction that writes its outbox rows in the order the chain
// must apply them — meter mints (injection → GT to the owner), delivery settlements (GT seller →
// buyer for the delivered part, escrow released, shortfall refunded and charged at the
// imbalance price), consumption burns (withdrawal burns the owner's GT; the rest is supplied by
// the utility at tariff), the sellers' fee, wheeling and imbalance transfers, and reserve
// payments — with the settlement records, imbalance prices and positions, the frequency sample
// and the next watermark. Intervals settle strictly in order, each only after the previous
// interval's rows are final, so every amount here is predicted exactly from chain state.
import { Decimal } from 'decimal.js';
import type pg from 'pg';
import type { ChainHost } from '../chain/host.ts';
import type { Clock } from '../clock.ts';
import type { Database } from '../db/index.ts';
import type { Logger } from '../log.ts';
import { INTERVAL_MS } from '../market/calendar.ts';
import { tariffTicksAt } from '../metering/tariff.ts';
import { userRoom, type Publisher } from '../streams/hub.ts';
import { allocate } from './allocation.ts';
import {
  liveTrades,
  loadInterval,
  summarize,
  type IntervalData,
  type IntervalSummary,
} from './interval.ts';
import { METERING_WINDOW_MS, meteringClosesAt, WATERMARK_KEY } from './window.ts';

const D = Decimal.clone({ precision: 60, rounding: Decimal.ROUND_HALF_EVEN });
/** 1 Wh × 1 tick = 0.00001 satang. */
const SATANG_PER_WH_TICK = new D('0.00001');
const HOUR_MS = 3600_000;
const MAX_INTERVALS_PER_TICK = 8;

/** The outbox kinds of the delivery pipeline; an interval settles only when none is in flight. */
export const DELIVERY_KINDS = [
  'meter.mint',
  'delivery',
  'meter.burn',
  'delivery.charges',
  'reserve.payment',
] as const;

function satang(exact: Decimal): bigint {
  return BigInt(exact.toDecimalPlaces(0, D.ROUND_HALF_EVEN).toFixed(0));
}

function energyValue(wh: bigint, ticks: number): Decimal {
  return new D(wh.toString()).mul(ticks).mul(SATANG_PER_WH_TICK);
}

function share(amount: bigint, part: bigint, whole: bigint): Decimal {
  return new D(amount.toString()).mul(part.toString()).div(whole.toString());
}

const min = (a: bigint, b: bigint) => (a < b ? a : b);

export interface DeliveryDeps {
  db: Database;
  chain: ChainHost;
  clock: Clock;
  logger: Logger;
  publish: Publisher;
  clearingAccountId: () => string | null;
  /** THB an account may still spend (chain balance − unsettled trades − open buy orders). */
  buyingPower: (accountId: string) => bigint;
  /** Runs the settlement worker now. */
  kick: () => void;
  /** After an interval settled (the emergency protocol watches the frequency). */
  onInterval?: (summary: IntervalSummary) => Promise<void>;
}

interface DeliveryRow {
  tradeId: string;
  sellerId: string;
  buyerId: string;
  deliveredWh: bigint;
  shortfallWh: bigint;
  priceTicks: number;
  releasedSatang: bigint;
  refundedSatang: bigint;
  chargeSatang: bigint;
  chargeInDeliverySatang: bigint;
  feeSatang: bigint;
  wheelingSatang: bigint;
  residue: Decimal;
  collectsCharges: boolean;
}

interface ChargesRow {
  sellerId: string;
  toGridSatang: bigint;
  toExchangeSatang: bigint;
  uncollectedSatang: bigint;
}

interface PaymentRow {
  activationId: string;
  offerId: string;
  accountId: string;
  deliveredWh: bigint;
  paidSatang: bigint;
}

export interface SettledInterval {
  summary: IntervalSummary;
  deliveries: DeliveryRow[];
}

export class DeliverySettler {
  private running: Promise<void> | null = null;
  /** Start of the last interval settled by this process (for tests and logs). */
  lastSettledMs: number | null = null;

  constructor(private readonly deps: DeliveryDeps) {}

  /** Settles every interval whose metering window has closed, in order (a few per call). */
  tick(): Promise<void> {
    this.running ??= this.run()
      .catch((err: unknown) => this.deps.logger.error({ err }, 'delivery settlement failed'))
      .finally(() => {
        this.running = null;
      });
    return this.running;
  }

  private async run(): Promise<void> {
    for (let i = 0; i < MAX_INTERVALS_PER_TICK; i++) {
      if ((await this.step()) !== 'settled') return;
    }
  }

  /** The next interval to settle (created on first use: the oldest unsettled activity, or now). */
  async watermark(): Promise<number> {
    const { pool } = this.deps.db;
    const row = await pool.query<{ value: { ms: number } }>(
      `SELECT value FROM engine_state WHERE key = $1`,
      [WATERMARK_KEY],
    );
    if (row.rows[0]) return Number(row.rows[0].value.ms);
    const oldest = await pool.query<{ t: Date | null }>(
      `SELECT least(
          (SELECT min(t.interval_start) FROM trade t
            WHERE NOT EXISTS (SELECT 1 FROM delivery_settlement d WHERE d.trade_id = t.id)),
          (SELECT min(interval_start) FROM meter_reading WHERE burned_wh IS NULL)) AS t`,
    );
    // The oldest interval whose metering window is still open, or older unsettled activity.
    const now = this.deps.clock.now();
    const stillOpen =
      Math.floor((now - INTERVAL_MS - METERING_WINDOW_MS) / INTERVAL_MS) * INTERVAL_MS +
      INTERVAL_MS;
    const start = Math.min(oldest.rows[0]?.t?.getTime() ?? Number.POSITIVE_INFINITY, stillOpen);
    await pool.query(
      `INSERT INTO engine_state (key, value, updated_at) VALUES ($1, $2, now()) ON CONFLICT (key) DO NOTHING`,
      [WATERMARK_KEY, JSON.stringify({ ms: start })],
    );
    return this.watermark();
  }

  private async step(): Promise<'settled' | 'waiting' | 'idle'> {
    const { db, clock } = this.deps;
    const intervalStartMs = await this.watermark();
    if (clock.now() < meteringClosesAt(intervalStartMs)) return 'idle';
    const inflight = await db.pool.query(
      `SELECT 1 FROM settlement_outbox WHERE status IN ('PENDING', 'SUBMITTED') AND kind = ANY($1) LIMIT 1`,
      [DELIVERY_KINDS],
    );
    if (inflight.rowCount) return 'waiting';
    const data = await loadInterval(db, intervalStartMs);
    if (
      data.trades.some(
        (t) => t.settlementStatus === 'PENDING' || t.settlementStatus === 'SUBMITTED',
      )
    ) {
      return 'waiting';
    }
    if (liveTrades(data).length === 0 && data.readings.length === 0) {
      await this.skipQuiet(intervalStartMs);
      return 'settled';
    }
    const settled = await this.settle(data);
    if (!settled) return 'waiting';
    this.lastSettledMs = intervalStartMs;
    this.deps.kick();
    try {
      this.announce(settled);
    } catch (err) {
      this.deps.logger.error({ err }, 'announcing a settled interval failed');
    }
    await this.deps.onInterval?.(settled.summary);
    return 'settled';
  }

  /** Moves the watermark past intervals with neither trades nor readings. */
  private async skipQuiet(fromMs: number): Promise<void> {
    const now = this.deps.clock.now();
    const lastClosed =
      Math.floor((now - INTERVAL_MS - METERING_WINDOW_MS) / INTERVAL_MS) * INTERVAL_MS;
    await this.inTransaction(async (client) => {
      if (!(await this.lockWatermark(client, fromMs))) return;
      const next = await client.query<{ t: Date | null }>(
        `SELECT least(
            (SELECT min(interval_start) FROM trade WHERE interval_start > $1),
            (SELECT min(interval_start) FROM meter_reading WHERE interval_start > $1)) AS t`,
        [new Date(fromMs)],
      );
      const nextActivity = next.rows[0]?.t?.getTime() ?? Number.POSITIVE_INFINITY;
      const to = Math.max(fromMs + INTERVAL_MS, Math.min(nextActivity, lastClosed + INTERVAL_MS));
      await this.setWatermark(client, to);
    });
  }

  private async lockWatermark(client: pg.PoolClient, expectedMs: number): Promise<boolean> {
    const row = await client.query<{ value: { ms: number } }>(
      `SELECT value FROM engine_state WHERE key = $1 FOR UPDATE`,
      [WATERMARK_KEY],
    );
    return row.rows[0] !== undefined && Number(row.rows[0].value.ms) === expectedMs;
  }

  private async setWatermark(client: pg.PoolClient, ms: number): Promise<void> {
    await client.query(`UPDATE engine_state SET value = $2, updated_at = now() WHERE key = $1`, [
      WATERMARK_KEY,
      JSON.stringify({ ms }),
    ]);
  }

  private async inTransaction<T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.deps.db.pool.connect();
    try {
      await client.query('BEGIN');
      const out = await fn(client);
      await client.query('COMMIT');
      return out;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  /** The chain address an account settles from (the clearing house signs with its role key). */
  private async addressOf(accountId: string): Promise<string> {
    const { chain } = this.deps;
    return accountId === this.deps.clearingAccountId()
      ? chain.addressOfRole('clearing')
      : chain.addressOf(accountId);
  }

  private pendingBalance(address: string, asset: 'GT' | 'THB'): bigint {
    return this.deps.chain.query
      .coins(address, { asset, pending: true })
      .reduce((s, c) => s + c.amount, 0n);
  }

  /** Computes everything the interval settles and writes it; false if the watermark moved. */
  private async settle(data: IntervalData): Promise<SettledInterval | null> {
    const { chain } = this.deps;
    const t0 = data.intervalStartMs;
    const clearingId = this.deps.clearingAccountId();
    const summary = summarize(data, clearingId);
    const prices = new Map(summary.zones.map((z) => [z.zone, z.priceTicks]));
    const trades = liveTrades(data);
    const byId = new Map(trades.map((t) => [t.id, t]));

    // DEL-1: delivered energy per trade from metered injection.
    const injectionWh = new Map<string, bigint>();
    for (const r of data.readings) {
      const k = `${r.ownerId}|${r.zone}`;
      injectionWh.set(k, (injectionWh.get(k) ?? 0n) + r.injectedWh);
    }
    const alloc = allocate({
      trades: trades.map((t) => ({
        id: t.id,
        sellerId: t.sellerId,
        buyerId: t.buyerId,
        sellZone: t.sellZone,
        buyZone: t.buyZone,
        quantityWh: t.quantityWh,
      })),
      injectionWh,
      pooled: new Set(clearingId ? [clearingId] : []),
    });

    // DEL-3: money per trade. The chain releases ⌊amount × delivered / quantity⌋ to the seller
    // and refunds the rest; the shortfall costs the seller the imbalance price (the clearing
    // house passes energy through and is never charged). Fees and wheeling are due on the
    // delivered part. Charges come out of the release first, the rest by a seller transfer.
    const deliveries: DeliveryRow[] = alloc.order.map((id) => {
      const t = byId.get(id)!;
      const d = alloc.deliveredWh.get(id)!;
      const q = t.quantityWh;
      const amount = t.notionalSatang + t.wheelingSatang + t.buyerFeeSatang;
      const released = (amount * d) / q;
      const passThrough = t.sellerId === clearingId;
      const price = prices.get(t.sellZone)!;
      const chargeExact = passThrough ? new D(0) : energyValue(q - d, price);
      const feeExact = share(t.buyerFeeSatang + t.sellerFeeSatang, d, q);
      const wheelingExact = share(t.wheelingSatang, d, q);
      const charge = satang(chargeExact);
      const fee = satang(feeExact);
      const wheeling = satang(wheelingExact);
      return {
        tradeId: id,
        sellerId: t.sellerId,
        buyerId: t.buyerId,
        deliveredWh: d,
        shortfallWh: q - d,
        priceTicks: price,
        releasedSatang: released,
        refundedSatang: amount - released,
        chargeSatang: charge,
        chargeInDeliverySatang: min(charge, released),
        feeSatang: fee,
        wheelingSatang: wheeling,
        residue: chargeExact
          .add(feeExact)
          .add(wheelingExact)
          .sub(new D((charge + fee + wheeling).toString())),
        collectsCharges: !passThrough,
      };
    });

    // GT as the chain will hold it, row by row: every delivery must find its seller's GT
    // (an invariant of DEL-1); burns take what the owner holds after the interval's deliveries.
    const gt = new Map<string, bigint>();
    const gtOf = async (accountId: string) => {
      if (!gt.has(accountId)) {
        gt.set(accountId, this.pendingBalance(await this.addressOf(accountId), 'GT'));
      }
      return gt.get(accountId)!;
    };
    for (const r of data.readings) gt.set(r.ownerId, (await gtOf(r.ownerId)) + r.injectedWh);
    for (const d of deliveries) {
      const held = await gtOf(d.sellerId);
      if (held < d.deliveredWh) {
        throw new Error(
          `delivery invariant: seller ${d.sellerId} holds ${held} Wh GT, trade ${d.tradeId} delivers ${d.deliveredWh}`,
        );
      }
      gt.set(d.sellerId, held - d.deliveredWh);
      gt.set(d.buyerId, (await gtOf(d.buyerId)) + d.deliveredWh);
    }
    const tariffTicks = tariffTicksAt(t0);
    const burns: {
      reading: IntervalData['readings'][number];
      burnedWh: bigint;
      utilityWh: bigint;
      utilitySatang: bigint;
    }[] = [];
    for (const r of data.readings) {
      const held = await gtOf(r.ownerId);
      const burnedWh = min(r.withdrawnWh, held);
      gt.set(r.ownerId, held - burnedWh);
      const utilityWh = r.withdrawnWh - burnedWh;
      burns.push({
        reading: r,
        burnedWh,
        utilityWh,
        utilitySatang: satang(energyValue(utilityWh, tariffTicks)),
      });
    }

    // Seller transfers: wheeling and the imbalance charge the release did not cover go to the
    // balancing account (EGAT), fees to the exchange; capped at what the seller can pay.
    const charges = new Map<string, ChargesRow>();
    const proceeds = new Map<string, bigint>();
    for (const d of deliveries) {
      if (!d.collectsCharges) continue;
      proceeds.set(
        d.sellerId,
        (proceeds.get(d.sellerId) ?? 0n) + d.releasedSatang - d.chargeInDeliverySatang,
      );
      const c = charges.get(d.sellerId) ?? {
        sellerId: d.sellerId,
        toGridSatang: 0n,
        toExchangeSatang: 0n,
        uncollectedSatang: 0n,
      };
      c.toGridSatang += d.wheelingSatang + d.chargeSatang - d.chargeInDeliverySatang;
      c.toExchangeSatang += d.feeSatang;
      charges.set(d.sellerId, c);
    }
    let gridIncome = deliveries.reduce((s, d) => s + d.chargeInDeliverySatang, 0n);
    for (const c of charges.values()) {
      const spendable = (proceeds.get(c.sellerId) ?? 0n) + this.deps.buyingPower(c.sellerId);
      const due = c.toGridSatang + c.toExchangeSatang;
      if (due > spendable) {
        const payable = spendable > 0n ? spendable : 0n;
        c.uncollectedSatang = due - payable;
        const exchange = min(c.toExchangeSatang, payable);
        c.toExchangeSatang = exchange;
        c.toGridSatang = payable - exchange;
      }
      gridIncome += c.toGridSatang;
    }

    // Reserve payments: awarded power × the interval, as far as the provider's meter delivered
    // it (UP: injection, DOWN: withdrawal), at the pay-as-clear price, from the balancing
    // account's income (what it cannot cover stays recorded as delivered but unpaid).
    const payments = await this.reservePayments(data, gridIncome);

    const written = await this.inTransaction(async (client) => {
      if (!(await this.lockWatermark(client, t0))) return false;
      await this.reconcileHashes(client, t0 - INTERVAL_MS);
      const outbox: [string, string, Record<string, unknown>][] = [];
      for (const r of data.readings) {
        if (r.injectedWh === 0n) continue;
        outbox.push([
          `mint:${r.meterId}:${t0}`,
          'meter.mint',
          {
            meterId: r.meterId,
            ownerId: r.ownerId,
            zone: r.zone,
            authority: r.authority,
            kind: r.kind,
            intervalStart: t0,
            energyWh: r.injectedWh.toString(),
          },
        ]);
      }
      for (const d of deliveries) {
        outbox.push([
          `delivery:${d.tradeId}`,
          'delivery',
          {
            tradeId: d.tradeId,
            sellerId: d.sellerId,
            buyerId: d.buyerId,
            intervalStart: t0,
            deliveredWh: d.deliveredWh.toString(),
            imbalanceChargeSatang: d.chargeInDeliverySatang.toString(),
          },
        ]);
      }
      for (const b of burns) {
        if (b.burnedWh === 0n) continue;
        outbox.push([
          `burn:${b.reading.meterId}:${t0}`,
          'meter.burn',
          {
            meterId: b.reading.meterId,
            ownerId: b.reading.ownerId,
            zone: b.reading.zone,
            authority: b.reading.authority,
            intervalStart: t0,
            energyWh: b.burnedWh.toString(),
          },
        ]);
      }
      for (const c of [...charges.values()].sort((a, b) => (a.sellerId < b.sellerId ? -1 : 1))) {
        if (c.toGridSatang + c.toExchangeSatang === 0n) continue;
        outbox.push([
          `charges:${c.sellerId}:${t0}`,
          'delivery.charges',
          {
            sellerId: c.sellerId,
            intervalStart: t0,
            toGridSatang: c.toGridSatang.toString(),
            toExchangeSatang: c.toExchangeSatang.toString(),
            uncollectedSatang: c.uncollectedSatang.toString(),
          },
        ]);
      }
      for (const p of payments) {
        if (p.paidSatang === 0n) continue;
        outbox.push([
          `reserve:${p.activationId}:${p.offerId}:${t0}`,
          'reserve.payment',
          {
            accountId: p.accountId,
            activationId: p.activationId,
            offerId: p.offerId,
            intervalStart: t0,
            amountSatang: p.paidSatang.toString(),
          },
        ]);
      }
      await insertValues(
        client,
        'settlement_outbox (key, kind, payload)',
        outbox.map(([key, kind, payload]) => [key, kind, JSON.stringify(payload)]),
      );
      await insertValues(
        client,
        `delivery_settlement (trade_id, interval_start, delivered_wh, shortfall_wh, imbalance_price_ticks,
           released_satang, refunded_satang, imbalance_charge_satang, fee_satang, wheeling_satang, rounding_residue)`,
        deliveries.map((d) => [
          d.tradeId,
          new Date(t0),
          d.deliveredWh.toString(),
          d.shortfallWh.toString(),
          d.priceTicks,
          d.releasedSatang.toString(),
          d.refundedSatang.toString(),
          d.chargeSatang.toString(),
          d.feeSatang.toString(),
          d.wheelingSatang.toString(),
          d.residue.toFixed(),
        ]),
      );
      await insertValues(
        client,
        'imbalance_price (interval_start, zone, price_ticks, basis)',
        summary.zones.map((z) => [new Date(t0), z.zone, z.priceTicks, z.priceBasis]),
      );
      const chargedBy = new Map<string, bigint>();
      for (const d of deliveries) {
        const zone = byId.get(d.tradeId)!.sellZone;
        const k = `${d.sellerId}|${zone}`;
        chargedBy.set(k, (chargedBy.get(k) ?? 0n) + d.chargeSatang);
      }
      await insertValues(
        client,
        `imbalance_position (account_id, interval_start, zone, scheduled_wh, metered_wh, imbalance_wh,
           price_ticks, charge_satang)`,
        summary.accounts.map((p) => [
          p.accountId,
          new Date(t0),
          p.zone,
          p.scheduledWh.toString(),
          p.meteredWh.toString(),
          p.imbalanceWh.toString(),
          prices.get(p.zone) ?? 0,
          (chargedBy.get(`${p.accountId}|${p.zone}`) ?? 0n).toString(),
        ]),
      );
      await client.query(
        `UPDATE meter_reading r SET burned_wh = u.b, utility_wh = u.u, utility_tariff_ticks = $2,
                utility_satang = u.s
           FROM unnest($3::text[], $4::bigint[], $5::bigint[], $6::bigint[]) AS u(m, b, u, s)
          WHERE r.meter_id = u.m AND r.interval_start = $1`,
        [
          new Date(t0),
          tariffTicks,
          burns.map((b) => b.reading.meterId),
          burns.map((b) => b.burnedWh.toString()),
          burns.map((b) => b.utilityWh.toString()),
          burns.map((b) => b.utilitySatang.toString()),
        ],
      );
      if (payments.length) {
        await client.query(
          `UPDATE reserve_award a SET delivered_wh = a.delivered_wh + u.d, paid_satang = a.paid_satang + u.p
             FROM unnest($1::text[], $2::text[], $3::bigint[], $4::bigint[]) AS u(act, off, d, p)
            WHERE a.activation_id = u.act AND a.offer_id = u.off`,
          [
            payments.map((p) => p.activationId),
            payments.map((p) => p.offerId),
            payments.map((p) => p.deliveredWh.toString()),
            payments.map((p) => p.paidSatang.toString()),
          ],
        );
      }
      await client.query(
        `INSERT INTO frequency_sample (at, frequency_mhz, imbalance_wh) VALUES ($1, $2, $3)
         ON CONFLICT (at) DO NOTHING`,
        [new Date(t0 + INTERVAL_MS), summary.frequencyMhz, summary.imbalanceWh.toString()],
      );
      const uncollected = [...charges.values()].filter((c) => c.uncollectedSatang > 0n);
      await client.query(
        `INSERT INTO audit_log (actor_id, action, target, details) VALUES (NULL, 'delivery.settle', $1, $2)`,
        [
          new Date(t0).toISOString(),
          JSON.stringify({
            trades: deliveries.length,
            readings: data.readings.length,
            deliveredWh: deliveries.reduce((s, d) => s + d.deliveredWh, 0n).toString(),
            shortfallWh: deliveries.reduce((s, d) => s + d.shortfallWh, 0n).toString(),
            mintedWh: data.readings.reduce((s, r) => s + r.injectedWh, 0n).toString(),
            burnedWh: burns.reduce((s, b) => s + b.burnedWh, 0n).toString(),
            imbalanceWh: summary.imbalanceWh.toString(),
            frequencyMhz: summary.frequencyMhz,
            uncollected: uncollected.map((c) => ({
              sellerId: c.sellerId,
              satang: c.uncollectedSatang.toString(),
            })),
          }),
        ],
      );
      await this.setWatermark(client, t0 + INTERVAL_MS);
      return true;
    });
    if (!written) return null;
    for (const c of charges.values()) {
      const collected = c.toGridSatang + c.toExchangeSatang;
      if (collected > 0n) chain.addUnsettled(c.sellerId, collected);
      if (c.uncollectedSatang > 0n) {
        this.deps.logger.warn(
          { sellerId: c.sellerId, intervalStart: t0, satang: c.uncollectedSatang.toString() },
          'seller could not pay all of its delivery charges',
        );
      }
    }
    return { summary, deliveries };
  }

  private async reservePayments(data: IntervalData, gridIncome: bigint): Promise<PaymentRow[]> {
    const t0 = data.intervalStartMs;
    const awards = await this.deps.db.pool.query<{
      activation_id: string;
      offer_id: string;
      power_w: string;
      price_ticks: number;
      account_id: string;
      meter_id: string;
      direction: 'UP' | 'DOWN';
    }>(
      `SELECT a.activation_id, a.offer_id, a.power_w, a.price_ticks, o.account_id, o.meter_id, act.direction
         FROM reserve_award a
         JOIN reserve_offer o ON o.id = a.offer_id
         JOIN reserve_activation act ON act.id = a.activation_id
        WHERE act.hour_start = $1 AND act.created_at < $2
        ORDER BY a.activation_id, a.offer_id`,
      [new Date(Math.floor(t0 / HOUR_MS) * HOUR_MS), new Date(t0 + INTERVAL_MS)],
    );
    if (awards.rowCount === 0) return [];
    let budget = this.pendingBalance(this.deps.chain.addressOfRole('EGAT'), 'THB') + gridIncome;
    const readings = new Map(data.readings.map((r) => [r.meterId, r]));
    return awards.rows.map((a) => {
      const r = readings.get(a.meter_id);
      const metered = r ? (a.direction === 'UP' ? r.injectedWh : r.withdrawnWh) : 0n;
      const dueWh = (BigInt(a.power_w) * BigInt(INTERVAL_MS)) / BigInt(HOUR_MS);
      const deliveredWh = min(dueWh, metered);
      const owed = satang(energyValue(deliveredWh, a.price_ticks));
      const paid = min(owed, budget > 0n ? budget : 0n);
      budget -= paid;
      return {
        activationId: a.activation_id,
        offerId: a.offer_id,
        accountId: a.account_id,
        deliveredWh,
        paidSatang: paid,
      };
    });
  }

  /** Copies the final mint and burn transaction hashes onto an interval's readings. */
  private async reconcileHashes(client: pg.PoolClient, intervalStartMs: number): Promise<void> {
    for (const [column, prefix] of [
      ['chain_tx_hash', 'mint'],
      ['burn_tx_hash', 'burn'],
    ] as const) {
      await client.query(
        `UPDATE meter_reading r SET ${column} = o.tx_hash FROM settlement_outbox o
          WHERE r.interval_start = $1 AND r.${column} IS NULL AND o.status = 'FINAL'
            AND o.tx_hash IS NOT NULL AND o.key = '${prefix}:' || r.meter_id || ':' || $2`,
        [new Date(intervalStartMs), String(intervalStartMs)],
      );
    }
  }

  /** Stream messages are JSON: amounts go as numbers (Wh and satang here stay far below 2^53). */
  private announce(settled: SettledInterval): void {
    const { summary, deliveries } = settled;
    this.deps.publish('grid', 'interval', {
      intervalStart: summary.intervalStartMs,
      imbalanceWh: Number(summary.imbalanceWh),
      frequencyMhz: summary.frequencyMhz,
      frequencyState: summary.frequencyState,
      zones: summary.zones.map((z) => ({
        zone: z.zone,
        imbalanceWh: Number(z.imbalanceWh),
        priceTicks: z.priceTicks,
        priceBasis: z.priceBasis,
      })),
    });
    for (const d of deliveries) {
      const message = {
        tradeId: d.tradeId,
        intervalStart: summary.intervalStartMs,
        deliveredWh: Number(d.deliveredWh),
        shortfallWh: Number(d.shortfallWh),
        imbalancePriceTicks: d.priceTicks,
        imbalanceChargeSatang: Number(d.chargeSatang),
      };
      this.deps.publish(userRoom(d.buyerId), 'delivery', { ...message, side: 'buy' });
      this.deps.publish(userRoom(d.sellerId), 'delivery', { ...message, side: 'sell' });
    }
  }
}

/** Multi-row INSERT … VALUES in list order (so serial ids follow it), in chunks. */
async function insertValues(
  client: pg.PoolClient,
  target: string,
  rows: unknown[][],
): Promise<void> {
  if (rows.length === 0) return;
  const width = rows[0]!.length;
  const chunk = Math.floor(30_000 / width);
  for (let i = 0; i < rows.length; i += chunk) {
    const part = rows.slice(i, i + chunk);
    const values = part
      .map(
        (_, r) =>
          `(${Array.from({ length: width }, (_, c) => `$${r * width + c + 1}`).join(', ')})`,
      )
      .join(', ');
    await client.query(`INSERT INTO ${target} VALUES ${values}`, part.flat());
  }
}
