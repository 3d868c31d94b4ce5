// Helpers shared by the root scripts (start, migrations): run a command, start a throwaway
// embedded database, find the Prisma CLI. Plain JavaScript so it runs before any build.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

export const prismaCli = path.join(
  path.dirname(require.resolve('prisma/package.json')),
  'build',
  'index.js',
);

/** Runs a command, inheriting stdio unless `capture`; rejects on a non-zero exit. */
export function run(command, args, { env = process.env, cwd = repoRoot, capture = false } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd,
      env,
      stdio: capture ? ['ignore', 'pipe', 'pipe'] : 'inherit',
    });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (c) => (stdout += c));
    child.stderr?.on('data', (c) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (code === 0) resolve({ stdout, stderr });
      else {
        const err = new Error(
          `${path.basename(command)} ${args.join(' ')} failed (${signal ?? `exit ${code}`})\n${stderr}`,
        );
        err.stdout = stdout;
        err.stderr = stderr;
        reject(err);
      }
    });
  });
}

export function prisma(args, options = {}) {
  return run(
    process.execPath,
    [prismaCli, ...args, '--config', path.join(repoRoot, 'prisma.config.ts')],
    options,
  );
}

/** An in-memory PGlite served on a free local port: enough for the Prisma schema engine. */
export async function throwawayDatabase() {
  const { PGlite } = await import('@electric-sql/pglite');
  const { PGLiteSocketServer } = await import('@electric-sql/pglite-socket');
  const db = await PGlite.create();
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 4 });
  await server.start();
  return {
    url: `postgresql://postgres@${server.getServerConn()}/postgres`,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
