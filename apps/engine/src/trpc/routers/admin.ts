// admin.accounts | setRole | setDisabled | audit — participant administration. Roles other than
// trader are granted here; a role change or disablement revokes the account's sessions at once.
import { z } from 'zod';
import { audit } from '../../audit.ts';
import { domainError } from '../../errors.ts';
import { pageLimit } from '../inputs.ts';
import { adminProcedure, router } from '../init.ts';

const role = z.enum(['TRADER', 'OPERATOR', 'ADMIN', 'AUTHORITY']);
/** Which grid authority an AUTHORITY account acts for (MEA/PEA run their zones' meters). */
const authority = z.enum(['EGAT', 'MEA', 'PEA', 'ERC']);

export const adminRouter = router({
  accounts: adminProcedure
    .input(
      z
        .object({
          search: z.string().trim().max(100).optional(),
          role: role.optional(),
          limit: pageLimit,
        })
        .default({ limit: 100 }),
    )
    .query(async ({ ctx, input }) => {
      const rows = await ctx.services.db.prisma.account.findMany({
        where: {
          ...(input.role ? { role: input.role } : {}),
          ...(input.search
            ? {
                OR: [
                  { email: { contains: input.search, mode: 'insensitive' } },
                  { name: { contains: input.search, mode: 'insensitive' } },
                ],
              }
            : {}),
        },
        orderBy: { createdAt: 'asc' },
        take: input.limit,
      });
      return rows.map((a) => ({
        id: a.id,
        email: a.email,
        name: a.name,
        role: a.role,
        authority: a.authority,
        chainAddress: a.chainPublicKey ? Buffer.from(a.chainPublicKey).toString('hex') : null,
        disabled: a.disabledAt !== null,
        createdAt: a.createdAt,
      }));
    }),

  setRole: adminProcedure
    .input(z.object({ accountId: z.uuid(), role, authority: authority.optional() }))
    .mutation(async ({ ctx, input }) => {
      if (input.accountId === ctx.user.accountId) {
        throw domainError('AUTH_FORBIDDEN', 'Administrators cannot change their own role');
      }
      const actsFor = input.role === 'AUTHORITY' ? (input.authority ?? null) : null;
      const account = await ctx.services.db.prisma.account.findUnique({
        where: { id: input.accountId },
      });
      if (!account) throw domainError('NOT_FOUND', 'No such account');
      await ctx.services.db.prisma.$transaction(async (tx) => {
        await tx.account.update({
          where: { id: input.accountId },
          data: { role: input.role, authority: actsFor },
        });
        await audit(tx, {
          actorId: ctx.user.accountId,
          action: 'admin.setRole',
          target: input.accountId,
          ip: ctx.ip,
          requestId: ctx.requestId,
          details: { from: account.role, to: input.role, authority: actsFor },
        });
      });
      await ctx.services.sessions.revokeAll(input.accountId);
      return { ok: true as const };
    }),

  setDisabled: adminProcedure
    .input(z.object({ accountId: z.uuid(), disabled: z.boolean() }))
    .mutation(async ({ ctx, input }) => {
      if (input.accountId === ctx.user.accountId) {
        throw domainError('AUTH_FORBIDDEN', 'Administrators cannot disable themselves');
      }
      const account = await ctx.services.db.prisma.account.findUnique({
        where: { id: input.accountId },
      });
      if (!account) throw domainError('NOT_FOUND', 'No such account');
      await ctx.services.db.prisma.$transaction(async (tx) => {
        await tx.account.update({
          where: { id: input.accountId },
          data: { disabledAt: input.disabled ? new Date() : null },
        });
        await audit(tx, {
          actorId: ctx.user.accountId,
          action: input.disabled ? 'admin.disable' : 'admin.enable',
          target: input.accountId,
          ip: ctx.ip,
          requestId: ctx.requestId,
        });
      });
      if (input.disabled) await ctx.services.sessions.revokeAll(input.accountId);
      return { ok: true as const };
    }),

  /** The audit trail, newest first. */
  audit: adminProcedure
    .input(
      z
        .object({
          actorId: z.uuid().optional(),
          action: z.string().max(64).optional(),
          limit: pageLimit,
        })
        .default({ limit: 100 }),
    )
    .query(async ({ ctx, input }) => {
      const rows = await ctx.services.db.prisma.auditLog.findMany({
        where: {
          ...(input.actorId ? { actorId: input.actorId } : {}),
          ...(input.action ? { action: input.action } : {}),
        },
        orderBy: { id: 'desc' },
        take: input.limit,
      });
      return rows.map((r) => ({ ...r, id: r.id.toString() }));
    }),
});
