// Applies prisma/migrations with `prisma migrate deploy` (the CLI's WebAssembly schema engine)
// and reports the migration level a database is at, for start-up and the health procedure.
import { spawn } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import type pg from 'pg';
import { migrationsDir, prismaConfigPath, repoRoot } from '../paths.ts';

const require = createRequire(import.meta.url);

function prismaCliPath(): string {
  return path.join(path.dirname(require.resolve('prisma/package.json')), 'build', 'index.js');
}

export class MigrationError extends Error {
  constructor(
    message: string,
    readonly output: string,
  ) {
    super(message);
    this.name = 'MigrationError';
  }
}

/** Runs `prisma migrate deploy` against `url`; resolves with the CLI's output. */
export function applyMigrations(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [prismaCliPath(), 'migrate', 'deploy', '--config', prismaConfigPath],
      {
        cwd: repoRoot,
        env: {
          ...process.env,
          DATABASE_URL: url,
          PRISMA_HIDE_UPDATE_MESSAGE: '1',
          CHECKPOINT_DISABLE: '1',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', (error) => reject(error));
    child.on('close', (code) => {
      if (code === 0) resolve(output);
      else reject(new MigrationError(`prisma migrate deploy exited with code ${code}`, output));
    });
  });
}

/** Names of the migrations this build ships, in order. */
export async function shippedMigrations(): Promise<string[]> {
  const entries = await readdir(migrationsDir, { withFileTypes: true });
  return entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
}

export interface MigrationLevel {
  /** Migrations recorded as finished in the database. */
  applied: number;
  /** Name of the newest applied migration, or null when none is. */
  latest: string | null;
  /** Shipped migrations the database has not applied. */
  pending: string[];
}

export async function migrationLevel(pool: pg.Pool): Promise<MigrationLevel> {
  const shipped = await shippedMigrations();
  const exists = await pool.query<{ present: boolean }>(
    "SELECT to_regclass('public._prisma_migrations') IS NOT NULL AS present",
  );
  if (!exists.rows[0]?.present) return { applied: 0, latest: null, pending: shipped };
  const { rows } = await pool.query<{ migration_name: string }>(
    `SELECT migration_name FROM _prisma_migrations
      WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL
      ORDER BY migration_name`,
  );
  const applied = new Set(rows.map((r) => r.migration_name));
  return {
    applied: applied.size,
    latest: rows.at(-1)?.migration_name ?? null,
    pending: shipped.filter((name) => !applied.has(name)),
  };
}
