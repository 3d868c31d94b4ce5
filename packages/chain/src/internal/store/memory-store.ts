// A ChainStore in memory, for tests and for the engine's ephemeral demo mode. Kept alive across a
// node object's "crash" it behaves like a disk: the restarted node resumes from it.
import { ChainError } from '../../errors.ts';
import type { ChainStore, StoredBlock, StoredSnapshot } from './store.ts';

export class MemoryStore implements ChainStore {
  private readonly blocks: StoredBlock[] = [];
  private readonly heights = new Map<string, number>();
  private readonly txs = new Map<string, { height: number; index: number }>();
  private snapshot: StoredSnapshot | null = null;
  private sign: Uint8Array | null = null;

  head(): Promise<{ height: number; hash: string } | null> {
    const last = this.blocks[this.blocks.length - 1];
    return Promise.resolve(last === undefined ? null : { height: last.height, hash: last.hash });
  }

  append(record: StoredBlock): Promise<void> {
    const expected = this.blocks.length + 1;
    if (record.height !== expected) {
      return Promise.reject(
        new ChainError('CHAIN_STORE_CORRUPT', `append of ${record.height}, expected ${expected}`),
      );
    }
    this.blocks.push(record);
    this.heights.set(record.hash, record.height);
    record.txHashes.forEach((h, index) => this.txs.set(h, { height: record.height, index }));
    return Promise.resolve();
  }

  block(height: number): Promise<StoredBlock | null> {
    return Promise.resolve(this.blocks[height - 1] ?? null);
  }

  heightOf(blockHash: string): Promise<number | null> {
    return Promise.resolve(this.heights.get(blockHash) ?? null);
  }

  txLocation(txHash: string): Promise<{ height: number; index: number } | null> {
    return Promise.resolve(this.txs.get(txHash) ?? null);
  }

  latestSnapshot(): Promise<StoredSnapshot | null> {
    return Promise.resolve(this.snapshot);
  }

  putSnapshot(snapshot: StoredSnapshot): Promise<void> {
    this.snapshot = snapshot;
    return Promise.resolve();
  }

  signState(): Promise<Uint8Array | null> {
    return Promise.resolve(this.sign);
  }

  putSignState(bytes: Uint8Array): Promise<void> {
    this.sign = bytes;
    return Promise.resolve();
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
