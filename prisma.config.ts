// Prisma CLI configuration: the WebAssembly schema engine ("js") through our pg adapter, so
// generate, migrate diff and migrate deploy run offline without a native engine download.
import path from 'node:path';
import { defineConfig } from 'prisma/config';
import { createAdapter } from './apps/engine/src/db/pg.ts';

// The schema names env("DATABASE_URL"); `prisma generate` never connects but still resolves it,
// and without it falls back to downloading native engines. A placeholder keeps it offline.
const databaseUrl = process.env.DATABASE_URL;
process.env.DATABASE_URL ??= 'postgresql://unset@127.0.0.1:1/unset';

export default defineConfig({
  experimental: { adapter: true },
  schema: path.join(import.meta.dirname, 'prisma', 'schema.prisma'),
  migrations: { path: path.join(import.meta.dirname, 'prisma', 'migrations') },
  engine: 'js',
  adapter: () => {
    const url = databaseUrl;
    if (!url) {
      return Promise.reject(
        new Error('DATABASE_URL is not set: the Prisma CLI needs a database for this command'),
      );
    }
    return Promise.resolve(createAdapter(url, { max: 1, applicationName: 'gridtokenx-migrate' }));
  },
});
