// npm start: build what must be built, then run the engine (port 4000) and the web app (port
// 3000) as two processes, print where to go, and stop both cleanly on Ctrl-C. With DATABASE_URL
// unset the engine starts its embedded database under .data/.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { repoRoot, run } from './lib.mjs';

const enginePort = Number(process.env.ENGINE_PORT ?? 4000);
const webPort = Number(process.env.WEB_PORT ?? 3000);
const engineUrl = process.env.ENGINE_URL ?? `http://127.0.0.1:${enginePort}`;
const quiet = { TURBO_TELEMETRY_DISABLED: '1', DO_NOT_TRACK: '1', NEXT_TELEMETRY_DISABLED: '1' };

if (!process.argv.includes('--no-build')) {
  console.log('[start] building (turbo run build) …');
  await run(
    path.join(repoRoot, 'node_modules', '.bin', 'turbo'),
    ['run', 'build', '--output-logs=errors-only'],
    { env: { ...process.env, ...quiet } },
  );
}

const env = {
  ...process.env,
  ...quiet,
  ENGINE_PORT: String(enginePort),
  WEB_PORT: String(webPort),
  ENGINE_URL: engineUrl,
};
const children = [];
let stopping = false;

// A larger young generation halves the matching engine's garbage-collection time (see
// packages/matching/BENCHMARKS.md); the web server does not need it.
const NODE_FLAGS = { engine: ['--max-semi-space-size=64'], web: [] };

function launch(name, script) {
  const child = spawn(process.execPath, [...NODE_FLAGS[name], script], {
    cwd: repoRoot,
    env,
    stdio: 'inherit',
  });
  child.on('exit', (code, signal) => {
    if (!stopping) {
      console.error(`[start] ${name} stopped unexpectedly (${signal ?? `exit ${code}`}); stopping`);
      void shutdown(1);
    }
  });
  children.push(child);
  return child;
}

async function waitUntilReady(url, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !stopping) {
    try {
      if ((await fetch(url)).ok) return true;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  return false;
}

async function shutdown(code) {
  if (stopping) return;
  stopping = true;
  await Promise.all(
    children.map(
      (child) =>
        new Promise((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
          child.once('exit', () => {
            clearTimeout(timer);
            resolve();
          });
          child.kill('SIGTERM');
        }),
    ),
  );
  console.log('[start] stopped');
  process.exit(code);
}

process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));

launch('engine', 'apps/engine/dist/main.js');
if (!(await waitUntilReady(`${engineUrl}/readyz`, 180_000))) {
  console.error('[start] the engine did not become ready');
  await shutdown(1);
}
launch('web', 'apps/web/server.mjs');
if (!(await waitUntilReady(`http://127.0.0.1:${webPort}/`, 120_000))) {
  console.error('[start] the web app did not start');
  await shutdown(1);
}
console.log(`
  GridTokenX is running
    Exchange:  http://localhost:${webPort}
    Engine:    ${engineUrl}  (tRPC /trpc, Socket.IO /socket.io, /readyz)
  Demo logins are listed above. Press Ctrl-C to stop.
`);
