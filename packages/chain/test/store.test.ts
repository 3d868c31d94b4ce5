// STORE-1..5: the file store survives a torn write, refuses a damaged log, keeps snapshots and
// the sign state (in two alternating slots); the in-memory store enforces append order.
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

describe('file store sign state in two alternating slots (STORE-5, CONS-10)', () => {
  const slot = (dir: string, i: number): string => join(dir, `sign-state.${i}`);

  it('reads back the latest of many states across reopen, with nothing signed on a fresh store', async () => {
    const dir = await tempDir();
    const s = await FileStore.open(dir);
    expect(await s.signState()).toBeNull();
    for (let i = 1; i <= 5; i++) await s.putSignState(new Uint8Array(10 + i).fill(i));
    await s.close();
    const r = await FileStore.open(dir);
    expect(await r.signState()).toEqual(new Uint8Array(15).fill(5));
    await r.close();
  });

  it('falls back to the older slot when the newest is torn or damaged', async () => {
    const dir = await tempDir();
    const s = await FileStore.open(dir);
    await s.putSignState(Uint8Array.of(1, 1, 1)); // sequence 1 → slot 1
    await s.putSignState(Uint8Array.of(2, 2, 2)); // sequence 2 → slot 0
    await s.close();
    const bytes = await readFile(slot(dir, 0));
    bytes[53] = bytes[53]! ^ 0xff; // inside the state (after the 52-byte header): checksum fails
    await writeFile(slot(dir, 0), bytes);
    const r = await FileStore.open(dir);
    expect(await r.signState()).toEqual(Uint8Array.of(1, 1, 1));
    // The next write goes to the damaged slot, never over the one holding the durable state.
    await r.putSignState(Uint8Array.of(3));
    await r.close();
    await truncate(slot(dir, 0), 30); // a torn write that cut the header
    const t = await FileStore.open(dir);
    expect(await t.signState()).toEqual(Uint8Array.of(1, 1, 1));
    await t.close();
  });

  it('keeps the starting state when the very first write is torn', async () => {
    const dir = await tempDir();
    const s = await FileStore.open(dir);
    await s.putSignState(Uint8Array.of(7)); // sequence 1 → slot 1
    await s.close();
    await truncate(slot(dir, 1), 10);
    const r = await FileStore.open(dir);
    expect(await r.signState()).toBeNull();
    await r.close();
  });

  it('refuses to open when both slots are damaged', async () => {
    const dir = await tempDir();
    const s = await FileStore.open(dir);
    await s.putSignState(Uint8Array.of(1));
    await s.putSignState(Uint8Array.of(2));
    await s.close();
    await writeFile(slot(dir, 0), new Uint8Array(100).fill(0xee));
    await truncate(slot(dir, 1), 0);
    await expect(FileStore.open(dir)).rejects.toMatchObject({ code: 'CHAIN_STORE_CORRUPT' });
  });

  it('grows a slot for a state larger than its preallocation and shrinks back', async () => {
    const dir = await tempDir();
    const s = await FileStore.open(dir);
    const big = new Uint8Array(200_000).map((_, i) => i & 0xff);
    await s.putSignState(big);
    await s.close();
    const r = await FileStore.open(dir);
    expect(await r.signState()).toEqual(big);
    await r.putSignState(Uint8Array.of(4, 5));
    await r.putSignState(Uint8Array.of(6)); // overwrites the big slot's head; its tail is stale
    await r.close();
    const t = await FileStore.open(dir);
    expect(await t.signState()).toEqual(Uint8Array.of(6));
    await t.close();
  });

  it('takes over a sign state written as one file by earlier versions', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'sign-state.bin'), Uint8Array.of(4, 2));
    const s = await FileStore.open(dir);
    expect(await s.signState()).toEqual(Uint8Array.of(4, 2));
    await s.close();
    await expect(stat(join(dir, 'sign-state.bin'))).rejects.toMatchObject({ code: 'ENOENT' });
    const r = await FileStore.open(dir);
    expect(await r.signState()).toEqual(Uint8Array.of(4, 2));
    await r.close();
  });

  it('recreates a slot missing after a crash while the slots were first created', async () => {
    const dir = await tempDir();
    const s = await FileStore.open(dir);
    await s.close();
    await rm(slot(dir, 0));
    const r = await FileStore.open(dir);
    expect(await r.signState()).toBeNull();
    await r.putSignState(Uint8Array.of(8)); // sequence 1 → slot 1
    await r.putSignState(Uint8Array.of(9)); // sequence 2 → the recreated slot 0
    await r.close();
    const t = await FileStore.open(dir);
    expect(await t.signState()).toEqual(Uint8Array.of(9));
    await t.close();
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
