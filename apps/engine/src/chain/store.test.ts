// The PostgreSQL chain store against a real database: blocks append only on top of the stored
// head (a gap or a repeat is refused and writes nothing), with their transaction locations, and
// read back byte for byte; two validators' stores in one database never see each other's rows,
// and a block both hold is stored once (its body and transaction locations), each with its commit;
// the validators' signing-state writes share group commits, each resolving only once committed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoredBlock } from '@gridtokenx/chain';
import { openDatabase, type Database } from '../db/index.ts';
import { createTestDatabase, type TestDatabase } from '../testing/database.ts';
import { PgChainStore, SignStateWrites } from './store.ts';

function record(height: number, txHashes: string[]): StoredBlock {
  return {
    height,
    hash: `${'b'.repeat(60)}${String(height).padStart(4, '0')}`,
    block: Uint8Array.from([1, 2, height]),
    commit: Uint8Array.from([3, height]),
    stateDiff: Uint8Array.from([4, 5, 6, height]),
    txHashes,
  };
}

describe('PgChainStore', () => {
  let testDb: TestDatabase;
  let db: Database;

  beforeAll(async () => {
    testDb = await createTestDatabase('chain-store', process.env.DATABASE_URL);
    db = await openDatabase({
      url: testDb.url,
      dataDir: '/nonexistent',
      ...(testDb.kind === 'embedded' ? { poolSize: 1 } : {}),
    });
  });
  afterAll(async () => {
    await db?.close();
    await testDb?.drop();
  });

  it('appends on top of its head only, with the transaction locations, and reads it all back', async () => {
    const store = new PgChainStore(db.pool, 'validator-a');
    expect(await store.head()).toBeNull();
    await expect(store.append(record(2, []))).rejects.toThrow(/append at height 2, expected 1/);
    await store.append(record(1, ['t1', 't2']));
    await store.append(record(2, []));
    await store.append(record(3, ['t3']));
    await expect(store.append(record(3, ['t4']))).rejects.toThrow(/expected 4/);
    await expect(store.append(record(5, ['t5']))).rejects.toThrow(/expected 4/);
    // Refused appends wrote nothing, not even their transactions.
    expect(await store.txLocation('t4')).toBeNull();
    expect(await store.txLocation('t5')).toBeNull();
    expect(await store.head()).toEqual({ height: 3, hash: record(3, []).hash });
    expect(await store.txLocation('t2')).toEqual({ height: 1, index: 1 });
    expect(await store.txLocation('t3')).toEqual({ height: 3, index: 0 });
    const back = await store.block(3);
    expect(back).toMatchObject({ height: 3, hash: record(3, []).hash, txHashes: ['t3'] });
    expect(Array.from(back!.block)).toEqual([1, 2, 3]);
    expect(Array.from(back!.stateDiff)).toEqual([4, 5, 6, 3]);
    expect(await store.heightOf(record(2, []).hash)).toBe(2);
  });

  it('keeps each validator’s blocks apart', async () => {
    const other = new PgChainStore(db.pool, 'validator-b');
    expect(await other.head()).toBeNull();
    await other.append(record(1, ['t1']));
    expect(await other.head()).toMatchObject({ height: 1 });
    expect(await new PgChainStore(db.pool, 'validator-a').head()).toMatchObject({ height: 3 });
  });

  it('stores a block several stores hold once, each with the commit it saw', async () => {
    const a = new PgChainStore(db.pool, 'validator-c');
    const b = new PgChainStore(db.pool, 'validator-d');
    const first = { ...record(1, ['s1', 's2']), hash: 'c'.repeat(64) };
    await a.append(first);
    // Until it appends the block itself, b holds nothing of it.
    expect(await b.block(1)).toBeNull();
    expect(await b.txLocation('s1')).toBeNull();
    expect(await b.heightOf(first.hash)).toBeNull();
    await b.append({ ...first, commit: Uint8Array.from([9, 9]) });
    const fromB = await b.block(1);
    expect(Array.from(fromB!.commit)).toEqual([9, 9]);
    expect(Array.from(fromB!.block)).toEqual(Array.from(first.block));
    expect(fromB!.txHashes).toEqual(['s1', 's2']);
    expect(Array.from((await a.block(1))!.commit)).toEqual([3, 1]);
    expect(await b.txLocation('s2')).toEqual({ height: 1, index: 1 });
    expect(await b.heightOf(first.hash)).toBe(1);

    // Both append the next block at once: each has its row, the body is written once.
    const second = { ...record(2, ['s3']), hash: 'd'.repeat(64) };
    await Promise.all([a.append(second), b.append(second)]);
    for (const store of [a, b]) {
      expect(await store.head()).toEqual({ height: 2, hash: second.hash });
      expect(await store.txLocation('s3')).toEqual({ height: 2, index: 0 });
    }
    const count = async (sql: string) =>
      (await db.pool.query<{ n: number }>(sql, [[first.hash, second.hash]])).rows[0]!.n;
    expect(
      await count(`SELECT count(*)::int AS n FROM chain_store_block_body WHERE hash = ANY($1)`),
    ).toBe(2);
    expect(
      await count(`SELECT count(*)::int AS n FROM chain_store_block_tx WHERE block_hash = ANY($1)`),
    ).toBe(3);
  });

  it('writes the signing states of validators sharing a pool in group commits', async () => {
    const shared = new SignStateWrites(db.pool);
    const names = ['sv-egat', 'sv-mea', 'sv-pea', 'sv-erc'];
    const stores = names.map((n) => new PgChainStore(db.pool, n, shared));
    // Four validators persist before the same step: one statement for all of them.
    await Promise.all(stores.map((s, i) => s.putSignState(Uint8Array.from([1, i]))));
    expect(shared.statements).toBe(1);
    for (const [i, s] of stores.entries()) {
      expect(await s.signState()).toEqual(Uint8Array.from([1, i]));
    }
    // A write arriving while one is in flight joins the next statement; each resolves committed,
    // and a store without the shared writer reads what the shared one wrote.
    const first = stores[0]!.putSignState(Uint8Array.from([2, 0]));
    await new Promise((r) => setImmediate(r));
    const rest = stores.slice(1).map((s, i) => s.putSignState(Uint8Array.from([2, i + 1])));
    await Promise.all([first, ...rest]);
    expect(shared.statements).toBe(3);
    for (const [i, n] of names.entries()) {
      expect(await new PgChainStore(db.pool, n).signState()).toEqual(Uint8Array.from([2, i]));
    }
    // The same validator twice in one statement: the later state wins, both resolve.
    await Promise.all([
      stores[1]!.putSignState(Uint8Array.from([3, 1])),
      stores[1]!.putSignState(Uint8Array.from([4, 1])),
    ]);
    expect(await stores[1]!.signState()).toEqual(Uint8Array.from([4, 1]));
  });

  it('rejects every signing-state write of a refused statement, and writes later ones', async () => {
    const shared = new SignStateWrites(db.pool);
    const a = new PgChainStore(db.pool, 'rv-a', shared);
    const b = new PgChainStore(db.pool, 'rv-b', shared);
    await a.putSignState(Uint8Array.from([1]));
    await db.pool.query(
      `ALTER TABLE chain_store_sign_state ADD CONSTRAINT refuse_rv CHECK (validator NOT LIKE 'rv-%')  NOT VALID`,
    );
    try {
      const results = await Promise.allSettled([
        a.putSignState(Uint8Array.from([2])),
        b.putSignState(Uint8Array.from([2])),
      ]);
      expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    } finally {
      await db.pool.query(`ALTER TABLE chain_store_sign_state DROP CONSTRAINT refuse_rv`);
    }
    // Nothing of the refused statement was written; the writer goes on.
    expect(await a.signState()).toEqual(Uint8Array.from([1]));
    expect(await b.signState()).toBeNull();
    await Promise.all([a.putSignState(Uint8Array.from([3])), b.putSignState(Uint8Array.from([3]))]);
    expect(await a.signState()).toEqual(Uint8Array.from([3]));
    expect(await b.signState()).toEqual(Uint8Array.from([3]));
  });
});
