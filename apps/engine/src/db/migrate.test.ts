// Migrations apply to a real PostgreSQL (DATABASE_URL's server) and to the embedded database,
// reach the shipped level, re-apply as a no-op, and the seed fills an empty database once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createEmbeddedTestDatabase,
  createPostgresTestDatabase,
  type TestDatabase,
} from '../testing/database.ts';
import { KeyVault } from '../auth/keys.ts';
import { openDatabase, type Database } from './index.ts';
import { applyMigrations, shippedMigrations } from './migrate.ts';
import { DEMO_ACCOUNTS, SEED_ZONES, seedIfEmpty } from './seed.ts';

const serverUrl = process.env.DATABASE_URL;

const targets: { name: string; create: () => Promise<TestDatabase>; skip: boolean }[] = [
  {
    name: 'PostgreSQL from DATABASE_URL',
    create: () => createPostgresTestDatabase(serverUrl ?? '', 'migrate', { contents: 'empty' }),
    skip: !serverUrl,
  },
  {
    name: 'embedded PGlite',
    create: () => createEmbeddedTestDatabase({ contents: 'empty' }),
    skip: false,
  },
];

for (const target of targets) {
  describe.skipIf(target.skip)(`migrations on ${target.name}`, () => {
    let testDb: TestDatabase;
    let db: Database;

    beforeAll(async () => {
      testDb = await target.create();
      db = await openDatabase({ url: testDb.url, dataDir: '/nonexistent' });
    });
    afterAll(async () => {
      await db?.close();
      await testDb?.drop();
    });

    it('applies every shipped migration', async () => {
      const shipped = await shippedMigrations();
      expect(shipped.length).toBeGreaterThan(0);
      const level = await db.migrationLevel();
      expect(level.pending).toEqual([]);
      expect(level.applied).toBe(shipped.length);
      expect(level.latest).toBe(shipped.at(-1));
    });

    it('creates the exchange tables with integer amounts only', async () => {
      const { rows } = await db.pool.query<{ table_name: string }>(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'`,
      );
      const tables = rows.map((r) => r.table_name);
      for (const t of [
        'account',
        'session',
        'zone',
        'link',
        'delivery_interval',
        'order',
        'trade',
        'meter',
        'meter_reading',
        'certificate',
        'chain_block',
        'chain_tx',
        'audit_log',
      ]) {
        expect(tables).toContain(t);
      }
      const floats = await db.pool.query(
        `SELECT table_name, column_name FROM information_schema.columns
          WHERE table_schema = 'public' AND data_type IN ('real', 'double precision')`,
      );
      expect(floats.rows).toEqual([]);
    });

    it('re-applying migrations changes nothing', async () => {
      const before = await db.migrationLevel();
      await applyMigrations(testDb.url);
      expect(await db.migrationLevel()).toEqual(before);
    });

    it('seeds an empty database once, with zones, two-way links and a login per role', async () => {
      const vault = new KeyVault(Buffer.alloc(32, 1));
      expect(await seedIfEmpty(db.prisma, vault)).toEqual({ seeded: true });
      expect(await seedIfEmpty(db.prisma, vault)).toEqual({ seeded: false });
      const zones = await db.prisma.zone.findMany({ orderBy: { code: 'asc' } });
      expect(zones.map((z) => z.code)).toEqual(SEED_ZONES.map((z) => z.code).sort());
      const links = await db.prisma.link.findMany();
      expect(links.length).toBeGreaterThanOrEqual(8);
      for (const l of links) {
        expect(links.some((r) => r.fromZone === l.toZone && r.toZone === l.fromZone)).toBe(true);
        expect(l.capacityWh).toBeGreaterThan(0n);
      }
      const roles = new Set((await db.prisma.account.findMany()).map((a) => a.role));
      expect([...roles].sort()).toEqual(['ADMIN', 'AUTHORITY', 'OPERATOR', 'TRADER']);
      expect(await db.prisma.account.count()).toBe(DEMO_ACCOUNTS.length + 1); // + the clearing house
    });

    it('rejects a row that breaks a constraint without writing anything', async () => {
      await expect(
        db.prisma.link.create({
          data: { fromZone: 'NOPE', toZone: 'PEA-C', capacityWh: 1n, wheelingTicks: 0 },
        }),
      ).rejects.toThrow();
      expect(await db.prisma.link.count({ where: { fromZone: 'NOPE' } })).toBe(0);
    });
  });
}
