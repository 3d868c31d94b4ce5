// Server-side sessions: a random token lives only in the browser's HttpOnly cookie; the database
// keeps its SHA-256, so a leaked table cannot be replayed. Lookups are cached briefly because
// every order passes through here; revocation clears this instance's cache at once.
import { createHash, randomBytes } from 'node:crypto';
import { parse, serialize } from 'cookie';
import type { PrismaClient } from '../db/index.ts';
import type { Role } from '../db/generated/enums.ts';

export const SESSION_COOKIE = 'gtx_session';
const SESSION_TTL_MS = 7 * 24 * 3600 * 1000;
const CACHE_TTL_MS = 30_000;

export interface SessionUser {
  readonly accountId: string;
  readonly email: string;
  readonly name: string;
  readonly role: Role;
  readonly tokenHash: string;
  readonly expiresAt: Date;
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export interface CookieOptions {
  /** Send the cookie over HTTPS only (set behind TLS). */
  secure: boolean;
}

export function sessionCookie(token: string, expiresAt: Date, options: CookieOptions): string {
  return serialize(SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'lax',
    secure: options.secure,
    path: '/',
    expires: expiresAt,
  });
}

export function clearedSessionCookie(options: CookieOptions): string {
  return serialize(SESSION_COOKIE, '', {
    httpOnly: true,
    sameSite: 'lax',
    secure: options.secure,
    path: '/',
    expires: new Date(0),
  });
}

export function sessionTokenFromCookieHeader(header: string | undefined): string | null {
  if (!header) return null;
  const token = parse(header)[SESSION_COOKIE];
  return token && /^[A-Za-z0-9_-]{43}$/.test(token) ? token : null;
}

export class SessionStore {
  private readonly cache = new Map<string, { user: SessionUser | null; at: number }>();

  constructor(
    private readonly prisma: PrismaClient,
    private readonly now: () => number = Date.now,
  ) {}

  async create(
    accountId: string,
    meta: { ip: string | null; userAgent: string | null },
  ): Promise<{ token: string; expiresAt: Date }> {
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(this.now() + SESSION_TTL_MS);
    await this.prisma.session.create({
      data: {
        tokenHash: hashToken(token),
        accountId,
        expiresAt,
        ip: meta.ip,
        userAgent: meta.userAgent?.slice(0, 512) ?? null,
      },
    });
    return { token, expiresAt };
  }

  /** The signed-in user for a cookie token, or null when absent, expired, revoked or disabled. */
  async lookup(token: string | null): Promise<SessionUser | null> {
    if (!token) return null;
    const tokenHash = hashToken(token);
    const cached = this.cache.get(tokenHash);
    const now = this.now();
    if (cached && now - cached.at < CACHE_TTL_MS) {
      if (cached.user && cached.user.expiresAt.getTime() <= now) return null;
      return cached.user;
    }
    const row = await this.prisma.session.findUnique({
      where: { tokenHash },
      include: { account: true },
    });
    const user =
      row && !row.revokedAt && row.expiresAt.getTime() > now && !row.account.disabledAt
        ? {
            accountId: row.accountId,
            email: row.account.email,
            name: row.account.name,
            role: row.account.role,
            tokenHash,
            expiresAt: row.expiresAt,
          }
        : null;
    if (this.cache.size > 100_000) this.cache.clear();
    this.cache.set(tokenHash, { user, at: now });
    return user;
  }

  async revoke(tokenHash: string): Promise<void> {
    this.cache.delete(tokenHash);
    await this.prisma.session.updateMany({
      where: { tokenHash, revokedAt: null },
      data: { revokedAt: new Date(this.now()) },
    });
  }

  /** Revokes every session of an account (role change, disablement). */
  async revokeAll(accountId: string): Promise<void> {
    for (const [hash, entry] of this.cache) {
      if (entry.user?.accountId === accountId) this.cache.delete(hash);
    }
    await this.prisma.session.updateMany({
      where: { accountId, revokedAt: null },
      data: { revokedAt: new Date(this.now()) },
    });
  }
}
