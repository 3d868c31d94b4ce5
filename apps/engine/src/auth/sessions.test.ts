// Session lookups against a real database: a valid token finds its user, concurrent first
// lookups of one token read the database once, and revocation or disablement wins over the
// cache — including a lookup that was already in flight when the session was revoked.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type pg from 'pg';
import { openDatabase, type Database } from '../db/index.ts';
import { createTestDatabase, type TestDatabase } from '../testing/database.ts';
import { SessionStore } from './sessions.ts';

describe('session store', () => {
  let testDb: TestDatabase;
  let db: Database;
  let reads = 0;
  let store: SessionStore;
  let accountId: string;

  beforeAll(async () => {
    testDb = await createTestDatabase('sessions', process.env.DATABASE_URL);
    db = await openDatabase({
      url: testDb.url,
      dataDir: '/nonexistent',
      ...(testDb.kind === 'embedded' ? { poolSize: 1 } : {}),
    });
    // Counts the lookups that reach the database.
    const pool = {
      query: (...args: unknown[]) => {
        reads += 1;
        return (db.pool.query as (...a: unknown[]) => unknown)(...args);
      },
    } as unknown as pg.Pool;
    store = new SessionStore({ prisma: db.prisma, pool });
    const account = await db.prisma.account.create({
      data: { email: 'session@example.com', name: 'Session', passwordHash: 'x' },
    });
    accountId = account.id;
  });
  afterAll(async () => {
    await db?.close();
    await testDb?.drop();
  });

  const meta = { ip: '127.0.0.1', userAgent: 'vitest' };

  it('finds the user of a token once for a burst of concurrent requests', async () => {
    const { token } = await store.create(accountId, meta);
    reads = 0;
    const users = await Promise.all(Array.from({ length: 20 }, () => store.lookup(token)));
    expect(reads).toBe(1);
    expect(users.every((u) => u?.accountId === accountId && u.role === 'TRADER')).toBe(true);
    expect(users[0]?.email).toBe('session@example.com');
    await store.lookup(token);
    expect(reads).toBe(1);
  });

  it('knows no unknown token', async () => {
    expect(await store.lookup('A'.repeat(43))).toBeNull();
    expect(await store.lookup(null)).toBeNull();
  });

  it('refuses a revoked session at once, even when a lookup was in flight', async () => {
    const { token } = await store.create(accountId, meta);
    const hash = (await store.lookup(token))!.tokenHash;
    const other = await store.create(accountId, meta);
    const inFlight = store.lookup(other.token);
    await store.revoke(hash);
    expect(await store.lookup(token)).toBeNull();
    await inFlight;
    await store.revokeAll(accountId);
    expect(await store.lookup(other.token)).toBeNull();
  });

  it('refuses the sessions of a disabled account', async () => {
    const fresh = new SessionStore({ prisma: db.prisma, pool: db.pool });
    const account = await db.prisma.account.create({
      data: { email: 'disabled@example.com', name: 'Disabled', passwordHash: 'x' },
    });
    const { token } = await fresh.create(account.id, meta);
    await db.prisma.account.update({ where: { id: account.id }, data: { disabledAt: new Date() } });
    expect(await fresh.lookup(token)).toBeNull();
  });
});
