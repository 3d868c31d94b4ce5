// Engine entry point: read the environment, open (and migrate, and seed) the database, serve.
// Prints which database it chose and the demo logins; stops cleanly on SIGINT/SIGTERM.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { openDatabase } from './db/index.ts';
import { DEMO_ACCOUNTS, seedIfEmpty } from './db/seed.ts';
import { EnvError, loadEnv } from './env.ts';
import { createLogger } from './log.ts';
import { engineRoot } from './paths.ts';
import { serve } from './server.ts';

async function main(): Promise<void> {
  const startedAt = performance.now();
  const env = loadEnv();
  const logger = createLogger(env.LOG_LEVEL);
  const { version } = JSON.parse(readFileSync(path.join(engineRoot, 'package.json'), 'utf8')) as {
    version: string;
  };

  const db = await openDatabase({
    url: env.DATABASE_URL,
    dataDir: env.DATA_DIR,
    embeddedPort: env.EMBEDDED_DB_PORT,
    poolSize: env.DATABASE_POOL_SIZE,
  });
  console.log(
    db.kind === 'embedded'
      ? `[engine] database: embedded PGlite at ${db.displayUrl} (DATABASE_URL is unset)`
      : `[engine] database: PostgreSQL at ${db.displayUrl}`,
  );
  const level = await db.migrationLevel();
  console.log(`[engine] migrations: ${level.applied} applied, latest ${level.latest ?? 'none'}`);

  if (env.SEED) {
    const { seeded } = await seedIfEmpty(db.prisma);
    if (seeded) console.log('[engine] seeded zones, links, market parameters and demo accounts');
  }

  const server = await serve(
    { db, startedAt, version },
    { port: env.ENGINE_PORT, host: env.ENGINE_HOST, corsOrigins: env.CORS_ORIGINS, logger },
  );
  console.log(
    `[engine] listening on http://localhost:${server.port} (tRPC /trpc, Socket.IO /socket.io)`,
  );
  if (env.SEED) {
    console.log('[engine] demo logins:');
    for (const a of DEMO_ACCOUNTS) {
      console.log(`           ${a.role.padEnd(9)} ${a.email.padEnd(28)} ${a.password}`);
    }
  }

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`[engine] ${signal}: shutting down`);
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    server
      .close()
      .then(() => db.close())
      .then(
        () => process.exit(0),
        (err: unknown) => {
          logger.error({ err }, 'shutdown failed');
          process.exit(1);
        },
      );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  if (error instanceof EnvError) console.error(`[engine] ${error.message}`);
  else console.error('[engine] failed to start:', error);
  process.exit(1);
});
