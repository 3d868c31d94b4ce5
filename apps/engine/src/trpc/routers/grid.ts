// grid.state | setLinkCapacity | halt | resume | imbalance | events | reserves | offerReserve |
// withdrawReserve | activateReserve — the grid operator's controls and view. A halt or a capacity
// change takes effect in the live books at once, is recorded in the database and the audit log,
// and is attested on chain through the outbox (an authority transaction). Battery owners offer
// reserve by the hour; the operator activates it pay-as-clear.
import { z } from 'zod';
import { audit } from '../../audit.ts';
import { domainError } from '../../errors.ts';
import { INTERVAL_MS, intervalStartOf, openContinuousIntervals } from '../../market/calendar.ts';
import { loadInterval, summarize } from '../../delivery/interval.ts';
import { METERING_WINDOW_MS, WATERMARK_KEY } from '../../delivery/window.ts';
import {
  ALERT_HIGH_MHZ,
  ALERT_LOW_MHZ,
  BAND_HIGH_MHZ,
  BAND_LOW_MHZ,
  NOMINAL_MHZ,
} from '../../balancing/frequency.ts';
import { HOUR_MS, type ReserveActor } from '../../balancing/reserves.ts';
import type { Outcome } from '../../metering/service.ts';
import { CLEARING_EMAIL } from '../../engine.ts';
import { instant, pageLimit, priceTicks, zoneCode } from '../inputs.ts';
import {
  authedProcedure,
  operatorProcedure,
  publicProcedure,
  router,
  traderProcedure,
} from '../init.ts';
import { haltZone, resumeZone, type GridActor } from '../../balancing/control.ts';
import type { RequestContext } from '../../context.ts';
import type { SessionUser } from '../../auth/sessions.ts';

function gridActor(ctx: RequestContext & { user: SessionUser }): GridActor & ReserveActor {
  return { accountId: ctx.user.accountId, ip: ctx.ip, requestId: ctx.requestId };
}

function unwrap<T>(outcome: Outcome<T>): T {
  if (!outcome.ok) throw domainError(outcome.code, outcome.message);
  return outcome.value;
}

const direction = z.enum(['UP', 'DOWN']);
const powerW = z.number().int().positive().max(10_000_000_000);
const hourStart = instant.refine((ms) => ms % HOUR_MS === 0, 'must be the start of an hour');

/** The interval the operator sees by default: the last one settled for delivery. */
async function lastSettledInterval(ctx: RequestContext): Promise<number> {
  const row = await ctx.services.db.prisma.engineState.findUnique({
    where: { key: WATERMARK_KEY },
  });
  if (row) return Number((row.value as { ms: number }).ms) - INTERVAL_MS;
  return intervalStartOf(ctx.services.clock.now() - INTERVAL_MS - METERING_WINDOW_MS);
}

async function clearingAccountId(ctx: RequestContext): Promise<string | null> {
  const row = await ctx.services.db.prisma.account.findUnique({
    where: { email: CLEARING_EMAIL },
    select: { id: true },
  });
  return row?.id ?? null;
}

const reason = z.string().trim().min(3, 'give a reason of at least 3 characters').max(500);

export const gridRouter = router({
  /** Zones (halted or not), links with their capacity and what the next interval has left. */
  state: publicProcedure.query(async ({ ctx }) => {
    const { prisma } = ctx.services.db;
    const [zones, links] = await Promise.all([
      prisma.zone.findMany({ orderBy: { code: 'asc' } }),
      prisma.link.findMany({ orderBy: [{ fromZone: 'asc' }, { toZone: 'asc' }] }),
    ]);
    const next = openContinuousIntervals(ctx.services.clock.now())[0] ?? null;
    // The most recent continuous price per zone (the map colours zones by it).
    const last = await ctx.services.db.pool.query<{ zone: string; price_ticks: number; at: Date }>(
      `SELECT DISTINCT ON (zone) zone, price_ticks, created_at AS at FROM (
          SELECT buy_zone AS zone, price_ticks, created_at FROM trade WHERE market = 'CONTINUOUS'
          UNION ALL SELECT sell_zone, price_ticks, created_at FROM trade WHERE market = 'CONTINUOUS'
        ) t ORDER BY zone, created_at DESC`,
    );
    const lastByZone = new Map(last.rows.map((r) => [r.zone, r]));
    return {
      time: new Date(ctx.services.clock.now()),
      nextInterval: next === null ? null : new Date(next),
      zones: zones.map((z) => ({
        code: z.code,
        nameEn: z.nameEn,
        nameTh: z.nameTh,
        authority: z.authority,
        halted: z.halted,
        haltReason: z.haltReason,
        lastPriceTicks: lastByZone.get(z.code)?.price_ticks ?? null,
        lastTradeAt: lastByZone.get(z.code)?.at ?? null,
      })),
      links: links.map((l) => {
        const capacityWh = Number(l.capacityWh);
        const remainingWh =
          next === null ? null : ctx.services.markets.linkCapacity(next, l.fromZone, l.toZone);
        return {
          from: l.fromZone,
          to: l.toZone,
          capacityWh,
          wheelingTicks: l.wheelingTicks,
          remainingWh,
          congested: remainingWh !== null && remainingWh <= capacityWh * 0.05,
        };
      }),
    };
  }),

  setLinkCapacity: operatorProcedure
    .input(
      z.object({
        from: zoneCode,
        to: zoneCode,
        capacityWh: z.number().int().min(0).max(1e13),
        reason,
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const { prisma } = ctx.services.db;
      const link = await prisma.link.findUnique({
        where: { fromZone_toZone: { fromZone: input.from, toZone: input.to } },
      });
      if (!link) throw domainError('GRID_UNKNOWN_LINK', `No link ${input.from} → ${input.to}`);
      await prisma.$transaction(async (tx) => {
        await tx.link.update({
          where: { fromZone_toZone: { fromZone: input.from, toZone: input.to } },
          data: { capacityWh: BigInt(input.capacityWh) },
        });
        await tx.settlementOutbox.create({
          data: {
            key: `grid:link:${input.from}>${input.to}:${ctx.requestId}:${Date.now()}`,
            kind: 'grid.linkCapacity',
            payload: {
              from: input.from,
              to: input.to,
              capacityWh: input.capacityWh,
              reason: input.reason,
            },
          },
        });
        await audit(tx, {
          actorId: ctx.user.accountId,
          action: 'grid.setLinkCapacity',
          target: `${input.from}>${input.to}`,
          ip: ctx.ip,
          requestId: ctx.requestId,
          details: { from: Number(link.capacityWh), to: input.capacityWh, reason: input.reason },
        });
      });
      await ctx.services.markets.reloadReference();
      await ctx.services.markets.setLinkCapacity(input.from, input.to, input.capacityWh, {
        accountId: ctx.user.accountId,
        ip: ctx.ip,
        requestId: ctx.requestId,
      });
      ctx.services.hub.publish('grid', 'link', {
        from: input.from,
        to: input.to,
        capacityWh: input.capacityWh,
      });
      return { ok: true as const };
    }),

  halt: operatorProcedure
    .input(z.object({ zone: zoneCode, reason }))
    .mutation(async ({ ctx, input }) => {
      const zone = await ctx.services.db.prisma.zone.findUnique({ where: { code: input.zone } });
      if (!zone) throw domainError('MARKET_UNKNOWN_ZONE', `Unknown zone ${input.zone}`);
      await haltZone(ctx.services, input.zone, input.reason, gridActor(ctx));
      return { ok: true as const };
    }),

  resume: operatorProcedure
    .input(z.object({ zone: zoneCode, reason }))
    .mutation(async ({ ctx, input }) => {
      const zone = await ctx.services.db.prisma.zone.findUnique({ where: { code: input.zone } });
      if (!zone) throw domainError('MARKET_UNKNOWN_ZONE', `Unknown zone ${input.zone}`);
      await resumeZone(ctx.services, input.zone, input.reason, gridActor(ctx));
      return { ok: true as const };
    }),

  /**
   * Per zone for one interval (default: the last settled): the scheduled net position of its
   * trading positions vs metered, the imbalance and its price, inter-zone flows vs capacity, the
   * simulated system frequency and its trend.
   */
  imbalance: publicProcedure
    .input(z.object({ intervalStart: instant.optional() }).strict().default({}))
    .query(async ({ ctx, input }) => {
      const { db, clock } = ctx.services;
      const settledBefore = await lastSettledInterval(ctx);
      const t = intervalStartOf(input.intervalStart ?? settledBefore);
      const [data, zones, trend] = await Promise.all([
        loadInterval(db, t),
        db.prisma.zone.findMany({ select: { code: true, halted: true, haltReason: true } }),
        db.prisma.frequencySample.findMany({ orderBy: { at: 'desc' }, take: 96 }),
      ]);
      const summary = summarize(data, await clearingAccountId(ctx));
      const halted = new Map(zones.map((z) => [z.code, z]));
      return {
        time: new Date(clock.now()),
        intervalStart: new Date(t),
        settled: t <= settledBefore,
        imbalanceWh: summary.imbalanceWh,
        frequency: {
          mhz: summary.frequencyMhz,
          state: summary.frequencyState,
          nominalMhz: NOMINAL_MHZ,
          alertBand: { lowMhz: ALERT_LOW_MHZ, highMhz: ALERT_HIGH_MHZ },
          emergencyBand: { lowMhz: BAND_LOW_MHZ, highMhz: BAND_HIGH_MHZ },
        },
        zones: summary.zones.map((z) => ({
          ...z,
          halted: halted.get(z.zone)?.halted ?? false,
          haltReason: halted.get(z.zone)?.haltReason ?? null,
        })),
        links: summary.links.map((l) => ({
          ...l,
          utilizationPpm:
            l.capacityWh > 0n ? Number((l.scheduledWh * 1_000_000n) / l.capacityWh) : null,
        })),
        trend: trend.reverse().map((f) => ({
          at: f.at,
          frequencyMhz: f.frequencyMhz,
          imbalanceWh: f.imbalanceWh,
        })),
      };
    }),

  /** Halts, resumes, excursions, overloads, activations and alerts, newest first. */
  events: publicProcedure
    .input(
      z
        .object({
          kind: z
            .enum([
              'HALT',
              'RESUME',
              'FREQUENCY_EXCURSION',
              'LINK_OVERLOAD',
              'RESERVE_ACTIVATION',
              'ALERT',
            ])
            .optional(),
          limit: pageLimit,
        })
        .strict()
        .default({ limit: 100 }),
    )
    .query(async ({ ctx, input }) => {
      const rows = await ctx.services.db.prisma.gridEvent.findMany({
        where: input.kind ? { kind: input.kind } : {},
        orderBy: { id: 'desc' },
        take: input.limit,
      });
      return rows.map((e) => ({
        id: e.id.toString(),
        at: e.at,
        kind: e.kind,
        zone: e.zone,
        /** Null when the engine acted by itself (emergency protocol). */
        actorId: e.actorId,
        details: e.details,
      }));
    }),

  /**
   * Reserve offers and activations around an hour (default: the last, current and next two
   * hours). Operators, admins and authorities see every offer; a trader sees its own.
   */
  reserves: authedProcedure
    .input(
      z.object({ hourStart: hourStart.optional(), zone: zoneCode.optional() }).strict().default({}),
    )
    .query(async ({ ctx, input }) => {
      const { prisma } = ctx.services.db;
      const now = ctx.services.clock.now();
      const hours =
        input.hourStart === undefined
          ? {
              gte: new Date(Math.floor(now / HOUR_MS) * HOUR_MS - HOUR_MS),
              lte: new Date(Math.floor(now / HOUR_MS) * HOUR_MS + 2 * HOUR_MS),
            }
          : { equals: new Date(input.hourStart) };
      const staff = ctx.user.role !== 'TRADER';
      const [offers, activations] = await Promise.all([
        prisma.reserveOffer.findMany({
          where: {
            hourStart: hours,
            ...(input.zone ? { zone: input.zone } : {}),
            ...(staff ? {} : { accountId: ctx.user.accountId }),
          },
          orderBy: [
            { hourStart: 'asc' },
            { direction: 'asc' },
            { priceTicks: 'asc' },
            { createdAt: 'asc' },
          ],
          take: 1000,
        }),
        prisma.reserveActivation.findMany({
          where: { hourStart: hours, ...(input.zone ? { zone: input.zone } : {}) },
          include: { awards: { include: { offer: { select: { accountId: true } } } } },
          orderBy: { createdAt: 'asc' },
        }),
      ]);
      return {
        offers: offers.map((o) => ({
          id: o.id,
          accountId: o.accountId,
          meterId: o.meterId,
          zone: o.zone,
          hourStart: o.hourStart,
          direction: o.direction,
          powerW: o.powerW,
          priceTicks: o.priceTicks,
          status: o.status,
          createdAt: o.createdAt,
        })),
        activations: activations.map((a) => ({
          id: a.id,
          zone: a.zone,
          hourStart: a.hourStart,
          direction: a.direction,
          requestedW: a.requestedW,
          activatedW: a.activatedW,
          clearingPriceTicks: a.clearingPriceTicks,
          reason: a.reason,
          createdAt: a.createdAt,
          awards: a.awards
            .filter((w) => staff || w.offer.accountId === ctx.user.accountId)
            .map((w) => ({
              offerId: w.offerId,
              powerW: w.powerW,
              priceTicks: w.priceTicks,
              deliveredWh: w.deliveredWh,
              paidSatang: w.paidSatang,
            })),
        })),
      };
    }),

  /** A battery owner's reserve offer for one future hour (power in W, price per kWh). */
  offerReserve: traderProcedure
    .input(
      z
        .object({
          meterId: z
            .string()
            .min(1)
            .max(64)
            .regex(/^[A-Za-z0-9._:-]+$/),
          hourStart,
          direction,
          powerW,
          priceTicks,
        })
        .strict(),
    )
    .mutation(async ({ ctx, input }) => {
      const { offerId } = unwrap(
        await ctx.services.reserves.offer(
          {
            meterId: input.meterId,
            hourStartMs: input.hourStart,
            direction: input.direction,
            powerW: input.powerW,
            priceTicks: input.priceTicks,
          },
          gridActor(ctx),
        ),
      );
      return { offerId };
    }),

  withdrawReserve: traderProcedure
    .input(
      z
        .object({
          offerId: z
            .string()
            .min(1)
            .max(64)
            .regex(/^RSV-[0-9A-F]+$/),
        })
        .strict(),
    )
    .mutation(async ({ ctx, input }) => {
      unwrap(await ctx.services.reserves.withdraw(input.offerId, gridActor(ctx)));
      return { ok: true as const };
    }),

  /** The operator calls reserve in a zone for the current or next hour; cleared pay-as-clear. */
  activateReserve: operatorProcedure
    .input(z.object({ zone: zoneCode, hourStart, direction, requestedW: powerW, reason }).strict())
    .mutation(async ({ ctx, input }) => {
      const a = unwrap(
        await ctx.services.reserves.activate(
          {
            zone: input.zone,
            hourStartMs: input.hourStart,
            direction: input.direction,
            requestedW: input.requestedW,
            reason: input.reason,
          },
          gridActor(ctx),
        ),
      );
      return {
        activationId: a.activationId,
        zone: a.zone,
        hourStart: new Date(a.hourStartMs),
        direction: a.direction,
        requestedW: a.requestedW,
        activatedW: a.activatedW,
        clearingPriceTicks: a.clearingPriceTicks,
        awards: a.awards,
      };
    }),
});
