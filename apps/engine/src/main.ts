// Engine entry point: read the environment, open (migrate, seed) the database, start the chain
// validators, the markets and the settlement worker, serve HTTP and Socket.IO. Prints which
// database it chose and the demo logins; stops cleanly on SIGINT/SIGTERM.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { KeyVault } from './auth/keys.ts';
import { ChainHostError } from './chain/devnet.ts';
import { chainHostingFromEnv, describeChainHosting } from './chain/mode.ts';
import { SimClock, SystemClock, type Clock } from './clock.ts';
import { openDatabase, type Database } from './db/index.ts';
import { DEMO_ACCOUNTS, seedIfEmpty } from './db/seed.ts';
import { configFromEnv, createEngine, resolveKek } from './engine.ts';
import { EnvError, loadEnv, type Env } from './env.ts';
import { createLogger } from './log.ts';
import { engineRoot } from './paths.ts';
import { startGateway } from './gateway.ts';
import { serve } from './server.ts';
import { Simulator } from './simulator/simulator.ts';

const SIM_CLOCK_KEY = 'clock.sim';

/** The simulated clock resumes where the last run left it, unless CLOCK_START says otherwise. */
async function makeClock(
  env: Env,
  db: Database,
): Promise<{ clock: Clock; persist: () => Promise<void> }> {
  if (env.CLOCK === 'system') return { clock: new SystemClock(), persist: () => Promise.resolve() };
  const saved = await db.prisma.engineState.findUnique({ where: { key: SIM_CLOCK_KEY } });
  const start = env.CLOCK_START
    ? Date.parse(env.CLOCK_START)
    : saved
      ? Number((saved.value as { ms: number }).ms)
      : Date.now();
  const clock = new SimClock(start, env.CLOCK_SPEED);
  const persist = async () => {
    await db.prisma.engineState.upsert({
      where: { key: SIM_CLOCK_KEY },
      create: { key: SIM_CLOCK_KEY, value: { ms: clock.now() } },
      update: { value: { ms: clock.now() } },
    });
  };
  return { clock, persist };
}

async function main(): Promise<void> {
  const env = loadEnv();
  const logger = createLogger(env.LOG_LEVEL);
  const { version } = JSON.parse(readFileSync(path.join(engineRoot, 'package.json'), 'utf8')) as {
    version: string;
  };
  const kek = await resolveKek(env, logger);

  const db = await openDatabase({
    url: env.DATABASE_URL,
    dataDir: env.DATA_DIR,
    embeddedPort: env.EMBEDDED_DB_PORT,
    poolSize: env.DATABASE_POOL_SIZE,
    onIdleError: (err) =>
      logger.warn({ err }, 'an idle database connection failed; it will be replaced'),
  });
  console.log(
    db.kind === 'embedded'
      ? `[engine] database: embedded PGlite at ${db.displayUrl} (DATABASE_URL is unset)`
      : `[engine] database: PostgreSQL at ${db.displayUrl}`,
  );
  const level = await db.migrationLevel();
  console.log(`[engine] migrations: ${level.applied} applied, latest ${level.latest ?? 'none'}`);

  if (env.SEED) {
    const { seeded } = await seedIfEmpty(db.prisma, new KeyVault(kek));
    if (seeded) console.log('[engine] seeded zones, links, market parameters and demo accounts');
  }

  if (env.ENGINE_ROLE === 'gateway') {
    if (!env.ENGINE_LEADER_URL || !env.REDIS_URL) {
      throw new EnvError(['ENGINE_ROLE=gateway needs ENGINE_LEADER_URL and REDIS_URL']);
    }
    const gateway = await startGateway({
      db,
      logger,
      leaderUrl: env.ENGINE_LEADER_URL,
      redisUrl: env.REDIS_URL,
      redisPrefix: env.REDIS_PREFIX,
      port: env.ENGINE_PORT,
      host: env.ENGINE_HOST,
      corsOrigins: env.CORS_ORIGINS,
    });
    console.log(
      `[engine] gateway on http://localhost:${gateway.port}, leader ${env.ENGINE_LEADER_URL}`,
    );
    const stopGateway = () => {
      void gateway
        .close()
        .then(() => db.close())
        .finally(() => process.exit(0));
    };
    process.on('SIGINT', stopGateway);
    process.on('SIGTERM', stopGateway);
    return;
  }

  const { clock, persist } = await makeClock(env, db);
  if (clock.kind === 'sim') {
    console.log(
      `[engine] simulated clock at ${new Date(clock.now()).toISOString()}, ${clock.speed}× real time`,
    );
  }
  const chain = await chainHostingFromEnv(env);
  console.log(`[engine] chain: ${describeChainHosting(chain)}`);
  const engine = await createEngine({
    db,
    logger,
    clock,
    chain,
    config: configFromEnv(env, kek, version),
  });
  await engine.start();
  const persistTimer = setInterval(() => void persist().catch(() => undefined), 5_000);

  const server = await serve(engine.services, {
    port: env.ENGINE_PORT,
    host: env.ENGINE_HOST,
    corsOrigins: env.CORS_ORIGINS,
    logger,
    redisUrl: env.REDIS_URL,
    redisPrefix: env.REDIS_PREFIX,
  });
  console.log(
    `[engine] listening on http://localhost:${server.port} (tRPC /trpc, Socket.IO /socket.io, /metrics)`,
  );
  if (env.SEED) {
    console.log('[engine] demo logins:');
    for (const a of DEMO_ACCOUNTS) {
      console.log(`           ${a.role.padEnd(9)} ${a.email.padEnd(28)} ${a.password}`);
    }
  }

  const simulator = env.SIMULATOR
    ? new Simulator(engine.services, {
        participants: env.SIMULATOR_PARTICIPANTS,
        ordersPerStep: env.SIMULATOR_ORDERS_PER_SECOND,
      })
    : null;
  if (simulator) {
    simulator.start();
    console.log(
      `[engine] simulator: ${env.SIMULATOR_PARTICIPANTS} participants trading and metering (SIMULATOR=off to disable)`,
    );
  }

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`[engine] ${signal}: shutting down`);
    clearInterval(persistTimer);
    const force = setTimeout(() => process.exit(1), 15_000);
    force.unref();
    server
      .close()
      .then(() => simulator?.stop())
      .then(() => persist())
      .then(() => engine.stop())
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
  if (error instanceof EnvError || error instanceof ChainHostError)
    console.error(`[engine] ${error.message}`);
  else console.error('[engine] failed to start:', error);
  process.exit(1);
});
