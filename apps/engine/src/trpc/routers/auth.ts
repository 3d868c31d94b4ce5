// auth.register | login | logout | me. Registration always creates a trader (other roles are
// granted by an admin); each account gets an encrypted ed25519 chain key. Logins are rate limited
// per IP and per account, and every outcome is audited.
import { z } from 'zod';
import { audit } from '../../audit.ts';
import { openAccount } from '../../auth/accounts.ts';
import { hashPassword, verifyPassword } from '../../auth/password.ts';
import { clearedSessionCookie, sessionCookie } from '../../auth/sessions.ts';
import type { RequestContext } from '../../context.ts';
import { Prisma } from '../../db/index.ts';
import { domainError } from '../../errors.ts';
import { authedProcedure, publicProcedure, router } from '../init.ts';

const email = z
  .string()
  .trim()
  .toLowerCase()
  .max(254)
  .pipe(z.email({ message: 'must be an email address' }));
const password = z
  .string()
  .min(10, 'must be at least 10 characters')
  .max(200, 'must be at most 200 characters');

/** A hash to verify against when the account does not exist, so timing does not reveal it. */
let decoyHash: Promise<string> | null = null;

function limit(ctx: RequestContext, email: string): void {
  const { loginPerIp, loginPerAccount } = ctx.services.limiters;
  const ipKey = `login:ip:${ctx.ip ?? 'unknown'}`;
  const accountKey = `login:acct:${email}`;
  if (!loginPerIp.take(ipKey) || !loginPerAccount.take(accountKey)) {
    const retryAfterSec = Math.max(
      loginPerIp.retryAfterSec(ipKey),
      loginPerAccount.retryAfterSec(accountKey),
    );
    throw domainError('RATE_LIMITED', 'Too many sign-in attempts; try again shortly', {
      retryAfterSec,
    });
  }
}

async function startSession(ctx: RequestContext, accountId: string): Promise<void> {
  const { token, expiresAt } = await ctx.services.sessions.create(accountId, {
    ip: ctx.ip,
    userAgent: ctx.userAgent,
  });
  ctx.setCookie(sessionCookie(token, expiresAt, { secure: ctx.services.secureCookies }));
}

function publicAccount(a: {
  id: string;
  email: string;
  name: string;
  role: string;
  authority: string | null;
  chainPublicKey: Uint8Array | null;
  createdAt: Date;
}) {
  return {
    id: a.id,
    email: a.email,
    name: a.name,
    role: a.role as 'TRADER' | 'OPERATOR' | 'ADMIN' | 'AUTHORITY',
    /** The grid authority an AUTHORITY account acts for (EGAT, MEA, PEA, ERC), else null. */
    authority: a.authority as 'EGAT' | 'MEA' | 'PEA' | 'ERC' | null,
    chainPublicKey: a.chainPublicKey ? Buffer.from(a.chainPublicKey).toString('hex') : null,
    createdAt: a.createdAt,
  };
}

export const authRouter = router({
  register: publicProcedure
    .input(z.object({ email, password, name: z.string().trim().min(1).max(100) }))
    .mutation(async ({ ctx, input }) => {
      limit(ctx, input.email);
      const passwordHash = await hashPassword(input.password);
      let account;
      try {
        account = await openAccount(
          ctx.services,
          { email: input.email, name: input.name, passwordHash },
          { ip: ctx.ip, requestId: ctx.requestId },
        );
      } catch (error) {
        if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
          throw domainError('AUTH_EMAIL_TAKEN', 'An account with this email already exists');
        }
        throw error;
      }
      await startSession(ctx, account.id);
      return publicAccount(account);
    }),

  login: publicProcedure
    .input(z.object({ email, password: z.string().min(1).max(200) }))
    .mutation(async ({ ctx, input }) => {
      limit(ctx, input.email);
      const { db } = ctx.services;
      const account = await db.prisma.account.findUnique({ where: { email: input.email } });
      decoyHash ??= hashPassword('decoy password for absent accounts');
      const ok = await verifyPassword(input.password, account?.passwordHash ?? (await decoyHash));
      if (!account || !ok) {
        await audit(db.prisma, {
          actorId: account?.id ?? null,
          action: 'auth.login_failed',
          target: input.email,
          ip: ctx.ip,
          requestId: ctx.requestId,
        });
        throw domainError('AUTH_INVALID_CREDENTIALS', 'Email or password is wrong');
      }
      if (account.disabledAt) {
        throw domainError('AUTH_ACCOUNT_DISABLED', 'This account is disabled');
      }
      await startSession(ctx, account.id);
      await audit(db.prisma, {
        actorId: account.id,
        action: 'auth.login',
        target: account.id,
        ip: ctx.ip,
        requestId: ctx.requestId,
      });
      return publicAccount(account);
    }),

  logout: authedProcedure.mutation(async ({ ctx }) => {
    await ctx.services.sessions.revoke(ctx.user.tokenHash);
    ctx.setCookie(clearedSessionCookie({ secure: ctx.services.secureCookies }));
    await audit(ctx.services.db.prisma, {
      actorId: ctx.user.accountId,
      action: 'auth.logout',
      target: ctx.user.accountId,
      ip: ctx.ip,
      requestId: ctx.requestId,
    });
    return { ok: true as const };
  }),

  /** The signed-in account, or null. */
  me: publicProcedure.query(async ({ ctx }) => {
    if (!ctx.user) return null;
    const account = await ctx.services.db.prisma.account.findUnique({
      where: { id: ctx.user.accountId },
    });
    return account ? publicAccount(account) : null;
  }),
});
