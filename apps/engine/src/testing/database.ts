// Throwaway databases for tests: a fresh database on the PostgreSQL server of DATABASE_URL when it
// is set, otherwise a fresh embedded PGlite in a temporary folder. Each caller gets its own and
// drops it, so parallel runs never see each other's rows. Migrated databases are cloned from a
// template migrated once per migration set (CREATE DATABASE … TEMPLATE, or a copied PGlite
// folder), because `prisma migrate deploy` takes seconds per run.
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readFile, rename, rm, rmdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startEmbeddedDatabase } from '../db/embedded.ts';
import { applyMigrations, shippedMigrations } from '../db/migrate.ts';
import { migrationsDir } from '../paths.ts';

export interface TestDatabase {
  readonly kind: 'postgresql' | 'embedded';
  readonly url: string;
  /** Drops the database (or stops and deletes the embedded one). Safe to call twice. */
  drop(): Promise<void>;
}

export interface TestDatabaseOptions {
  /** 'migrated' (default): every shipped migration applied. 'empty': a bare database. */
  contents?: 'migrated' | 'empty';
}

/** A database URL with another database name, keeping host, user and options. */
export function withDatabaseName(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/** Identifies the shipped migration set, so templates are rebuilt when migrations change. */
async function migrationsFingerprint(): Promise<string> {
  const hash = createHash('sha256');
  for (const name of await shippedMigrations()) {
    hash.update(name);
    hash.update(await readFile(path.join(migrationsDir, name, 'migration.sql')));
  }
  return hash.digest('hex').slice(0, 16);
}

async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

const TEMPLATE_LOCK = 0x67747874; // "gtxt": serialises template builds across test processes

async function ensurePostgresTemplate(serverUrl: string): Promise<string> {
  const name = `gtx_template_${await migrationsFingerprint()}`;
  await withClient(serverUrl, async (admin) => {
    await admin.query('SELECT pg_advisory_lock($1)', [TEMPLATE_LOCK]);
    try {
      const found = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
      if (found.rowCount) return;
      // Build under a scratch name and rename only once complete, so a crash mid-migration
      // never leaves a half-migrated template behind.
      const scratch = `${name}_build_${randomBytes(3).toString('hex')}`;
      await admin.query(`CREATE DATABASE "${scratch}"`);
      try {
        await applyMigrations(withDatabaseName(serverUrl, scratch));
        await admin.query(`ALTER DATABASE "${scratch}" RENAME TO "${name}"`);
      } catch (error) {
        await admin.query(`DROP DATABASE IF EXISTS "${scratch}" WITH (FORCE)`);
        throw error;
      }
    } finally {
      await admin.query('SELECT pg_advisory_unlock($1)', [TEMPLATE_LOCK]);
    }
  });
  return name;
}

export async function createPostgresTestDatabase(
  serverUrl: string,
  label = 'test',
  options: TestDatabaseOptions = {},
): Promise<TestDatabase> {
  const template =
    (options.contents ?? 'migrated') === 'migrated'
      ? await ensurePostgresTemplate(serverUrl)
      : null;
  const name = `gtx_${label.replace(/\W/g, '_').toLowerCase()}_${randomBytes(5).toString('hex')}`;
  await withClient(serverUrl, (admin) =>
    admin.query(`CREATE DATABASE "${name}"${template ? ` TEMPLATE "${template}"` : ''}`),
  );
  let dropped = false;
  return {
    kind: 'postgresql',
    url: withDatabaseName(serverUrl, name),
    async drop() {
      if (dropped) return;
      dropped = true;
      await withClient(serverUrl, (c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    },
  };
}

async function ensureEmbeddedTemplate(): Promise<string> {
  const dir = path.join(os.tmpdir(), `gtx-pglite-template-${await migrationsFingerprint()}`);
  const lock = `${dir}.lock`;
  for (;;) {
    if (existsSync(dir)) return dir;
    try {
      await mkdir(lock); // atomic: one process builds, the others wait for it
      break;
    } catch {
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  try {
    if (existsSync(dir)) return dir;
    const building = `${dir}.building-${process.pid}`;
    const db = await startEmbeddedDatabase({ dataDir: building });
    try {
      await applyMigrations(db.url);
    } finally {
      await db.stop();
    }
    await rename(building, dir);
    return dir;
  } finally {
    await rmdir(lock);
  }
}

export async function createEmbeddedTestDatabase(
  options: TestDatabaseOptions = {},
): Promise<TestDatabase> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'gtx-pglite-'));
  if ((options.contents ?? 'migrated') === 'migrated') {
    await cp(await ensureEmbeddedTemplate(), dir, { recursive: true });
  }
  const embedded = await startEmbeddedDatabase({ dataDir: dir });
  let dropped = false;
  return {
    kind: 'embedded',
    url: embedded.url,
    async drop() {
      if (dropped) return;
      dropped = true;
      await embedded.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** PostgreSQL when `serverUrl` (pass DATABASE_URL) is given, the embedded database otherwise. */
export function createTestDatabase(
  label: string,
  serverUrl: string | undefined,
  options: TestDatabaseOptions = {},
): Promise<TestDatabase> {
  return serverUrl
    ? createPostgresTestDatabase(serverUrl, label, options)
    : createEmbeddedTestDatabase(options);
}
