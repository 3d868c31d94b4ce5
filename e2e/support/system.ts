// Starts the real system for browser tests: a fresh database (on DATABASE_URL's PostgreSQL, or
// embedded), the built engine and the web server on free ports, exactly as `npm start` runs them.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTestDatabase, type TestDatabase } from '@gridtokenx/engine/testing';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function waitFor(url: string, child: ChildProcess, log: () => string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`process exited early (${child.exitCode}):\n${log()}`);
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out waiting for ${url}:\n${log()}`);
}

function start(name: string, args: string[], env: NodeJS.ProcessEnv) {
  const child = spawn(process.execPath, args, {
    cwd: repoRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output += chunk.toString();
    if (output.length > 200_000) output = output.slice(-100_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return { name, child, log: () => output };
}

export interface RunningSystem {
  baseUrl: string;
  engineUrl: string;
  database: TestDatabase;
  stop(): Promise<void>;
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

export async function startSystem(extraEnv: Record<string, string> = {}): Promise<RunningSystem> {
  const database = await createTestDatabase('e2e', process.env.DATABASE_URL);
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'gtx-e2e-data-'));
  const enginePort = await freePort();
  const webPort = await freePort();
  const engineUrl = `http://127.0.0.1:${enginePort}`;
  const baseUrl = `http://127.0.0.1:${webPort}`;
  const env = {
    ...process.env,
    DATABASE_URL: database.url,
    DATA_DIR: dataDir,
    ENGINE_PORT: String(enginePort),
    ENGINE_HOST: '127.0.0.1',
    WEB_PORT: String(webPort),
    WEB_HOST: '127.0.0.1',
    ENGINE_URL: engineUrl,
    CORS_ORIGINS: baseUrl,
    NEXT_TELEMETRY_DISABLED: '1',
    LOG_LEVEL: 'warn',
    // The market simulator is on by default in `npm start`; browser tests trade against each
    // other only, so another participant's order never takes the one a test expects to match.
    SIMULATOR: 'off',
    // The embedded test database serves one connection at a time: a pool of several would wait
    // on each other (the engine's own embedded mode uses one connection for the same reason).
    ...(database.kind === 'embedded' ? { DATABASE_POOL_SIZE: '1' } : {}),
    ...extraEnv,
  };
  const engine = start('engine', ['apps/engine/dist/main.js'], env);
  let web: ReturnType<typeof start> | null = null;
  try {
    await waitFor(`${engineUrl}/readyz`, engine.child, engine.log, 120_000);
    web = start('web', ['apps/web/server.mjs'], env);
    await waitFor(`${baseUrl}/`, web.child, web.log, 120_000);
  } catch (error) {
    await stopChild(engine.child);
    if (web) await stopChild(web.child);
    await database.drop();
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
  return {
    baseUrl,
    engineUrl,
    database,
    async stop() {
      await stopChild(web.child);
      await stopChild(engine.child);
      await database.drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
