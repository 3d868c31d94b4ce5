// ChainStore: what a validator persists and what it needs to restart (STORE-1..4). Small and
// async so the engine can implement it over PostgreSQL (one row per block, an index on tx hash);
// everything is passed as bytes so a store never has to understand blocks.

export interface StoredBlock {
  readonly height: number;
  /** Hex block hash. */
  readonly hash: string;
  /** The canonically encoded block (encodeBlock). */
  readonly block: Uint8Array;
  /** The encoded commit certificate that finalised it. */
  readonly commit: Uint8Array;
  /** The encoded state diff the block produced (key → new value or deletion). */
  readonly stateDiff: Uint8Array;
  /** Hex hashes of the block's transactions, in block order, for `txLocation`. */
  readonly txHashes: readonly string[];
}

export interface StoredSnapshot {
  readonly height: number;
  /** The encoded full state after `height`. */
  readonly state: Uint8Array;
}

export interface ChainStore {
  /** Height and hash of the highest committed block, or null when nothing is stored yet. */
  head(): Promise<{ readonly height: number; readonly hash: string } | null>;
  /**
   * Persists one committed block atomically, at exactly head + 1 (STORE-1). When the promise
   * resolves the block must survive a crash.
   */
  append(record: StoredBlock): Promise<void>;
  block(height: number): Promise<StoredBlock | null>;
  heightOf(blockHash: string): Promise<number | null>;
  txLocation(txHash: string): Promise<{ readonly height: number; readonly index: number } | null>;
  /** The most recent full-state snapshot (STORE-3), for a fast restart. */
  latestSnapshot(): Promise<StoredSnapshot | null>;
  putSnapshot(snapshot: StoredSnapshot): Promise<void>;
  /** The validator's last-signed record (STORE-4), so a restart can never double-sign. */
  signState(): Promise<Uint8Array | null>;
  putSignState(bytes: Uint8Array): Promise<void>;
  close(): Promise<void>;
}
