// reports.daily | list | publicKey — the regulator's signed daily reports. ERC (an authority
// account acting for it) and admins download a day's report as JSON and CSV, each with its
// SHA-256 and the engine's ed25519 signature; anyone can fetch the key and the signing rule.
import { z } from 'zod';
import type { SessionUser } from '../../auth/sessions.ts';
import type { RequestContext } from '../../context.ts';
import { domainError } from '../../errors.ts';
import { isDeliveryDay } from '../../market/calendar.ts';
import type { Caller } from '../../outcome.ts';
import { REPORT_DOMAIN } from '../../reports/signature.ts';
import { pageLimit } from '../inputs.ts';
import { authorityOrAdminProcedure, publicProcedure, router } from '../init.ts';

const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be YYYY-MM-DD')
  .refine(isDeliveryDay, 'must be a calendar day');

function caller(ctx: RequestContext & { user: SessionUser }): Caller {
  return {
    accountId: ctx.user.accountId,
    role: ctx.user.role,
    ip: ctx.ip,
    requestId: ctx.requestId,
  };
}

export const reportsRouter = router({
  /** One ICT day's report (built and stored on first request; the same bytes ever after). */
  daily: authorityOrAdminProcedure
    .input(z.object({ day }).strict())
    .query(async ({ ctx, input }) => {
      const result = await ctx.services.reports.daily(caller(ctx), input.day);
      if (!result.ok) throw domainError(result.code, result.message, result.details);
      const r = result.value;
      return {
        day: r.day,
        generatedAt: r.generatedAt,
        publicKey: r.publicKey,
        json: { content: r.json, sha256: r.jsonSha256, signature: r.jsonSignature },
        csv: { content: r.csv, sha256: r.csvSha256, signature: r.csvSignature },
      };
    }),

  /** Days with a stored report, newest first (without their contents). */
  list: authorityOrAdminProcedure
    .input(z.object({ limit: pageLimit }).strict().default({ limit: 100 }))
    .query(async ({ ctx, input }) => {
      if (!(await ctx.services.reports.mayRead(caller(ctx)))) {
        throw domainError(
          'REPORT_NOT_REGULATOR',
          'Only ERC (the regulator) or an admin reads reports',
        );
      }
      return ctx.services.db.prisma.dailyReport.findMany({
        select: { day: true, generatedAt: true, jsonSha256: true, csvSha256: true },
        orderBy: { day: 'desc' },
        take: input.limit,
      });
    }),

  /** The reporting key and exactly what it signs, for anyone verifying a report. */
  publicKey: publicProcedure.query(async ({ ctx }) => ({
    algorithm: 'ed25519' as const,
    publicKey: await ctx.services.reports.publicKeyHex(),
    signs: `${REPORT_DOMAIN}|<day YYYY-MM-DD>|<json or csv>|<SHA-256 of the file's bytes, lowercase hex>`,
    encoding: 'UTF-8 of the line above; signature: 64 bytes, hex',
  })),
});
