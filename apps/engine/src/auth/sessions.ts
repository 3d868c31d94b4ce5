// Server-side sessions: a random token lives only in the browser's HttpOnly cookie; the database
// keeps its SHA-256, so a leaked table cannot be replayed. Lookups are cached briefly because
// every order passes through here; revocation clears this instance's cache at once. A miss is one
// prepared SQL statement on the pool (a Prisma findUnique with its account cost ≈10× the CPU), and
// concurrent misses for one token share it.
import { createHash, randomBytes } from 'node:crypto';
import { parse, serialize } from 'cookie';
import type pg from 'pg';
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

/** The database a session store reads and writes: Prisma for changes, the pool for lookups. */
export interface SessionDatabase {
  readonly prisma: PrismaClient;
  readonly pool: pg.Pool;
}

const LOOKUP_SQL = `SELECT s.account_id, s.expires_at, s.revoked_at, a.email, a.name, a.role::text AS role,
    a.disabled_at
  FROM session s JOIN account a ON a.id = s.account_id WHERE s.token_hash = $1`;

interface LookupRow {
  account_id: string;
  expires_at: Date;
  revoked_at: Date | null;
  email: string;
  name: string;
  role: Role;
  disabled_at: Date | null;
}

export class SessionStore {
  private readonly cache = new Map<string, { user: SessionUser | null; at: number }>();
  /** Lookups in flight, so a burst of requests with a new token reads the database once. */
  private readonly loading = new Map<string, Promise<SessionUser | null>>();
  /** Bumped by every revocation: a lookup that started before one is not cached. */
  private generation = 0;
  private readonly prisma: PrismaClient;

  constructor(
    private readonly db: SessionDatabase,
    private readonly now: () => number = Date.now,
  ) {
    this.prisma = db.prisma;
  }

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
    const inFlight = this.loading.get(tokenHash);
    if (inFlight) return inFlight;
    const generation = this.generation;
    const load = this.load(tokenHash, now)
      .then((user) => {
        if (generation === this.generation) {
          if (this.cache.size > 100_000) this.cache.clear();
          this.cache.set(tokenHash, { user, at: now });
        }
        return user;
      })
      .finally(() => this.loading.delete(tokenHash));
    this.loading.set(tokenHash, load);
    return load;
  }

  private async load(tokenHash: string, now: number): Promise<SessionUser | null> {
    const { rows } = await this.db.pool.query<LookupRow>({
      name: 'gtx_session_lookup_v1',
      text: LOOKUP_SQL,
      values: [tokenHash],
    });
    const row = rows[0];
    return row && !row.revoked_at && row.expires_at.getTime() > now && !row.disabled_at
      ? {
          accountId: row.account_id,
          email: row.email,
          name: row.name,
          role: row.role,
          tokenHash,
          expiresAt: row.expires_at,
        }
      : null;
  }

  async revoke(tokenHash: string): Promise<void> {
    this.forget((hash) => hash === tokenHash);
    await this.prisma.session.updateMany({
      where: { tokenHash, revokedAt: null },
      data: { revokedAt: new Date(this.now()) },
    });
    // Again once the row says revoked: a lookup that read it before must not stay cached.
    this.forget((hash) => hash === tokenHash);
  }

  /** Revokes every session of an account (role change, disablement). */
  async revokeAll(accountId: string): Promise<void> {
    const ofAccount = (_hash: string, user: SessionUser | null | undefined) =>
      user?.accountId === accountId;
    this.forget(ofAccount);
    await this.prisma.session.updateMany({
      where: { accountId, revokedAt: null },
      data: { revokedAt: new Date(this.now()) },
    });
    this.forget(ofAccount);
  }

  /** Drops cached sessions that match; lookups in flight now will not be cached. */
  private forget(match: (tokenHash: string, user: SessionUser | null | undefined) => boolean) {
    this.generation += 1;
    for (const [hash, entry] of this.cache) if (match(hash, entry.user)) this.cache.delete(hash);
    this.loading.clear();
  }
}
