// State access: the committed state (a key-value map with its Merkle tree and query indexes) and
// overlays that stage a block's or the mempool's writes on top of it. A transaction that fails
// rolls its writes back, so a rejection never leaves partial state (TX-4).
import { decode, encode } from '../encoding.ts';
import { ChainError } from '../../errors.ts';
import { codecForKey, keyOf, TABLES } from './records.ts';
import type { RecordOf, TableName } from './records.ts';
import { StateTree, stateLeafHash } from './tree.ts';
import type { TreeDelta } from './tree.ts';

export interface StateReader {
  /** The record under `key`, or undefined. Records are frozen: never mutate one. */
  get(key: string): unknown;
}

const DELETED: unique symbol = Symbol('deleted');
const NO_WRITE: unique symbol = Symbol('no-write');
type Write = unknown;

export class Overlay implements StateReader {
  /** key → record, or DELETED. */
  readonly writes = new Map<string, Write>();
  private journal: [string, Write][] = [];

  constructor(readonly base: StateReader) {}

  get(key: string): unknown {
    const w = this.writes.get(key);
    if (w !== undefined) return w === DELETED ? undefined : w;
    return this.base.get(key);
  }

  put(key: string, value: object): void {
    this.journal.push([key, this.writes.has(key) ? this.writes.get(key) : NO_WRITE]);
    this.writes.set(key, Object.freeze(value));
  }

  del(key: string): void {
    this.journal.push([key, this.writes.has(key) ? this.writes.get(key) : NO_WRITE]);
    this.writes.set(key, DELETED);
  }

  /** Undo every write since the last `settle()`. */
  rollback(): void {
    for (let i = this.journal.length - 1; i >= 0; i--) {
      const [key, prev] = this.journal[i]!;
      if (prev === NO_WRITE) this.writes.delete(key);
      else this.writes.set(key, prev);
    }
    this.journal = [];
  }

  /** Keep the writes made so far (a transaction succeeded). */
  settle(): void {
    this.journal = [];
  }

  /** Final writes as key → record or null (deleted). */
  changes(): Map<string, unknown> {
    const out = new Map<string, unknown>();
    for (const [k, v] of this.writes) out.set(k, v === DELETED ? null : v);
    return out;
  }
}

export function getRecord<T extends TableName>(
  view: StateReader,
  table: T,
  recordId: string,
): RecordOf<T> | undefined {
  return view.get(keyOf(TABLES[table], recordId)) as RecordOf<T> | undefined;
}

export function putRecord<T extends TableName>(
  view: Overlay,
  table: T,
  recordId: string,
  value: RecordOf<T>,
): void {
  view.put(keyOf(TABLES[table], recordId), value);
}

export function deleteRecord(view: Overlay, table: TableName, recordId: string): void {
  view.del(keyOf(TABLES[table], recordId));
}

/** A block's writes, encoded: what the store persists as the state diff. */
export type EncodedChanges = Map<string, Uint8Array | null>;

export interface PreparedCommit {
  readonly changes: Map<string, unknown>;
  readonly encoded: EncodedChanges;
  readonly delta: TreeDelta;
  readonly stateRoot: Uint8Array;
}

function addToIndex(index: Map<string, Set<string>>, owner: string, key: string): void {
  let set = index.get(owner);
  if (set === undefined) index.set(owner, (set = new Set()));
  set.add(key);
}

function removeFromIndex(index: Map<string, Set<string>>, owner: string, key: string): void {
  const set = index.get(owner);
  if (set === undefined) return;
  set.delete(key);
  if (set.size === 0) index.delete(owner);
}

export class CommittedState implements StateReader {
  private readonly entries = new Map<string, unknown>();
  private readonly tree = new StateTree();
  /** Query indexes, derived from entries (never hashed). */
  readonly utxosByOwner = new Map<string, Set<string>>();
  readonly recsByOwner = new Map<string, Set<string>>();
  readonly escrowsByParty = new Map<string, Set<string>>();
  private readonly replayByHeight = new Map<number, Set<string>>();
  private replayLowest = Number.MAX_SAFE_INTEGER;

  get(key: string): unknown {
    return this.entries.get(key);
  }

  get size(): number {
    return this.entries.size;
  }

  stateRoot(): Uint8Array {
    return this.tree.root();
  }

  /** Encodes a set of changes and computes the root they would give, without applying them. */
  prepare(changes: Map<string, unknown>): PreparedCommit {
    const encoded: EncodedChanges = new Map();
    const leaves = new Map<string, Uint8Array | null>();
    for (const [key, value] of changes) {
      if (value === null) {
        if (!this.entries.has(key)) continue;
        encoded.set(key, null);
        leaves.set(key, null);
      } else {
        const bytes = encode(codecForKey(key), value);
        encoded.set(key, bytes);
        leaves.set(key, stateLeafHash(key, bytes));
      }
    }
    const delta = this.tree.preview(leaves);
    return { changes, encoded, delta, stateRoot: delta.root };
  }

  apply(prepared: PreparedCommit): void {
    for (const [key, value] of prepared.changes) {
      if (value === null && !this.entries.has(key)) continue;
      this.unindex(key);
      if (value === null) this.entries.delete(key);
      else this.entries.set(key, Object.freeze(value));
      if (value !== null) this.index(key, value);
    }
    this.tree.apply(prepared.delta);
  }

  /** Applies an encoded diff read back from a store (restart path). */
  applyEncoded(encoded: EncodedChanges): Uint8Array {
    const changes = new Map<string, unknown>();
    for (const [key, bytes] of encoded) {
      changes.set(key, bytes === null ? null : decodeRecord(key, bytes));
    }
    const prepared = this.prepare(changes);
    this.apply(prepared);
    return prepared.stateRoot;
  }

  /** Every entry, encoded, sorted by key: a full snapshot. */
  *snapshotEntries(): Generator<[string, Uint8Array]> {
    const keys = [...this.entries.keys()].sort();
    for (const key of keys) yield [key, encode(codecForKey(key), this.entries.get(key))];
  }

  /** Replay-protection keys whose transactions expired before `height` (TX-6). */
  expiredReplayKeys(height: number): string[] {
    const out: string[] = [];
    for (let h = this.replayLowest; h < height; h++) {
      const set = this.replayByHeight.get(h);
      if (set !== undefined) out.push(...set);
    }
    return out;
  }

  private index(key: string, value: unknown): void {
    const prefix = key.slice(0, key.indexOf(':'));
    const recordId = key.slice(prefix.length + 1);
    switch (prefix) {
      case TABLES.utxo.prefix:
        addToIndex(this.utxosByOwner, (value as RecordOf<'utxo'>).owner, recordId);
        break;
      case TABLES.rec.prefix:
        addToIndex(this.recsByOwner, (value as RecordOf<'rec'>).owner, recordId);
        break;
      case TABLES.escrow.prefix: {
        const e = value as RecordOf<'escrow'>;
        addToIndex(this.escrowsByParty, e.buyer, recordId);
        addToIndex(this.escrowsByParty, e.seller, recordId);
        break;
      }
      case TABLES.replay.prefix: {
        const h = (value as RecordOf<'replay'>).validUntilHeight;
        let set = this.replayByHeight.get(h);
        if (set === undefined) this.replayByHeight.set(h, (set = new Set()));
        set.add(key);
        if (h < this.replayLowest) this.replayLowest = h;
        break;
      }
      default:
        break;
    }
  }

  private unindex(key: string): void {
    const old = this.entries.get(key);
    if (old === undefined) return;
    const prefix = key.slice(0, key.indexOf(':'));
    const recordId = key.slice(prefix.length + 1);
    switch (prefix) {
      case TABLES.utxo.prefix:
        removeFromIndex(this.utxosByOwner, (old as RecordOf<'utxo'>).owner, recordId);
        break;
      case TABLES.rec.prefix:
        removeFromIndex(this.recsByOwner, (old as RecordOf<'rec'>).owner, recordId);
        break;
      case TABLES.escrow.prefix: {
        const e = old as RecordOf<'escrow'>;
        removeFromIndex(this.escrowsByParty, e.buyer, recordId);
        removeFromIndex(this.escrowsByParty, e.seller, recordId);
        break;
      }
      case TABLES.replay.prefix: {
        const h = (old as RecordOf<'replay'>).validUntilHeight;
        const set = this.replayByHeight.get(h);
        set?.delete(key);
        if (set !== undefined && set.size === 0) {
          this.replayByHeight.delete(h);
          if (h === this.replayLowest) this.advanceReplayLowest();
        }
        break;
      }
      default:
        break;
    }
  }

  private advanceReplayLowest(): void {
    let lowest = Number.MAX_SAFE_INTEGER;
    for (const h of this.replayByHeight.keys()) if (h < lowest) lowest = h;
    this.replayLowest = lowest;
  }
}

export function decodeRecord(key: string, bytes: Uint8Array): unknown {
  try {
    return decode(codecForKey(key), bytes);
  } catch (err) {
    throw new ChainError(
      'CHAIN_STORE_CORRUPT',
      `cannot decode state record ${key}: ${String(err)}`,
    );
  }
}
