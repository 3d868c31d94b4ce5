// A durable ChainStore in a directory: an append-only block log (length, checksum, record; fsync
// per block), the latest state snapshot written by rename, and the sign state in two alternating
// slots (sign-slots.ts). On open a torn last record (crash mid-write) is cut off; damage anywhere
// else stops the node (STORE-2, STORE-5).
import { mkdir, open, readdir, rm, stat, truncate, readFile } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { ChainError } from '../../errors.ts';
import { equalBytes } from '../bytes.ts';
import { decode, encode, hex32, list, struct, uint, varBytes } from '../encoding.ts';
import { sha256 } from '../crypto/hash.ts';
import { writeDurably } from './durable.ts';
import { SignStateSlots } from './sign-slots.ts';
import type { ChainStore, StoredBlock, StoredSnapshot } from './store.ts';

const recordCodec = struct({
  height: uint,
  hash: hex32,
  block: varBytes(1 << 26),
  commit: varBytes(1 << 20),
  stateDiff: varBytes(1 << 28),
  txHashes: list(hex32, 1_000_000),
});

const HEADER = 4 + 8;

function checksum(payload: Uint8Array): Uint8Array {
  return sha256(payload).subarray(0, 8);
}

interface Entry {
  readonly offset: number;
  readonly length: number;
  readonly hash: string;
}

export class FileStore implements ChainStore {
  private readonly entries: Entry[] = [];
  private readonly heights = new Map<string, number>();
  private readonly txs = new Map<string, { height: number; index: number }>();
  private size = 0;

  private constructor(
    private readonly dir: string,
    private readonly log: FileHandle,
    private readonly sign: SignStateSlots,
  ) {}

  /** Opens (creating if needed) the store in `dir`, indexing the log and cutting a torn tail. */
  static async open(dir: string): Promise<FileStore> {
    await mkdir(dir, { recursive: true });
    const path = join(dir, 'blocks.log');
    const fileSize = await stat(path).then(
      (s) => s.size,
      () => 0,
    );
    const data = fileSize > 0 ? new Uint8Array(await readFile(path)) : new Uint8Array(0);
    const found: { entry: Entry; record: StoredBlock }[] = [];
    let off = 0;
    while (off < data.length) {
      if (off + HEADER > data.length) break;
      const view = new DataView(data.buffer, data.byteOffset + off, HEADER);
      const length = view.getUint32(0);
      if (off + HEADER + length > data.length) break;
      const payload = data.subarray(off + HEADER, off + HEADER + length);
      if (!equalBytes(data.subarray(off + 4, off + HEADER), checksum(payload))) {
        if (off + HEADER + length === data.length) break;
        throw new ChainError('CHAIN_STORE_CORRUPT', `block log checksum mismatch at byte ${off}`);
      }
      const record = decode(recordCodec, payload);
      if (record.height !== found.length + 1) {
        throw new ChainError(
          'CHAIN_STORE_CORRUPT',
          `block log holds height ${record.height} at position ${found.length + 1}`,
        );
      }
      found.push({ entry: { offset: off + HEADER, length, hash: record.hash }, record });
      off += HEADER + length;
    }
    if (off < data.length) await truncate(path, off);
    const sign = await SignStateSlots.open(dir);
    const log = await open(path, 'a+');
    const store = new FileStore(dir, log, sign);
    for (const { entry, record } of found) store.index(entry, record);
    store.size = off;
    return store;
  }

  private index(entry: Entry, record: StoredBlock): void {
    this.entries.push(entry);
    this.heights.set(record.hash, record.height);
    record.txHashes.forEach((h, index) => this.txs.set(h, { height: record.height, index }));
  }

  head(): Promise<{ height: number; hash: string } | null> {
    const last = this.entries[this.entries.length - 1];
    return Promise.resolve(
      last === undefined ? null : { height: this.entries.length, hash: last.hash },
    );
  }

  async append(record: StoredBlock): Promise<void> {
    if (record.height !== this.entries.length + 1) {
      throw new ChainError(
        'CHAIN_STORE_CORRUPT',
        `append of ${record.height}, expected ${this.entries.length + 1}`,
      );
    }
    const payload = encode(
      recordCodec,
      record,
      record.block.length + record.stateDiff.length + 1024,
    );
    const frame = new Uint8Array(HEADER + payload.length);
    new DataView(frame.buffer).setUint32(0, payload.length);
    frame.set(checksum(payload), 4);
    frame.set(payload, HEADER);
    await this.log.write(frame);
    await this.log.datasync();
    this.index({ offset: this.size + HEADER, length: payload.length, hash: record.hash }, record);
    this.size += frame.length;
  }

  async block(height: number): Promise<StoredBlock | null> {
    const entry = this.entries[height - 1];
    if (entry === undefined) return null;
    const buf = new Uint8Array(entry.length);
    await this.log.read(buf, 0, entry.length, entry.offset);
    return decode(recordCodec, buf);
  }

  heightOf(blockHash: string): Promise<number | null> {
    return Promise.resolve(this.heights.get(blockHash) ?? null);
  }

  txLocation(txHash: string): Promise<{ height: number; index: number } | null> {
    return Promise.resolve(this.txs.get(txHash) ?? null);
  }

  async latestSnapshot(): Promise<StoredSnapshot | null> {
    const names = (await readdir(this.dir)).filter((n) => /^snapshot-\d+\.bin$/.test(n));
    const heights = names.map((n) => Number(n.slice(9, -4))).sort((a, b) => b - a);
    const height = heights[0];
    if (height === undefined) return null;
    const state = new Uint8Array(await readFile(join(this.dir, `snapshot-${height}.bin`)));
    return { height, state };
  }

  async putSnapshot(snapshot: StoredSnapshot): Promise<void> {
    await writeDurably(join(this.dir, `snapshot-${snapshot.height}.bin`), snapshot.state);
    for (const name of await readdir(this.dir)) {
      const m = /^snapshot-(\d+)\.bin$/.exec(name);
      if (m !== null && Number(m[1]) < snapshot.height)
        await rm(join(this.dir, name), { force: true });
    }
  }

  signState(): Promise<Uint8Array | null> {
    return Promise.resolve(this.sign.state);
  }

  putSignState(bytes: Uint8Array): Promise<void> {
    return this.sign.put(bytes);
  }

  async close(): Promise<void> {
    await this.log.close();
    await this.sign.close();
  }
}
