// The engine's database: the only module that creates the Prisma client. It picks PostgreSQL
// from DATABASE_URL or starts the embedded database, applies migrations, and exposes one pg
// pool shared by Prisma (ordinary queries) and raw batched statements (hot paths).
import { PrismaPg } from '@prisma/adapter-pg';
import path from 'node:path';
import type pg from 'pg';
import { PrismaClient } from './generated/client.ts';
import { startEmbeddedDatabase, type EmbeddedDatabase } from './embedded.ts';
import { applyMigrations, migrationLevel, type MigrationLevel } from './migrate.ts';
import { createPool } from './pg.ts';

export type { PrismaClient } from './generated/client.ts';
export { Prisma } from './generated/client.ts';
export type { MigrationLevel } from './migrate.ts';

export type DatabaseKind = 'postgresql' | 'embedded';

export interface Database {
  readonly kind: DatabaseKind;
  /** Connection URL with any password removed, safe to print. */
  readonly displayUrl: string;
  /** The connection URL itself, for another connection pool in this process; never print it. */
  readonly url: string;
  readonly prisma: PrismaClient;
  readonly pool: pg.Pool;
  migrationLevel(): Promise<MigrationLevel>;
  /** Round trip to the database; resolves with its latency in ms or rejects. */
  ping(): Promise<number>;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  /** PostgreSQL URL; when absent the embedded database is used. */
  url?: string | undefined;
  /** Folder for the embedded database's files (ignored with a URL). */
  dataDir: string;
  embeddedPort?: number;
  poolSize?: number;
  /** Apply pending migrations before returning (default true). */
  migrate?: boolean;
  applicationName?: string;
  /** Told when an idle connection fails (the server restarted or closed it). */
  onIdleError?: (err: Error) => void;
}

export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparseable URL)';
  }
}

export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  let embedded: EmbeddedDatabase | null = null;
  let url = options.url;
  if (!url) {
    embedded = await startEmbeddedDatabase({
      dataDir: path.join(options.dataDir, 'pglite'),
      port: options.embeddedPort ?? 0,
    });
    url = embedded.url;
  }
  const pool = createPool(url, {
    // PGlite executes one statement at a time; more connections would only queue.
    max: embedded ? 1 : (options.poolSize ?? 10),
    applicationName: options.applicationName ?? 'gridtokenx-engine',
    ...(options.onIdleError ? { onIdleError: options.onIdleError } : {}),
  });
  try {
    // The CLI takes seconds to start; skip it when the database already has every migration.
    if ((options.migrate ?? true) && (await migrationLevel(pool)).pending.length > 0) {
      await applyMigrations(url);
    }
    const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
    const db: Database = {
      kind: embedded ? 'embedded' : 'postgresql',
      displayUrl: embedded ? `${embedded.url} (data in ${embedded.dataDir})` : redactUrl(url),
      url,
      prisma,
      pool,
      migrationLevel: () => migrationLevel(pool),
      async ping() {
        const started = performance.now();
        await pool.query('SELECT 1');
        return performance.now() - started;
      },
      async close() {
        await prisma.$disconnect();
        await pool.end();
        await embedded?.stop();
      },
    };
    return db;
  } catch (error) {
    await pool.end();
    await embedded?.stop();
    throw error;
  }
}
