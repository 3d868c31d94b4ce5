// The day-ahead auction: sealed orders for delivery day D (simple per-interval steps and block
// orders) are accepted until gate closure D-1 12:00 ICT, then cleared once with uniform zonal
// prices. The exchange's clearing house is the counterparty of every accepted order, so each
// acceptance becomes a trade against it and settles on chain like any other trade.
import { createHash } from 'node:crypto';
import { clearAuction, type AuctionInput, type AuctionOrder } from '@gridtokenx/matching';
import type { Clock } from '../clock.ts';
import type { Database, Prisma } from '../db/index.ts';
import type { DomainCode } from '../errors.ts';
import type { Logger } from '../log.ts';
import { maxBuyCostSatang, tradeAmounts } from '../settlement/amounts.ts';
import type { Publisher } from '../streams/hub.ts';
import {
  addDays,
  continuousCloseMs,
  continuousOpenMs,
  dayStartMs,
  deliveryDayOf,
  gateClosureMs,
  INTERVAL_MS,
  intervalIndex,
  intervalsOfDay,
  isIntervalStart,
  type DeliveryDay,
} from './calendar.ts';
import type { Actor } from './continuous.ts';
import type { Reservations } from './funds.ts';
import { ensureDay } from './intervals.ts';
import { loadReferenceData, maxWheelingInto, type ReferenceData } from './reference.ts';

export interface SimpleOrderInput {
  kind: 'simple';
  zone: string;
  side: 'buy' | 'sell';
  intervalStart: number;
  priceTicks: number;
  quantityWh: number;
  /** 0 < r ≤ 1: accepted at this share or more, or not at all. */
  minAcceptanceRatio?: number | undefined;
}

export interface BlockOrderInput {
  kind: 'block';
  zone: string;
  side: 'buy' | 'sell';
  priceTicks: number;
  profile: { intervalStart: number; quantityWh: number }[];
  /** Defaults to 1 (all or nothing). */
  minAcceptanceRatio?: number | undefined;
}

export type DayAheadOrderInput = SimpleOrderInput | BlockOrderInput;

export type DayAheadResult<T> =
  { ok: true; value: T } | { ok: false; code: DomainCode; message: string };

export interface DayAheadDeps {
  db: Database;
  clock: Clock;
  logger: Logger;
  publish: Publisher;
  reservations: Reservations;
  clearingAccountId: () => string;
  onTrades?: (trades: { buyerId: string; sellerId: string; buyerTotalSatang: bigint }[]) => void;
}

const PPM = 1_000_000;

function fail<T>(code: DomainCode, message: string): DayAheadResult<T> {
  return { ok: false, code, message };
}

export class DayAheadMarket {
  private reference!: ReferenceData;
  private clearing: Promise<void> | null = null;

  constructor(private readonly deps: DayAheadDeps) {}

  /** Rebuilds buy-order reservations of open day-ahead orders and clears any overdue day. */
  async start(): Promise<void> {
    this.reference = await loadReferenceData(this.deps.db.prisma);
    const open = await this.deps.db.prisma.order.findMany({
      where: { market: 'DAY_AHEAD', status: 'OPEN', side: 'BUY' },
      include: { profile: true },
    });
    for (const o of open) {
      const legs = o.profile.length ? o.profile.map((p) => p.quantityWh) : [o.quantityWh];
      const cost = this.buyCost(o.zone, o.priceTicks, legs.map(Number));
      this.deps.reservations.put(o.accountId, o.id, cost);
    }
    await this.tick();
  }

  async reloadReference(): Promise<void> {
    this.reference = await loadReferenceData(this.deps.db.prisma);
  }

  private totalWh(o: { quantityWh: bigint; profile: { quantityWh: bigint }[] }): number {
    return o.profile.length
      ? o.profile.reduce((s, p) => s + Number(p.quantityWh), 0)
      : Number(o.quantityWh);
  }

  /**
   * The most a buy order can cost: each leg (one interval) becomes at most one trade, rounded on
   * its own, at no more than the order's price plus the highest wheeling into its zone.
   */
  private buyCost(zone: string, priceTicks: number, legsWh: number[]): bigint {
    const wheeling = maxWheelingInto(this.reference.links, zone);
    const fee = this.reference.params.feePpm;
    return legsWh.reduce((sum, wh) => sum + maxBuyCostSatang(wh, priceTicks, wheeling, fee), 0n);
  }

  /** The next delivery day still taking orders. */
  openDay(): DeliveryDay {
    const now = this.deps.clock.now();
    let day = addDays(deliveryDayOf(now), 1);
    while (gateClosureMs(day) <= now) day = addDays(day, 1);
    return day;
  }

  // ───────────────────────────────────────────────────────────── orders

  private validate(input: DayAheadOrderInput): string | null {
    const p = this.reference.params;
    if (!this.reference.zones.some((z) => z.code === input.zone))
      return `unknown zone ${input.zone}`;
    if (input.priceTicks < p.priceFloorTicks || input.priceTicks > p.priceCapTicks) {
      return `price must be within ${p.priceFloorTicks}..${p.priceCapTicks} ticks`;
    }
    if (input.priceTicks % p.tickSizeTicks !== 0)
      return `price must be a multiple of ${p.tickSizeTicks} ticks`;
    const legs =
      input.kind === 'simple'
        ? [{ intervalStart: input.intervalStart, quantityWh: input.quantityWh }]
        : input.profile;
    if (legs.length === 0) return 'a block needs at least one interval';
    const day = deliveryDayOf(legs[0]!.intervalStart);
    const seen = new Set<number>();
    for (const leg of legs) {
      if (!isIntervalStart(leg.intervalStart)) return 'interval starts must be on a quarter hour';
      if (deliveryDayOf(leg.intervalStart) !== day)
        return 'all intervals must be in one delivery day';
      if (seen.has(leg.intervalStart)) return 'an interval appears twice in the block';
      seen.add(leg.intervalStart);
      if (leg.quantityWh < p.minQuantityWh || leg.quantityWh > p.maxQuantityWh) {
        return `quantity must be within ${p.minQuantityWh}..${p.maxQuantityWh} Wh`;
      }
      if (leg.quantityWh % p.lotSizeWh !== 0)
        return `quantity must be a multiple of ${p.lotSizeWh} Wh`;
    }
    const ratio = input.minAcceptanceRatio;
    if (ratio !== undefined && !(ratio > 0 && ratio <= 1))
      return 'minimum acceptance ratio must be in (0, 1]';
    return null;
  }

  /** Submits one or more orders atomically; all are refused if one is invalid. */
  async submit(orders: DayAheadOrderInput[], actor: Actor): Promise<DayAheadResult<string[]>> {
    if (orders.length === 0) return fail('DAY_AHEAD_INVALID', 'no orders');
    const now = this.deps.clock.now();
    for (const [i, o] of orders.entries()) {
      const problem = this.validate(o);
      if (problem) return fail('DAY_AHEAD_INVALID', `order ${i + 1}: ${problem}`);
      const first = o.kind === 'simple' ? o.intervalStart : o.profile[0]!.intervalStart;
      const day = deliveryDayOf(first);
      if (gateClosureMs(day) <= now) {
        return fail(
          'MARKET_GATE_CLOSED',
          `The day-ahead gate for ${day} closed at 12:00 ICT the day before`,
        );
      }
      if (dayStartMs(day) - now > 8 * 24 * 3600_000) {
        return fail(
          'DAY_AHEAD_INVALID',
          `order ${i + 1}: day-ahead orders are taken up to a week ahead`,
        );
      }
    }
    // Reserve buying power for buys first; undo on any shortfall.
    const ids = orders.map(() => `D${crypto.randomUUID().replaceAll('-', '').slice(0, 20)}`);
    const reserved: string[] = [];
    for (const [i, o] of orders.entries()) {
      if (o.side !== 'buy') continue;
      const legs = o.kind === 'simple' ? [o.quantityWh] : o.profile.map((l) => l.quantityWh);
      const cost = this.buyCost(o.zone, o.priceTicks, legs);
      if (!this.deps.reservations.tryReserve(actor.accountId, ids[i]!, cost)) {
        for (const id of reserved) this.deps.reservations.release(id);
        return fail('ORDER_INSUFFICIENT_FUNDS', `Not enough THB to back buy order ${i + 1}`);
      }
      reserved.push(ids[i]!);
    }
    try {
      const days = new Set(
        orders.map((o) =>
          deliveryDayOf(o.kind === 'simple' ? o.intervalStart : o.profile[0]!.intervalStart),
        ),
      );
      await this.deps.db.prisma.$transaction(async (tx) => {
        for (const day of days) await ensureDay(tx, day);
        for (const [i, o] of orders.entries()) {
          const id = ids[i]!;
          const legs =
            o.kind === 'simple'
              ? [{ intervalStart: o.intervalStart, quantityWh: o.quantityWh }]
              : [...o.profile].sort((a, b) => a.intervalStart - b.intervalStart);
          const total = legs.reduce((s, l) => s + l.quantityWh, 0);
          const ratio = o.minAcceptanceRatio ?? (o.kind === 'block' ? 1 : undefined);
          await tx.order.create({
            data: {
              id,
              accountId: actor.accountId,
              market: 'DAY_AHEAD',
              zone: o.zone,
              intervalStart: new Date(legs[0]!.intervalStart),
              side: o.side === 'buy' ? 'BUY' : 'SELL',
              type: o.kind === 'block' ? 'BLOCK' : 'LIMIT',
              tif: 'GTC',
              priceTicks: o.priceTicks,
              quantityWh: BigInt(total),
              remainingWh: BigInt(total),
              minAcceptancePpm: ratio === undefined ? null : Math.round(ratio * PPM),
              ...(o.kind === 'block'
                ? {
                    profile: {
                      create: legs.map((l) => ({
                        intervalStart: new Date(l.intervalStart),
                        quantityWh: BigInt(l.quantityWh),
                      })),
                    },
                  }
                : {}),
            },
          });
        }
        await tx.auditLog.create({
          data: {
            actorId: actor.accountId,
            action: 'dayAhead.submit',
            target: ids.join(','),
            ip: actor.ip,
            requestId: actor.requestId,
            details: { count: orders.length },
          },
        });
      });
    } catch (error) {
      for (const id of reserved) this.deps.reservations.release(id);
      throw error;
    }
    return { ok: true, value: ids };
  }

  async cancel(orderId: string, actor: Actor): Promise<DayAheadResult<true>> {
    const order = await this.deps.db.prisma.order.findUnique({ where: { id: orderId } });
    if (!order || order.accountId !== actor.accountId || order.market !== 'DAY_AHEAD') {
      return fail('ORDER_NOT_FOUND', 'No day-ahead order with this id');
    }
    if (order.status !== 'OPEN') return fail('MATCH_ORDER_NOT_OPEN', 'The order is no longer open');
    const day = deliveryDayOf(order.intervalStart.getTime());
    if (gateClosureMs(day) <= this.deps.clock.now()) {
      return fail('MARKET_GATE_CLOSED', `The day-ahead gate for ${day} has closed`);
    }
    const updated = await this.deps.db.prisma.$transaction(async (tx) => {
      const n = await tx.order.updateMany({
        where: { id: orderId, status: 'OPEN' },
        data: { status: 'CANCELLED', reason: 'requested' },
      });
      if (n.count === 1) {
        await tx.auditLog.create({
          data: {
            actorId: actor.accountId,
            action: 'dayAhead.cancel',
            target: orderId,
            ip: actor.ip,
            requestId: actor.requestId,
          },
        });
      }
      return n.count;
    });
    if (updated === 0) return fail('MATCH_ORDER_NOT_OPEN', 'The order is no longer open');
    this.deps.reservations.release(orderId);
    return { ok: true, value: true };
  }

  // ───────────────────────────────────────────────────────────── clearing

  /** Clears every day whose gate has closed and that has not been cleared yet. */
  async tick(): Promise<void> {
    if (this.clearing) return this.clearing;
    this.clearing = this.clearDue().finally(() => {
      this.clearing = null;
    });
    return this.clearing;
  }

  private async clearDue(): Promise<void> {
    const now = this.deps.clock.now();
    const pending = await this.deps.db.pool.query<{ day: string }>(
      `SELECT DISTINCT to_char(interval_start AT TIME ZONE 'Asia/Bangkok', 'YYYY-MM-DD') AS day
         FROM "order" WHERE market = 'DAY_AHEAD' AND status = 'OPEN'`,
    );
    const days = new Set(pending.rows.map((r) => r.day));
    // A day with no orders is still cleared (at the floor), so its results are published.
    const upcoming = deliveryDayOf(now + 12 * 3600_000);
    days.add(upcoming);
    for (const day of [...days].sort()) {
      if (gateClosureMs(day) > now) continue;
      const done = await this.deps.db.prisma.auctionRun.findUnique({ where: { day } });
      if (done) continue;
      await this.clearDay(day);
    }
  }

  /** Clears one delivery day; idempotent (a cleared day is never cleared again). */
  async clearDay(day: DeliveryDay): Promise<void> {
    await this.reloadReference();
    const ref = this.reference;
    const intervals = intervalsOfDay(day);
    const from = new Date(intervals[0]!);
    const to = new Date(intervals[0]! + 96 * INTERVAL_MS);
    const orders = await this.deps.db.prisma.order.findMany({
      where: { market: 'DAY_AHEAD', status: 'OPEN', intervalStart: { gte: from, lt: to } },
      include: { profile: true },
      orderBy: { createdAt: 'asc' },
    });
    const input: AuctionInput = {
      intervals: 96,
      priceFloorTicks: ref.params.priceFloorTicks,
      priceCapTicks: ref.params.priceCapTicks,
      zones: ref.zones.map((z) => z.code),
      links: ref.links.map((l) => ({ ...l })),
      orders: orders.map((o): AuctionOrder => {
        const ratio = o.minAcceptancePpm === null ? undefined : o.minAcceptancePpm / PPM;
        const base = {
          id: o.id,
          zone: o.zone,
          side: o.side === 'BUY' ? ('buy' as const) : ('sell' as const),
          priceTicks: o.priceTicks,
          ...(ratio === undefined ? {} : { minAcceptanceRatio: ratio }),
        };
        return o.type === 'BLOCK'
          ? {
              ...base,
              profile: o.profile.map((p) => ({
                interval: intervalIndex(p.intervalStart.getTime()),
                quantityWh: Number(p.quantityWh),
              })),
            }
          : {
              ...base,
              interval: intervalIndex(o.intervalStart.getTime()),
              quantityWh: Number(o.quantityWh),
            };
      }),
    };
    const inputHash = createHash('sha256').update(JSON.stringify(input)).digest('hex');
    const started = performance.now();
    const outcome = await clearAuction(input);
    const clearedAt = new Date(this.deps.clock.now());
    if (!outcome.ok) {
      // Orders were validated on entry, so this is a defect: record it and keep the orders.
      this.deps.logger.error({ day, outcome }, 'day-ahead auction input rejected');
      await this.deps.db.prisma.auctionRun.create({
        data: {
          day,
          status: 'FAILED',
          clearedAt,
          orderCount: orders.length,
          welfare: 0,
          inputHash,
          error: `${outcome.field}: ${outcome.message}`,
        },
      });
      return;
    }
    const result = outcome.result;
    const byId = new Map(orders.map((o) => [o.id, o]));
    const accepted = new Map(result.accepted.map((a) => [a.id, a]));
    const clearingId = this.deps.clearingAccountId();
    const feePpm = ref.params.feePpm;
    const tradeRows: Prisma.TradeCreateManyInput[] = [];
    const outbox: Prisma.SettlementOutboxCreateManyInput[] = [];
    const acceptances: Prisma.OrderAcceptanceCreateManyInput[] = [];
    const zoneVolumes = new Map<string, { buy: bigint; sell: bigint }>();
    for (const a of result.accepted) {
      const o = byId.get(a.id);
      if (!o) continue;
      for (const [indexStr, wh] of Object.entries(a.quantitiesWh)) {
        if (wh <= 0) continue;
        const t = intervals[Number(indexStr)]!;
        const price = result.prices[o.zone]?.[Number(indexStr)];
        if (price === undefined)
          throw new Error(`auction result has no price for ${o.zone} #${indexStr}`);
        const buy = o.side === 'BUY';
        const amounts = tradeAmounts(wh, price, 0, feePpm);
        const id = `A${day.replaceAll('-', '')}-${o.id}-${Number(indexStr)}`;
        acceptances.push({
          orderId: o.id,
          intervalStart: new Date(t),
          quantityWh: BigInt(wh),
          ratioPpm: Math.round(a.acceptanceRatio * PPM),
        });
        const vk = `${t}|${o.zone}`;
        const v = zoneVolumes.get(vk) ?? { buy: 0n, sell: 0n };
        if (buy) v.buy += BigInt(wh);
        else v.sell += BigInt(wh);
        zoneVolumes.set(vk, v);
        tradeRows.push({
          id,
          market: 'DAY_AHEAD',
          intervalStart: new Date(t),
          buyZone: o.zone,
          sellZone: o.zone,
          buyOrderId: buy ? o.id : null,
          sellOrderId: buy ? null : o.id,
          buyerId: buy ? o.accountId : clearingId,
          sellerId: buy ? clearingId : o.accountId,
          takerSide: null,
          priceTicks: price,
          quantityWh: BigInt(wh),
          wheelingTicks: 0,
          notionalSatang: amounts.notionalSatang,
          wheelingSatang: 0n,
          buyerFeeSatang: buy ? amounts.buyerFeeSatang : 0n,
          sellerFeeSatang: buy ? 0n : amounts.sellerFeeSatang,
          roundingResidue: amounts.roundingResidue,
          createdAt: clearedAt,
        });
        outbox.push({
          key: `trade:${id}`,
          kind: 'trade',
          payload: {
            tradeId: id,
            buyerId: buy ? o.accountId : clearingId,
            sellerId: buy ? clearingId : o.accountId,
            intervalStart: t,
            buyZone: o.zone,
            sellZone: o.zone,
            quantityWh: wh,
            priceTicks: price,
            sellerPriceTicks: price,
            wheelingTicks: 0,
            notionalSatang: amounts.notionalSatang.toString(),
            wheelingSatang: '0',
            buyerFeeSatang: (buy ? amounts.buyerFeeSatang : 0n).toString(),
            sellerFeeSatang: (buy ? 0n : amounts.sellerFeeSatang).toString(),
          },
        });
      }
    }
    await this.deps.db.prisma.$transaction(
      async (tx) => {
        await tx.auctionRun.create({
          data: {
            day,
            status: 'CLEARED',
            clearedAt,
            orderCount: orders.length,
            welfare: result.welfare.toFixed(6),
            inputHash,
          },
        });
        await tx.auctionPrice.createMany({
          data: ref.zones.flatMap((z) =>
            intervals.map((t, i) => {
              const v = zoneVolumes.get(`${t}|${z.code}`) ?? { buy: 0n, sell: 0n };
              return {
                day,
                intervalStart: new Date(t),
                zone: z.code,
                priceTicks: result.prices[z.code]?.[i] ?? ref.params.priceFloorTicks,
                buyWh: v.buy,
                sellWh: v.sell,
              };
            }),
          ),
        });
        if (result.flows.length) {
          await tx.auctionFlow.createMany({
            data: result.flows.map((f) => ({
              day,
              intervalStart: new Date(intervals[f.interval]!),
              fromZone: f.from,
              toZone: f.to,
              quantityWh: BigInt(f.quantityWh),
            })),
          });
        }
        if (acceptances.length) await tx.orderAcceptance.createMany({ data: acceptances });
        if (tradeRows.length) await tx.trade.createMany({ data: tradeRows });
        if (outbox.length) await tx.settlementOutbox.createMany({ data: outbox });
        for (const o of orders) {
          const a = accepted.get(o.id);
          const total = this.totalWh(o);
          const acceptedWh = a ? Object.values(a.quantitiesWh).reduce((s, q) => s + q, 0) : 0;
          await tx.order.update({
            where: { id: o.id },
            data: {
              status:
                acceptedWh > 0 ? (acceptedWh >= total ? 'FILLED' : 'PARTIALLY_FILLED') : 'EXPIRED',
              remainingWh: BigInt(total - acceptedWh),
              reason: acceptedWh > 0 ? null : 'not accepted',
            },
          });
        }
        await tx.auditLog.create({
          data: {
            action: 'dayAhead.clear',
            target: day,
            details: {
              orders: orders.length,
              accepted: result.accepted.length,
              welfare: result.welfare,
              inputHash,
            },
          },
        });
      },
      { timeout: 120_000, maxWait: 30_000 },
    );
    for (const o of orders) this.deps.reservations.release(o.id);
    this.deps.onTrades?.(
      tradeRows.map((t) => ({
        buyerId: t.buyerId,
        sellerId: t.sellerId,
        buyerTotalSatang: BigInt(t.notionalSatang as bigint) + BigInt(t.buyerFeeSatang as bigint),
      })),
    );
    this.deps.logger.info(
      {
        day,
        orders: orders.length,
        accepted: result.accepted.length,
        ms: Math.round(performance.now() - started),
      },
      'day-ahead auction cleared',
    );
    this.deps.publish('dayahead', 'results', { day, clearedAt: clearedAt.getTime() });
  }

  // ───────────────────────────────────────────────────────────── queries

  async results(day: DeliveryDay) {
    const run = await this.deps.db.prisma.auctionRun.findUnique({ where: { day } });
    if (!run) return null;
    const [prices, flows] = await Promise.all([
      this.deps.db.prisma.auctionPrice.findMany({
        where: { day },
        orderBy: [{ intervalStart: 'asc' }, { zone: 'asc' }],
      }),
      this.deps.db.prisma.auctionFlow.findMany({
        where: { day },
        orderBy: [{ intervalStart: 'asc' }],
      }),
    ]);
    return {
      day,
      status: run.status,
      clearedAt: run.clearedAt,
      orderCount: run.orderCount,
      welfareTickKwh: run.welfare.toString(),
      prices: prices.map((p) => ({
        intervalStart: p.intervalStart.getTime(),
        zone: p.zone,
        priceTicks: p.priceTicks,
        buyWh: Number(p.buyWh),
        sellWh: Number(p.sellWh),
      })),
      flows: flows.map((f) => ({
        intervalStart: f.intervalStart.getTime(),
        from: f.fromZone,
        to: f.toZone,
        quantityWh: Number(f.quantityWh),
      })),
    };
  }

  /** Calendar facts for a delivery day, for clients. */
  calendar(day: DeliveryDay) {
    return {
      day,
      gateClosure: gateClosureMs(day),
      continuousOpen: continuousOpenMs(day),
      firstInterval: dayStartMs(day),
      lastIntervalClose: continuousCloseMs(dayStartMs(day) + 95 * INTERVAL_MS),
    };
  }
}
