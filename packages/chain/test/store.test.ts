// STORE-1..4: the file store survives a torn write, refuses a damaged log, keeps snapshots and
// the sign state; the in-memory store enforces append order.
import { mkdtemp, readFile, rm, truncate, writeFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ChainError } from '../src/errors.ts';
import { FileStore } from '../src/internal/store/file-store.ts';
import { MemoryStore } from '../src/internal/store/memory-store.ts';
import type { StoredBlock } from '../src/internal/store/store.ts';

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});
async function tempDir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'gtx-store-'));
  dirs.push(d);
  return d;
}

function record(height: number): StoredBlock {
  return {
    height,
    hash: height.toString(16).padStart(64, '0'),
    block: new Uint8Array(100 + height).fill(height),
    commit: new Uint8Array(10).fill(1),
    stateDiff: new Uint8Array(20).fill(2),
    txHashes: [`${'a'.repeat(62)}${height.toString(16).padStart(2, '0')}`],
  };
}

describe('file store (STORE-1..4)', () => {
  it('appends, reads back, indexes, and reopens', async () => {
    const dir = await tempDir();
    const s = await FileStore.open(dir);
    for (let h = 1; h <= 5; h++) await s.append(record(h));
    await expect(s.append(record(7))).rejects.toBeInstanceOf(ChainError);
    await s.close();
    const r = await FileStore.open(dir);
    expect(await r.head()).toEqual({ height: 5, hash: record(5).hash });
    expect(await r.block(3)).toEqual(record(3));
    expect(await r.heightOf(record(4).hash)).toBe(4);
    expect(await r.txLocation(record(2).txHashes[0]!)).toEqual({ height: 2, index: 0 });
    expect(await r.block(6)).toBeNull();
    await r.close();
  });

  it('cuts a torn last record and keeps everything before it', async () => {
    const dir = await tempDir();
    const s = await FileStore.open(dir);
    for (let h = 1; h <= 3; h++) await s.append(record(h));
    await s.close();
    const log = join(dir, 'blocks.log');
    await truncate(log, (await stat(log)).size - 7);
    const r = await FileStore.open(dir);
    expect((await r.head())?.height).toBe(2);
    await r.append(record(3));
    expect(await r.block(3)).toEqual(record(3));
    await r.close();
  });

  it('refuses a log damaged before its end', async () => {
    const dir = await tempDir();
    const s = await FileStore.open(dir);
    for (let h = 1; h <= 3; h++) await s.append(record(h));
    await s.close();
    const log = join(dir, 'blocks.log');
    const bytes = await readFile(log);
    bytes[40] = bytes[40]! ^ 0xff;
    await writeFile(log, bytes);
    await expect(FileStore.open(dir)).rejects.toMatchObject({ code: 'CHAIN_STORE_CORRUPT' });
  });

  it('keeps the latest snapshot and the sign state across reopen', async () => {
    const dir = await tempDir();
    const s = await FileStore.open(dir);
    await s.putSnapshot({ height: 10, state: Uint8Array.of(1) });
    await s.putSnapshot({ height: 20, state: Uint8Array.of(2) });
    await s.putSignState(Uint8Array.of(9, 9));
    await s.close();
    const r = await FileStore.open(dir);
    expect(await r.latestSnapshot()).toEqual({ height: 20, state: Uint8Array.of(2) });
    expect(await r.signState()).toEqual(Uint8Array.of(9, 9));
    await r.close();
  });
});

describe('memory store', () => {
  it('enforces append order', async () => {
    const s = new MemoryStore();
    await s.append(record(1));
    await expect(s.append(record(3))).rejects.toBeInstanceOf(ChainError);
    expect((await s.head())?.height).toBe(1);
  });
});
