// The chain identity keeps its keys across restarts, and an identity sealed before the reporting
// key existed gains one (sealed with the others) that stays the same from then on.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeyVault } from '../auth/keys.ts';
import { openDatabase, type Database } from '../db/index.ts';
import { createTestDatabase, type TestDatabase } from '../testing/database.ts';
import { loadOrCreateIdentity, loadReportingKey } from './identity.ts';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('chain identity', () => {
  let testDb: TestDatabase;
  let db: Database;
  const vault = new KeyVault(Buffer.alloc(32, 3));

  beforeAll(async () => {
    testDb = await createTestDatabase('identity', process.env.DATABASE_URL);
    db = await openDatabase({ url: testDb.url, dataDir: '/nonexistent' });
  });
  afterAll(async () => {
    await db?.close();
    await testDb?.drop();
  });

  it('gives an identity sealed without a reporting key one, and keeps it', async () => {
    const first = await loadOrCreateIdentity(db.prisma, vault, 1_000);
    // Re-seal the identity as an older engine stored it: no reporting key.
    const legacy = {
      EGAT: hex(first.authorities.EGAT),
      MEA: hex(first.authorities.MEA),
      PEA: hex(first.authorities.PEA),
      ERC: hex(first.authorities.ERC),
      bank: hex(first.bank),
      clearing: hex(first.clearing),
    };
    const sealed = Buffer.from(
      vault.seal('chain-identity', Buffer.from(JSON.stringify(legacy))),
    ).toString('base64');
    await db.prisma.engineState.update({
      where: { key: 'chain.identity' },
      data: { value: { chainId: first.chainId, genesisTimeMs: 1_000, sealed } },
    });
    const upgraded = await loadOrCreateIdentity(db.prisma, vault, 2_000);
    expect(upgraded.chainId).toBe(first.chainId);
    expect(hex(upgraded.authorities.EGAT)).toBe(legacy.EGAT);
    expect(hex(upgraded.clearing)).toBe(legacy.clearing);
    expect(upgraded.reporting).toHaveLength(32);
    expect(hex(upgraded.reporting)).not.toBe(hex(first.reporting));
    const again = await loadReportingKey(db.prisma, vault, 3_000);
    expect(hex(again)).toBe(hex(upgraded.reporting));
  });
});
