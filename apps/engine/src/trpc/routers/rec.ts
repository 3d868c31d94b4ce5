// rec.request | issue | reject | transfer | retire | mine | registry | requests | carbon — renewable
// energy certificates (1 REC = 1 MWh, EGAT issues). Owners of renewable meters request and then
// hold, move and retire them; the issuer (EGAT's authority account or an admin) decides; the
// registry of issued and retired certificates is public, as the chain's own records are.
import { z } from 'zod';
import type { SessionUser } from '../../auth/sessions.ts';
import { CLEARING_EMAIL } from '../../engine.ts';
import type { RequestContext } from '../../context.ts';
import type { Certificate } from '../../db/generated/client.ts';
import { domainError } from '../../errors.ts';
import type { Caller, Result } from '../../outcome.ts';
import { RENEWABLE_KINDS, MAX_RECS_PER_REQUEST } from '../../certificates/service.ts';
import { instant, pageLimit, zoneCode } from '../inputs.ts';
import { authorityOrAdminProcedure, publicProcedure, router, traderProcedure } from '../init.ts';

const certificateId = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9._:-]+$/, 'malformed certificate id');
const meterId = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9._:-]+$/, 'malformed meter id');
const ids = z.array(certificateId).min(1).max(MAX_RECS_PER_REQUEST);
const STATUSES = ['REQUESTED', 'ISSUED', 'REJECTED', 'RETIRED', 'REVOKED', 'FAILED'] as const;
/** What the public registry shows: certificates the chain holds. */
const REGISTRY_STATUSES = ['ISSUED', 'RETIRED', 'REVOKED'] as const;

function caller(ctx: RequestContext & { user: SessionUser }): Caller {
  return {
    accountId: ctx.user.accountId,
    role: ctx.user.role,
    ip: ctx.ip,
    requestId: ctx.requestId,
  };
}

function unwrap<T>(result: Result<T>): T {
  if (!result.ok) throw domainError(result.code, result.message, result.details);
  return result.value;
}

/** A certificate as its owner and the issuer see it, with the chain's state where it has one. */
function view(c: Certificate, ctx: RequestContext) {
  const onChain = ctx.services.chain?.query.rec(c.id) ?? null;
  return {
    id: c.id,
    requestId: c.requestId,
    meterId: c.meterId,
    zone: c.zone,
    technology: c.technology,
    amountWh: c.amountWh,
    periodStart: c.periodStart,
    periodEnd: c.periodEnd,
    status: c.status,
    /** ISSUE, TRANSFER or RETIRE while the chain has not finalised it. */
    pendingAction: c.pendingAction,
    chainError: c.chainError,
    issuer: c.issuer,
    rejectionReason: c.rejectionReason,
    beneficiary: c.beneficiary,
    claimPeriod: c.claimPeriod,
    retiredAt: c.retiredAt,
    decidedAt: c.decidedAt,
    chainTxHash: c.chainTxHash,
    issuedHeight: c.issuedHeight === null ? null : Number(c.issuedHeight),
    createdAt: c.createdAt,
    chain: onChain
      ? { status: onChain.status, owner: onChain.owner, statusHeight: onChain.statusHeight }
      : null,
  };
}

export const recRouter = router({
  /** Requests whole MWh of certificates backed by a renewable meter's minted generation. */
  request: traderProcedure
    .input(
      z
        .object({
          meterId,
          periodStart: instant,
          periodEnd: instant,
          mwh: z.number().int().min(1).max(MAX_RECS_PER_REQUEST),
        })
        .strict(),
    )
    .mutation(async ({ ctx, input }) =>
      unwrap(
        await ctx.services.certificates.request(caller(ctx), {
          meterId: input.meterId,
          periodStartMs: input.periodStart,
          periodEndMs: input.periodEnd,
          mwh: input.mwh,
        }),
      ),
    ),

  /** The issuer approves requested certificates; each is issued on chain (REC_ISSUE). */
  issue: authorityOrAdminProcedure
    .input(z.object({ certificateIds: ids }).strict())
    .mutation(async ({ ctx, input }) =>
      unwrap(await ctx.services.certificates.issue(caller(ctx), input.certificateIds)),
    ),

  /** The issuer refuses requested certificates with a reason. */
  reject: authorityOrAdminProcedure
    .input(z.object({ certificateIds: ids, reason: z.string().trim().min(3).max(500) }).strict())
    .mutation(async ({ ctx, input }) =>
      unwrap(
        await ctx.services.certificates.reject(caller(ctx), input.certificateIds, input.reason),
      ),
    ),

  /** Moves an issued REC to another participant (by email). */
  transfer: traderProcedure
    .input(
      z
        .object({
          certificateId,
          toEmail: z.string().trim().toLowerCase().pipe(z.email()),
        })
        .strict(),
    )
    .mutation(async ({ ctx, input }) => {
      unwrap(
        await ctx.services.certificates.transfer(caller(ctx), input.certificateId, input.toEmail),
      );
      return { ok: true as const };
    }),

  /** Retires (claims) an issued REC for a named beneficiary and period; it never moves again. */
  retire: traderProcedure
    .input(
      z
        .object({
          certificateId,
          beneficiary: z.string().trim().min(1).max(160),
          claimPeriod: z.string().trim().min(1).max(64),
        })
        .strict(),
    )
    .mutation(async ({ ctx, input }) => {
      unwrap(
        await ctx.services.certificates.retire(
          caller(ctx),
          input.certificateId,
          input.beneficiary,
          input.claimPeriod,
        ),
      );
      return { ok: true as const };
    }),

  /** My certificates in every state, newest first. */
  mine: traderProcedure
    .input(
      z
        .object({ status: z.enum(STATUSES).optional(), limit: pageLimit })
        .strict()
        .default({ limit: 100 }),
    )
    .query(async ({ ctx, input }) => {
      const rows = await ctx.services.db.prisma.certificate.findMany({
        where: { ownerId: ctx.user.accountId, ...(input.status ? { status: input.status } : {}) },
        orderBy: [{ createdAt: 'desc' }, { id: 'asc' }],
        take: input.limit,
      });
      return rows.map((c) => view(c, ctx));
    }),

  /** The public registry: issued, retired and revoked certificates, filtered, newest first. */
  registry: publicProcedure
    .input(
      z
        .object({
          status: z.enum(REGISTRY_STATUSES).optional(),
          zone: zoneCode.optional(),
          technology: z.enum(RENEWABLE_KINDS).optional(),
          meterId: meterId.optional(),
          before: instant.optional(),
          limit: pageLimit,
        })
        .strict()
        .default({ limit: 100 }),
    )
    .query(async ({ ctx, input }) => {
      const rows = await ctx.services.db.prisma.certificate.findMany({
        where: {
          status: input.status ?? { in: [...REGISTRY_STATUSES] },
          ...(input.zone ? { zone: input.zone } : {}),
          ...(input.technology ? { technology: input.technology } : {}),
          ...(input.meterId ? { meterId: input.meterId } : {}),
          ...(input.before === undefined ? {} : { createdAt: { lt: new Date(input.before) } }),
        },
        include: { owner: { select: { chainPublicKey: true } } },
        orderBy: [{ createdAt: 'desc' }, { id: 'asc' }],
        take: input.limit,
      });
      return rows.map((c) => ({
        id: c.id,
        meterId: c.meterId,
        zone: c.zone,
        technology: c.technology,
        amountWh: c.amountWh,
        periodStart: c.periodStart,
        periodEnd: c.periodEnd,
        status: c.status,
        issuer: c.issuer,
        /** The holder's chain address (public on chain); accounts stay private. */
        ownerAddress: c.owner.chainPublicKey
          ? Buffer.from(c.owner.chainPublicKey).toString('hex')
          : null,
        beneficiary: c.beneficiary,
        claimPeriod: c.claimPeriod,
        retiredAt: c.retiredAt,
        issuedHeight: c.issuedHeight === null ? null : Number(c.issuedHeight),
        chainTxHash: c.chainTxHash,
        createdAt: c.createdAt,
      }));
    }),

  /** The issuer's queue: certificates by status (default: awaiting a decision), oldest first. */
  requests: authorityOrAdminProcedure
    .input(
      z
        .object({ status: z.enum(STATUSES).default('REQUESTED'), limit: pageLimit })
        .strict()
        .default({ status: 'REQUESTED', limit: 100 }),
    )
    .query(async ({ ctx, input }) => {
      if (!(await ctx.services.certificates.mayIssue(caller(ctx)))) {
        throw domainError('REC_NOT_ISSUER', 'Only EGAT (the REC issuer) or an admin sees requests');
      }
      const rows = await ctx.services.db.prisma.certificate.findMany({
        where: { status: input.status },
        include: {
          owner: { select: { email: true, name: true } },
          meter: { select: { label: true, capacityW: true } },
          backing: { select: { intervalStart: true, energyWh: true } },
        },
        orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
        take: input.limit,
      });
      return rows.map((c) => ({
        ...view(c, ctx),
        owner: { id: c.ownerId, email: c.owner.email, name: c.owner.name },
        /** The issuer checks the request against the device: its site name and capacity. */
        meter: { label: c.meter.label, capacityW: c.meter.capacityW },
        backing: c.backing.map((b) => ({ intervalStart: b.intervalStart, energyWh: b.energyWh })),
      }));
    }),

  /**
   * Emissions my renewable energy avoided, from Thailand's grid emission factor (governed; its
   * source is named): renewable purchases delivered to me and the RECs I retired.
   */
  carbon: traderProcedure.query(async ({ ctx }) => {
    const clearing = await ctx.services.db.prisma.account.findUnique({
      where: { email: CLEARING_EMAIL },
      select: { id: true },
    });
    return ctx.services.certificates.carbon(ctx.user.accountId, clearing?.id ?? null);
  }),
});
