// The embedded database: PGlite (Postgres compiled to WebAssembly) kept in a data folder and
// served on a local Postgres socket, so the engine, the Prisma CLI and the tests reach it through
// the same pg driver and migrations as a real PostgreSQL.
import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

export interface EmbeddedDatabase {
  /** postgresql:// URL of the local socket. */
  readonly url: string;
  /** Data folder, or null when in memory. */
  readonly dataDir: string | null;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  /** Folder holding the database files; null keeps everything in memory (tests, tools). */
  dataDir: string | null;
  host?: string;
  /** 0 lets the OS choose a free port. */
  port?: number;
}

export async function startEmbeddedDatabase(options: EmbeddedOptions): Promise<EmbeddedDatabase> {
  const host = options.host ?? '127.0.0.1';
  if (options.dataDir) await mkdir(options.dataDir, { recursive: true });
  const db = options.dataDir ? await PGlite.create(options.dataDir) : await PGlite.create();
  // PGlite runs one query at a time; the server multiplexes clients onto it, but transactions
  // from two clients would interleave, so callers keep one connection (pool max 1) at a time.
  const server = new PGLiteSocketServer({ db, host, port: options.port ?? 0, maxConnections: 4 });
  try {
    await server.start();
  } catch (error) {
    await db.close();
    throw error;
  }
  const address = server.getServerConn();
  let stopped = false;
  return {
    url: `postgresql://postgres@${address}/postgres`,
    dataDir: options.dataDir,
    async stop() {
      if (stopped) return;
      stopped = true;
      await server.stop();
      await db.close();
    },
  };
}
