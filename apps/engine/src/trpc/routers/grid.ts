// grid.state | setLinkCapacity | halt | resume — the grid operator's controls. A halt or a
// capacity change takes effect in the live books at once, is recorded in the database and the
// audit log, and is attested on chain through the outbox (an authority transaction).
import { z } from 'zod';
import { audit } from '../../audit.ts';
import { domainError } from '../../errors.ts';
import { openContinuousIntervals } from '../../market/calendar.ts';
import { zoneCode } from '../inputs.ts';
import { operatorProcedure, publicProcedure, router } from '../init.ts';

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
      const { prisma } = ctx.services.db;
      const zone = await prisma.zone.findUnique({ where: { code: input.zone } });
      if (!zone) throw domainError('MARKET_UNKNOWN_ZONE', `Unknown zone ${input.zone}`);
      await prisma.$transaction(async (tx) => {
        await tx.zone.update({
          where: { code: input.zone },
          data: { halted: true, haltReason: input.reason },
        });
        await tx.settlementOutbox.create({
          data: {
            key: `grid:halt:${input.zone}:${ctx.requestId}:${Date.now()}`,
            kind: 'grid.halt',
            payload: { zone: input.zone, reason: input.reason },
          },
        });
        await audit(tx, {
          actorId: ctx.user.accountId,
          action: 'grid.halt',
          target: input.zone,
          ip: ctx.ip,
          requestId: ctx.requestId,
          details: { reason: input.reason },
        });
      });
      await ctx.services.markets.reloadReference();
      await ctx.services.markets.haltZone(input.zone, {
        accountId: ctx.user.accountId,
        ip: ctx.ip,
        requestId: ctx.requestId,
      });
      ctx.services.hub.publish('grid', 'zone', {
        zone: input.zone,
        halted: true,
        reason: input.reason,
      });
      return { ok: true as const };
    }),

  resume: operatorProcedure
    .input(z.object({ zone: zoneCode, reason }))
    .mutation(async ({ ctx, input }) => {
      const { prisma } = ctx.services.db;
      const zone = await prisma.zone.findUnique({ where: { code: input.zone } });
      if (!zone) throw domainError('MARKET_UNKNOWN_ZONE', `Unknown zone ${input.zone}`);
      await prisma.$transaction(async (tx) => {
        await tx.zone.update({
          where: { code: input.zone },
          data: { halted: false, haltReason: null },
        });
        await tx.settlementOutbox.create({
          data: {
            key: `grid:resume:${input.zone}:${ctx.requestId}:${Date.now()}`,
            kind: 'grid.resume',
            payload: { zone: input.zone, reason: input.reason },
          },
        });
        await audit(tx, {
          actorId: ctx.user.accountId,
          action: 'grid.resume',
          target: input.zone,
          ip: ctx.ip,
          requestId: ctx.requestId,
          details: { reason: input.reason },
        });
      });
      await ctx.services.markets.reloadReference();
      await ctx.services.markets.resumeZone(input.zone, {
        accountId: ctx.user.accountId,
        ip: ctx.ip,
        requestId: ctx.requestId,
      });
      ctx.services.hub.publish('grid', 'zone', { zone: input.zone, halted: false });
      return { ok: true as const };
    }),
});
