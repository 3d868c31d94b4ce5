// A whole engine for tests: a database of its own, the engine's services, optionally its HTTP
// server, and helpers to act as a signed-in user through the real auth procedures.
import { createLogger } from '../log.ts';
import { ManualClock, type Clock } from '../clock.ts';
import type { RequestContext } from '../context.ts';
import { openDatabase, type Database } from '../db/index.ts';
import { seedIfEmpty } from '../db/seed.ts';
import { createEngine, type Engine, type EngineConfig } from '../engine.ts';
import type { BalanceSource } from '../market/funds.ts';
import { KeyVault } from '../auth/keys.ts';
import { serve, type EngineServer } from '../server.ts';
import { sessionTokenFromCookieHeader } from '../auth/sessions.ts';
import { createCallerFactory } from '../trpc/init.ts';
import { appRouter } from '../trpc/router.ts';
import { createTestDatabase, type TestDatabase } from './database.ts';

/** Balances kept in memory, for tests of the markets without a chain. */
export class MemoryBalances implements BalanceSource {
  readonly thb = new Map<string, bigint>();
  readonly unsettled = new Map<string, bigint>();
  thbSatang(accountId: string): bigint {
    return this.thb.get(accountId) ?? 0n;
  }
  unsettledBuySatang(accountId: string): bigint {
    return this.unsettled.get(accountId) ?? 0n;
  }
}

const factory = createCallerFactory(appRouter);
export type AppCaller = ReturnType<typeof factory>;

export interface SignedIn {
  accountId: string;
  token: string;
  caller: AppCaller;
}

export interface TestEngine {
  db: Database;
  testDb: TestDatabase;
  engine: Engine;
  clock: Clock;
  server: EngineServer | null;
  /** A caller as an anonymous visitor, or as the session of `token`. */
  caller(token?: string | null, ip?: string): Promise<AppCaller>;
  /** Registers a trader and returns a caller signed in as them. */
  signUp(email: string, name?: string): Promise<SignedIn>;
  signIn(email: string, password: string): Promise<SignedIn>;
  close(): Promise<void>;
}

export interface TestEngineOptions {
  clock?: Clock;
  /** Host the real chain (validators in-process); otherwise `balances` back buying power. */
  chain?: boolean;
  balances?: BalanceSource;
  http?: boolean;
  label?: string;
  /** Overrides of the engine configuration (e.g. strict rate limits). */
  config?: Partial<EngineConfig>;
}

export const TEST_KEK = Buffer.alloc(32, 7);
export const TEST_PASSWORD = 'correct horse battery';

export async function createTestEngine(options: TestEngineOptions = {}): Promise<TestEngine> {
  const testDb = await createTestDatabase(options.label ?? 'engine', process.env.DATABASE_URL);
  // The embedded database runs one statement at a time: one connection, as the engine uses it.
  const db = await openDatabase({
    url: testDb.url,
    dataDir: '/nonexistent',
    ...(testDb.kind === 'embedded' ? { poolSize: 1 } : {}),
  });
  await seedIfEmpty(db.prisma, new KeyVault(TEST_KEK));
  const logger = createLogger(process.env.TEST_LOG_LEVEL ?? 'silent');
  const clock = options.clock ?? new ManualClock(Date.parse('2026-12-01T03:00:00Z'));
  const engine = await createEngine({
    db,
    logger,
    clock,
    chain: options.chain ? true : { balances: options.balances ?? new MemoryBalances() },
    schedulerIntervalMs: 60_000,
    config: {
      kek: TEST_KEK,
      secureCookies: false,
      ordersPerAccountPerSec: 10_000,
      ordersPerIpPerSec: 100_000,
      loginsPerMinute: 10_000,
      version: 'test',
      ...options.config,
    },
  });
  await engine.start();
  const server = options.http
    ? await serve(engine.services, { port: 0, host: '127.0.0.1', corsOrigins: [], logger })
    : null;
  function context(user: RequestContext['user'], ip: string, cookies: string[]): RequestContext {
    return {
      services: engine.services,
      requestId: 'test',
      ip,
      userAgent: 'vitest',
      user,
      setCookie: (c) => cookies.push(c),
    };
  }

  async function caller(token: string | null = null, ip = '127.0.0.1'): Promise<AppCaller> {
    const user = token ? await engine.services.sessions.lookup(token) : null;
    return factory(context(user, ip, []));
  }

  async function withSession(call: (c: AppCaller) => Promise<{ id: string }>): Promise<SignedIn> {
    const cookies: string[] = [];
    const account = await call(factory(context(null, '127.0.0.1', cookies)));
    const token = sessionTokenFromCookieHeader(cookies.at(-1)?.split(';')[0]);
    if (!token) throw new Error('no session cookie was set');
    return { accountId: account.id, token, caller: await caller(token) };
  }

  return {
    db,
    testDb,
    engine,
    clock,
    server,
    caller,
    signUp: (email, name = email.split('@')[0] ?? 'trader') =>
      withSession((c) => c.auth.register({ email, password: TEST_PASSWORD, name })),
    signIn: (email, password) => withSession((c) => c.auth.login({ email, password })),
    async close() {
      await server?.close();
      await engine.stop();
      await db.close();
      await testDb.drop();
    },
  };
}
