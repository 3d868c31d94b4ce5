// `health`: is the engine up, can it reach its database, and is the schema current.
import { publicProcedure } from '../init.ts';

export const healthProcedure = publicProcedure.query(async ({ ctx }) => {
  const { db, startedAt, version } = ctx.services;
  let reachable = true;
  let latencyMs: number | null = null;
  let migrations = null;
  let error: string | null = null;
  try {
    latencyMs = Math.round((await db.ping()) * 100) / 100;
    migrations = await db.migrationLevel();
  } catch (e) {
    reachable = false;
    error = e instanceof Error ? e.message : String(e);
  }
  const current = reachable && migrations !== null && migrations.pending.length === 0;
  return {
    status: current ? ('ok' as const) : ('degraded' as const),
    version,
    time: new Date(),
    uptimeSeconds: Math.floor((performance.now() - startedAt) / 1000),
    database: { kind: db.kind, reachable, latencyMs, migrations, error },
  };
});
