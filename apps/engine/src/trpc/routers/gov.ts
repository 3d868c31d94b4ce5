// gov.propose | vote | list | parameters — governance by the grid authorities. An authority
// account proposes a change (market parameters, consensus parameters, the validator set) with a
// voting deadline and an effective height, and votes for the authority it acts for; anyone can
// follow proposals, votes, quorum progress and the governed values in force.
import { z } from 'zod';
import type { SessionUser } from '../../auth/sessions.ts';
import { AUTHORITIES } from '../../chain/identity.ts';
import type { RequestContext } from '../../context.ts';
import { domainError } from '../../errors.ts';
import { govActionInput } from '../../governance/actions.ts';
import { LINK_BOUNDS, SCALAR_BOUNDS } from '../../governance/market-params.ts';
import { statusOf } from '../../governance/service.ts';
import type { Caller, Result } from '../../outcome.ts';
import { pageLimit } from '../inputs.ts';
import { authorityProcedure, publicProcedure, router } from '../init.ts';

const proposalId = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9._:-]+$/, 'malformed proposal id');
const height = z
  .number()
  .int()
  .min(1)
  .max(2 ** 40);
const STATUSES = ['OPEN', 'PASSED', 'REJECTED', 'EXECUTED', 'EXPIRED', 'FAILED'] as const;

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

export const govRouter = router({
  /** Proposes a change for the authority the caller acts for; validated before submission. */
  propose: authorityProcedure
    .input(
      z
        .object({
          title: z.string().trim().min(3).max(200),
          action: govActionInput,
          deadlineHeight: height,
          effectiveHeight: height,
        })
        .strict(),
    )
    .mutation(async ({ ctx, input }) =>
      unwrap(await ctx.services.governance.propose(caller(ctx), input)),
    ),

  /** Votes for the caller's authority (weighted by its voting power on chain). */
  vote: authorityProcedure
    .input(z.object({ proposalId, approve: z.boolean() }).strict())
    .mutation(async ({ ctx, input }) =>
      unwrap(await ctx.services.governance.vote(caller(ctx), input.proposalId, input.approve)),
    ),

  /** Proposals newest first, with votes, quorum progress, status and effective height. */
  list: publicProcedure
    .input(
      z
        .object({ status: z.enum(STATUSES).optional(), limit: pageLimit })
        .strict()
        .default({ limit: 100 }),
    )
    .query(async ({ ctx, input }) => {
      const { chain, db } = ctx.services;
      const rows = await db.prisma.proposal.findMany({
        where: input.status ? { status: input.status } : {},
        include: { votes: { orderBy: { createdAt: 'asc' } } },
        orderBy: [{ createdAt: 'desc' }, { id: 'asc' }],
        take: input.limit,
      });
      const proposers = await db.prisma.account.findMany({
        where: { id: { in: [...new Set(rows.map((r) => r.proposerId))] } },
        select: { id: true, name: true },
      });
      const nameOf = new Map(proposers.map((a) => [a.id, a.name]));
      const head = chain?.query.head().height ?? null;
      const quorumBps = chain?.query.params().proposalQuorumBps ?? null;
      const livePower = chain?.query.validators().reduce((s, v) => s + v.votingPower, 0) ?? 0;
      const authorityOf = new Map(
        chain ? AUTHORITIES.map((a) => [chain.addressOfRole(a), a as string]) : [],
      );
      const validatorName = new Map(
        chain ? chain.query.validators().map((v) => [v.address, v.name]) : [],
      );
      return {
        head,
        quorumBps,
        proposals: rows.map((r) => {
          const live = chain?.query.proposal(r.id) ?? null;
          const status = live ? statusOf(live) : r.status;
          const open = status === 'OPEN' || status === 'PASSED';
          const totalPower = open || r.totalPower === 0 ? livePower : r.totalPower;
          const yesPower = live?.yesPower ?? r.yesPower;
          const requiredPower =
            quorumBps === null ? null : Math.floor((quorumBps * totalPower) / 10_000) + 1;
          const counted = (live?.votes ?? []).map((v) => ({
            authority: authorityOf.get(v.voter) ?? validatorName.get(v.voter) ?? v.voter,
            approve: v.approve,
            power: v.power,
            status: 'COUNTED' as const,
            chainError: null as string | null,
          }));
          const others = r.votes
            .filter((v) => !counted.some((c) => c.authority === v.authority))
            .map((v) => ({
              authority: v.authority ?? '',
              approve: v.approve,
              power: v.power,
              status: v.chainError === null ? ('PENDING' as const) : ('FAILED' as const),
              chainError: v.chainError,
            }));
          return {
            id: r.id,
            title: r.title,
            action: r.action,
            proposer: {
              authority: r.proposerAuthority,
              name: nameOf.get(r.proposerId) ?? null,
            },
            createdAt: r.createdAt,
            deadlineHeight: Number(r.deadlineHeight),
            effectiveHeight: Number(r.effectiveHeight),
            status,
            /** Not yet on chain (the proposal transaction is settling). */
            pending: live === null && r.status === 'OPEN',
            yesPower,
            noPower: live?.noPower ?? r.noPower,
            totalPower,
            requiredPower,
            /** Yes power as a share of what passing needs, in basis points (10,000 = passes). */
            progressBps:
              requiredPower === null || requiredPower === 0
                ? null
                : Math.min(10_000, Math.floor((yesPower * 10_000) / requiredPower)),
            votes: [...counted, ...others],
            outcome: live?.outcome || r.outcome,
            chainTxHash: r.chainTxHash,
            appliedAt: r.appliedAt,
            appliedHeight: r.appliedHeight === null ? null : Number(r.appliedHeight),
          };
        }),
      };
    }),

  /** The governed values in force and what each proposal may set (names, units, bounds). */
  parameters: publicProcedure.query(async ({ ctx }) => {
    const { markets, chain, certificates } = ctx.services;
    const rows = await ctx.services.db.prisma.marketParameter.findMany({ orderBy: { key: 'asc' } });
    const value = new Map(rows.map((r) => [r.key, r.value]));
    return {
      market: Object.entries(SCALAR_BOUNDS).map(([name, [min, max]]) => ({
        name,
        value: value.get(name) ?? null,
        min,
        max,
      })),
      links: markets.referenceData.links.map((l) => ({
        from: l.from,
        to: l.to,
        wheelingTicks: l.wheelingTicks,
        capacityWh: l.capacityWh,
        names: {
          wheeling: `wheeling_ticks:${l.from}>${l.to}`,
          capacity: `link_capacity_wh:${l.from}>${l.to}`,
        },
      })),
      linkBounds: LINK_BOUNDS,
      emissionFactor: await certificates.emissionFactor(),
      consensus: chain ? chain.query.params() : null,
      validators: chain
        ? chain.query.validators().map((v) => ({
            address: v.address,
            name: v.name,
            weight: v.weight,
            votingPower: v.votingPower,
            active: v.active,
          }))
        : [],
    };
  }),
});
