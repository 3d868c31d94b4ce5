// dayAhead.submit | cancel | mine | results | calendar — sealed orders for tomorrow's auction,
// until gate closure (D-1 12:00 ICT), then the published results.
import { z } from 'zod';
import { deliveryDayOf, isDeliveryDay } from '../../market/calendar.ts';
import { domainError } from '../../errors.ts';
import {
  deliveryDay,
  instant,
  orderId,
  priceTicks,
  quantityWh,
  side,
  zoneCode,
} from '../inputs.ts';
import { publicProcedure, router, traderProcedure } from '../init.ts';

const ratio = z.number().gt(0).max(1);

const simple = z
  .object({
    kind: z.literal('simple'),
    zone: zoneCode,
    side,
    intervalStart: instant,
    priceTicks,
    quantityWh,
    minAcceptanceRatio: ratio.optional(),
  })
  .strict();

const block = z
  .object({
    kind: z.literal('block'),
    zone: zoneCode,
    side,
    priceTicks,
    profile: z
      .array(z.object({ intervalStart: instant, quantityWh }).strict())
      .min(1)
      .max(96),
    minAcceptanceRatio: ratio.optional(),
  })
  .strict();

const day = deliveryDay.refine(isDeliveryDay, 'not a calendar day');

export const dayAheadRouter = router({
  submit: traderProcedure
    .input(
      z.object({
        orders: z
          .array(z.discriminatedUnion('kind', [simple, block]))
          .min(1)
          .max(2000),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const result = await ctx.services.dayAhead.submit(input.orders, {
        accountId: ctx.user.accountId,
        ip: ctx.ip,
        requestId: ctx.requestId,
      });
      if (!result.ok) throw domainError(result.code, result.message);
      return { orderIds: result.value };
    }),

  cancel: traderProcedure.input(z.object({ orderId })).mutation(async ({ ctx, input }) => {
    const result = await ctx.services.dayAhead.cancel(input.orderId, {
      accountId: ctx.user.accountId,
      ip: ctx.ip,
      requestId: ctx.requestId,
    });
    if (!result.ok) throw domainError(result.code, result.message);
    return { ok: true as const };
  }),

  mine: traderProcedure
    .input(z.object({ day: day.optional() }).default({}))
    .query(async ({ ctx, input }) => {
      const d = input.day ?? ctx.services.dayAhead.openDay();
      const cal = ctx.services.dayAhead.calendar(d);
      const rows = await ctx.services.db.prisma.order.findMany({
        where: {
          accountId: ctx.user.accountId,
          market: 'DAY_AHEAD',
          intervalStart: {
            gte: new Date(cal.firstInterval),
            lt: new Date(cal.firstInterval + 86_400_000),
          },
        },
        include: { profile: true, acceptances: true },
        orderBy: { createdAt: 'asc' },
      });
      return {
        day: d,
        gateClosure: new Date(cal.gateClosure),
        orders: rows.map((o) => ({
          id: o.id,
          kind: o.type === 'BLOCK' ? ('block' as const) : ('simple' as const),
          zone: o.zone,
          side: o.side === 'BUY' ? ('buy' as const) : ('sell' as const),
          priceTicks: o.priceTicks,
          quantityWh: Number(o.quantityWh),
          intervalStart: o.intervalStart,
          minAcceptanceRatio: o.minAcceptancePpm === null ? null : o.minAcceptancePpm / 1_000_000,
          profile: o.profile
            .sort((a, b) => a.intervalStart.getTime() - b.intervalStart.getTime())
            .map((p) => ({ intervalStart: p.intervalStart, quantityWh: Number(p.quantityWh) })),
          status: o.status,
          accepted: o.acceptances
            .sort((a, b) => a.intervalStart.getTime() - b.intervalStart.getTime())
            .map((a) => ({ intervalStart: a.intervalStart, quantityWh: Number(a.quantityWh) })),
          createdAt: o.createdAt,
        })),
      };
    }),

  results: publicProcedure
    .input(z.object({ day: day.optional() }).default({}))
    .query(async ({ ctx, input }) => {
      const d = input.day ?? deliveryDayOf(ctx.services.clock.now());
      const results = await ctx.services.dayAhead.results(d);
      return results
        ? { ...results, published: true as const }
        : {
            day: d,
            published: false as const,
            gateClosure: new Date(ctx.services.dayAhead.calendar(d).gateClosure),
          };
    }),

  calendar: publicProcedure
    .input(z.object({ day: day.optional() }).default({}))
    .query(({ ctx, input }) => {
      const d = input.day ?? ctx.services.dayAhead.openDay();
      const cal = ctx.services.dayAhead.calendar(d);
      return {
        day: d,
        now: new Date(ctx.services.clock.now()),
        gateClosure: new Date(cal.gateClosure),
        continuousOpen: new Date(cal.continuousOpen),
        firstInterval: new Date(cal.firstInterval),
      };
    }),
});
