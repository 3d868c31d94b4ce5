// A real WebSocket devnet for engine tests: builds the chain's dist, launches `bin/devnet.mjs`
// (four validator processes) into a temporary folder on free ports, kills validators one by one,
// relaunches them, and kills every process it started when stopped — also when a test fails or
// the test worker exits. Plus an engine in devnet mode on a database of its own, configured
// through the same environment path as `npm start`, and an independent follower that reads
// balances straight from the validators.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import {
  ChainNode,
  genesisFromJson,
  MemoryStore,
  WebSocketTransport,
  type ChainQueries,
} from '@gridtokenx/chain';
import { KeyVault } from '../../src/auth/keys.ts';
import { sessionTokenFromCookieHeader } from '../../src/auth/sessions.ts';
import type { DevnetConnection } from '../../src/chain/devnet.ts';
import { chainHostingFromEnv } from '../../src/chain/mode.ts';
import { ManualClock } from '../../src/clock.ts';
import type { RequestContext } from '../../src/context.ts';
import { openDatabase, type Database } from '../../src/db/index.ts';
import { seedIfEmpty } from '../../src/db/seed.ts';
import { createEngine, type Engine } from '../../src/engine.ts';
import { loadEnv } from '../../src/env.ts';
import { createLogger } from '../../src/log.ts';
import { serve, type EngineServer } from '../../src/server.ts';
import { createTestDatabase, type TestDatabase } from '../../src/testing/database.ts';
import { TEST_KEK, TEST_PASSWORD, type SignedIn } from '../../src/testing/engine.ts';
import { createCallerFactory } from '../../src/trpc/init.ts';
import { appRouter } from '../../src/trpc/router.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');
const DEVNET_BIN = path.join(repoRoot, 'packages', 'chain', 'bin', 'devnet.mjs');

/** bin/*.mjs run the chain's built dist: build it from the current source. */
export async function buildChainDist(): Promise<void> {
  await promisify(execFile)('npm', ['run', 'build', '-w', '@gridtokenx/chain'], { cwd: repoRoot });
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

/** devnet.mjs listens on base … base + 3. */
async function freePortRange(count: number): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 20_000 + Math.floor(Math.random() * 40_000);
    let ok = true;
    for (let i = 0; i < count && ok; i++) ok = await portFree(base + i);
    if (ok) return base;
  }
  throw new Error('no free range of ports');
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Every process any devnet started, killed if the worker exits before `stop`. */
const everyPid = new Set<number>();
process.once('exit', () => {
  for (const pid of everyPid) if (alive(pid)) process.kill(pid, 'SIGKILL');
});

export type ValidatorName = 'EGAT' | 'MEA' | 'PEA' | 'ERC';

export class Devnet {
  /** The live process id of each validator. */
  readonly pids = new Map<ValidatorName, number>();
  private readonly launchers: ChildProcess[] = [];

  private constructor(
    readonly dir: string,
    readonly basePort: number,
  ) {}

  static async launch(): Promise<Devnet> {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'gtx-devnet-'));
    const devnet = new Devnet(dir, await freePortRange(4));
    await devnet.start();
    return devnet;
  }

  /** Runs bin/devnet.mjs on the folder (first time: keys and genesis; later: resumes the chain). */
  async start(): Promise<void> {
    const child = spawn(
      process.execPath,
      [DEVNET_BIN, '--dir', this.dir, '--base-port', String(this.basePort)],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    if (child.pid) everyPid.add(child.pid);
    this.launchers.push(child);
    let stderr = '';
    child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
    await new Promise<void>((resolve, reject) => {
      let buf = '';
      child.stdout?.setEncoding('utf8');
      child.stdout?.on('data', (d: string) => {
        buf += d;
        let nl: number;
        while ((nl = buf.indexOf('\n')) >= 0) {
          const e = JSON.parse(buf.slice(0, nl)) as { event: string; name?: string; pid?: number };
          buf = buf.slice(nl + 1);
          if (e.event === 'validator' && e.pid) {
            this.pids.set(e.name as ValidatorName, e.pid);
            everyPid.add(e.pid);
          } else if (e.event === 'devnet') resolve();
        }
      });
      child.once('exit', (code) => reject(new Error(`devnet.mjs exited (${code}): ${stderr}`)));
    });
  }

  /** Kills one validator process (SIGKILL: no clean shutdown) and waits until it is gone. */
  async kill(name: ValidatorName, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const pid = this.pids.get(name);
    if (pid === undefined) return;
    if (alive(pid)) process.kill(pid, signal);
    while (alive(pid)) await new Promise((r) => setTimeout(r, 20));
    this.pids.delete(name);
  }

  async killAll(): Promise<void> {
    for (const name of [...this.pids.keys()]) await this.kill(name);
  }

  /** The last lines each validator wrote to its error log (for failure messages). */
  async diagnostics(): Promise<string> {
    const parts: string[] = [];
    for (const name of ['egat', 'mea', 'pea', 'erc']) {
      const text = await readFile(path.join(this.dir, `${name}.err.log`), 'utf8').catch(() => '');
      parts.push(`${name}: ${text.trim().split('\n').slice(-3).join('\n')}`);
    }
    return parts.join('\n');
  }

  async stop(): Promise<void> {
    await this.killAll();
    for (const l of this.launchers)
      if (l.exitCode === null && l.signalCode === null) l.kill('SIGKILL');
    await rm(this.dir, { recursive: true, force: true });
  }
}

/** A follower of the devnet's validators, apart from the engine, for reading the chain. */
export class Observer {
  private constructor(private readonly node: ChainNode) {}

  static async start(dir: string, devnet: DevnetConnection): Promise<Observer> {
    const genesis = genesisFromJson(await readFile(path.join(dir, 'genesis.json'), 'utf8'));
    const node = new ChainNode({
      genesis,
      store: new MemoryStore(),
      transport: new WebSocketTransport({
        chainId: genesis.chainId,
        self: 'e'.repeat(64),
        peers: devnet.validators.map((v) => ({ address: v.address, url: v.url })),
      }),
    });
    await node.start();
    return new Observer(node);
  }

  get query(): ChainQueries {
    return this.node.query;
  }

  stop(): Promise<void> {
    return this.node.stop();
  }
}

const factory = createCallerFactory(appRouter);
export type AppCaller = ReturnType<typeof factory>;

export interface DevnetEngine {
  db: Database;
  engine: Engine;
  server: EngineServer;
  devnet: DevnetConnection;
  signUp(email: string): Promise<SignedIn>;
  signIn(email: string, password: string): Promise<SignedIn>;
  /** GET /readyz */
  ready(): Promise<{ status: number; body: { ready: boolean; reason?: string } }>;
  close(): Promise<void>;
}

/** A database of its own, seeded, for an engine (dropped by the caller). */
export async function engineDatabase(
  label: string,
): Promise<{ db: Database; testDb: TestDatabase }> {
  const testDb = await createTestDatabase(label, process.env.DATABASE_URL);
  const db = await openDatabase({
    url: testDb.url,
    dataDir: '/nonexistent',
    ...(testDb.kind === 'embedded' ? { poolSize: 1 } : {}),
  });
  await seedIfEmpty(db.prisma, new KeyVault(TEST_KEK));
  return { db, testDb };
}

/**
 * The engine in devnet mode, configured as `npm start` is: CHAIN_MODE=devnet and CHAIN_DEVNET_DIR
 * through loadEnv, the folder read by the same function. Its markets run on a manual clock (the
 * chain's block times are the validators' real clocks either way).
 */
export async function startDevnetEngine(dir: string, label = 'devnet'): Promise<DevnetEngine> {
  const env = loadEnv({ CHAIN_MODE: 'devnet', CHAIN_DEVNET_DIR: dir });
  const hosting = await chainHostingFromEnv(env);
  if (hosting === true) throw new Error('expected devnet mode');
  const { db, testDb } = await engineDatabase(label);
  const logger = createLogger(process.env.TEST_LOG_LEVEL ?? 'silent');
  let engine: Engine;
  try {
    engine = await createEngine({
      db,
      logger,
      clock: new ManualClock(Date.now()),
      chain: hosting,
      schedulerIntervalMs: 60_000,
      config: {
        kek: TEST_KEK,
        secureCookies: false,
        ordersPerAccountPerSec: 10_000,
        ordersPerIpPerSec: 100_000,
        loginsPerMinute: 10_000,
        version: 'test',
      },
    });
    await engine.start();
  } catch (error) {
    await db.close();
    await testDb.drop();
    throw error;
  }
  const server = await serve(engine.services, {
    port: 0,
    host: '127.0.0.1',
    corsOrigins: [],
    logger,
  });

  function context(user: RequestContext['user'], cookies: string[]): RequestContext {
    return {
      services: engine.services,
      requestId: 'test',
      ip: '127.0.0.1',
      userAgent: 'vitest',
      user,
      setCookie: (c) => cookies.push(c),
    };
  }
  async function withSession(call: (c: AppCaller) => Promise<{ id: string }>): Promise<SignedIn> {
    const cookies: string[] = [];
    const account = await call(factory(context(null, cookies)));
    const token = sessionTokenFromCookieHeader(cookies.at(-1)?.split(';')[0]);
    if (!token) throw new Error('no session cookie was set');
    const user = await engine.services.sessions.lookup(token);
    return { accountId: account.id, token, caller: factory(context(user, [])) };
  }

  return {
    db,
    engine,
    server,
    devnet: hosting.devnet,
    signUp: (email) =>
      withSession((c) =>
        c.auth.register({ email, password: TEST_PASSWORD, name: email.split('@')[0]! }),
      ),
    signIn: (email, password) => withSession((c) => c.auth.login({ email, password })),
    async ready() {
      const res = await fetch(`http://127.0.0.1:${server.port}/readyz`);
      return {
        status: res.status,
        body: (await res.json()) as { ready: boolean; reason?: string },
      };
    },
    async close() {
      await server.close();
      await engine.stop();
      await db.close();
      await testDb.drop();
    },
  };
}
