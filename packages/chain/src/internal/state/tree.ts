// The state root (STATE-2): every key-value pair hashed into one of 2^16 buckets by its key, each
// bucket hashed over its leaves sorted by key, the buckets joined by a 16-ary Merkle tree of
// depth 4. A block touches a few thousand keys, so only dirty buckets and their paths are
// rehashed; a 16-ary tree needs about a tenth of a binary tree's internal hashes for that. The
// result equals a from-scratch computation (tested differentially).
import { utf8 } from '../bytes.ts';
import { sha256 } from '../crypto/hash.ts';

export const BUCKET_BITS = 16;
export const FANOUT_BITS = 4;
export const TREE_LEVELS = BUCKET_BITS / FANOUT_BITS;
const BUCKETS = 1 << BUCKET_BITS;
const FANOUT = 1 << FANOUT_BITS;

const scratch = new Uint8Array(1 + 32 * (1 << FANOUT_BITS));
scratch[0] = 2;

/** H(0x02 ‖ child₀ ‖ … ‖ child₁₅), hashed from one buffer (one update instead of seventeen). */
function nodeHash(children: readonly Uint8Array[]): Uint8Array {
  for (let i = 0; i < children.length; i++) scratch.set(children[i]!, 1 + 32 * i);
  return sha256(scratch);
}

/** EMPTY[l]: hash of an empty subtree at level l (0 = bucket). */
const EMPTY: Uint8Array[] = [new Uint8Array(32)];
for (let l = 1; l <= TREE_LEVELS; l++)
  EMPTY.push(nodeHash(Array.from({ length: FANOUT }, () => EMPTY[l - 1]!)));

/** H(0x00 ‖ u16 key length ‖ key ‖ value), hashed from one buffer. */
export function stateLeafHash(key: string, value: Uint8Array): Uint8Array {
  // Keys are ASCII (prefix and identifiers): their UTF-8 is their char codes, copied in place.
  let ascii = true;
  for (let i = 0; i < key.length; i++) {
    if (key.charCodeAt(i) >= 0x80) {
      ascii = false;
      break;
    }
  }
  const k = ascii ? null : utf8(key);
  const kLen = k === null ? key.length : k.length;
  const buf = new Uint8Array(3 + kLen + value.length);
  buf[0] = 0;
  buf[1] = kLen >> 8;
  buf[2] = kLen & 0xff;
  if (k === null) for (let i = 0; i < kLen; i++) buf[3 + i] = key.charCodeAt(i);
  else buf.set(k, 3);
  buf.set(value, 3 + kLen);
  return sha256(buf);
}

/** FNV-1a over the key's UTF-16 code units (keys are ASCII), low 16 bits. */
export function bucketOf(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) & (BUCKETS - 1);
}

/** H(0x01 ‖ leaf hashes in key order), hashed from one buffer. */
function bucketHash(content: ReadonlyMap<string, Uint8Array>): Uint8Array {
  if (content.size === 0) return EMPTY[0]!;
  const keys = content.size === 1 ? [...content.keys()] : [...content.keys()].sort();
  const buf = new Uint8Array(1 + 32 * keys.length);
  buf[0] = 1;
  keys.forEach((k, i) => buf.set(content.get(k)!, 1 + 32 * i));
  return sha256(buf);
}

/** Node id: level in the high bits, index within the level in the low 16. */
function nodeId(level: number, index: number): number {
  return level * BUCKETS + index;
}

export interface TreeDelta {
  readonly root: Uint8Array;
  readonly buckets: ReadonlyMap<number, ReadonlyMap<string, Uint8Array>>;
  /** New hashes by nodeId (level 0 = bucket hashes, level 4 = root). */
  readonly nodes: ReadonlyMap<number, Uint8Array>;
}

/** Hashes of one level, node by node in one buffer, starting as that level's empty hash. */
function levelHashes(level: number): Uint8Array {
  const count = BUCKETS >> (FANOUT_BITS * level);
  const out = new Uint8Array(32 * count);
  if (level === 0) return out; // an empty bucket hashes to 32 zero bytes
  const empty = EMPTY[level]!;
  for (let i = 0; i < count; i++) out.set(empty, 32 * i);
  return out;
}

export class StateTree {
  /** Bucket contents by bucket index (arrays, not maps: indexed on every change). */
  private readonly buckets: (Map<string, Uint8Array> | undefined)[] = new Array<
    Map<string, Uint8Array> | undefined
  >(BUCKETS).fill(undefined);
  /**
   * Node hashes per level (0 = buckets, TREE_LEVELS = root), contiguous: a parent's sixteen
   * children are one 512-byte run, copied into its preimage at once.
   */
  private readonly levels: Uint8Array[] = Array.from({ length: TREE_LEVELS + 1 }, (_, l) =>
    levelHashes(l),
  );

  root(): Uint8Array {
    return this.levels[TREE_LEVELS]!.slice(0, 32);
  }

  /** Root after `changes` (key → leaf hash, or null to delete), without changing this tree. */
  preview(changes: ReadonlyMap<string, Uint8Array | null>): TreeDelta {
    const touched = new Map<number, Map<string, Uint8Array>>();
    for (const [key, leaf] of changes) {
      const b = bucketOf(key);
      let content = touched.get(b);
      if (content === undefined) {
        const old = this.buckets[b];
        content = old === undefined ? new Map<string, Uint8Array>() : new Map(old);
        touched.set(b, content);
      }
      if (leaf === null) content.delete(key);
      else content.set(key, leaf);
    }
    const nodes = new Map<number, Uint8Array>();
    // New hashes of the level below, by index; each parent copies its children's run from the
    // stored level, then overwrites the children that changed.
    let changed = new Map<number, Uint8Array>();
    for (const [b, content] of touched) {
      const h = bucketHash(content);
      changed.set(b, h);
      nodes.set(nodeId(0, b), h);
    }
    for (let l = 1; l <= TREE_LEVELS; l++) {
      const below = this.levels[l - 1]!;
      const parents = new Map<number, number[]>();
      for (const idx of changed.keys()) {
        const parent = idx >> FANOUT_BITS;
        const list = parents.get(parent);
        if (list === undefined) parents.set(parent, [idx]);
        else list.push(idx);
      }
      const next = new Map<number, Uint8Array>();
      for (const [parent, children] of parents) {
        const first = parent * FANOUT;
        scratch.set(below.subarray(32 * first, 32 * (first + FANOUT)), 1);
        for (const idx of children) scratch.set(changed.get(idx)!, 1 + 32 * (idx - first));
        const h = sha256(scratch);
        next.set(parent, h);
        nodes.set(nodeId(l, parent), h);
      }
      changed = next;
    }
    return { root: changed.get(0) ?? this.root(), buckets: touched, nodes };
  }

  apply(delta: TreeDelta): void {
    for (const [b, content] of delta.buckets) {
      this.buckets[b] = content.size === 0 ? undefined : (content as Map<string, Uint8Array>);
    }
    for (const [id, hash] of delta.nodes) {
      const level = Math.floor(id / BUCKETS);
      this.levels[level]!.set(hash, 32 * (id - level * BUCKETS));
    }
  }
}

/** Reference implementation for the differential test: the root of a whole key-value set. */
export function stateRootFromScratch(leaves: ReadonlyMap<string, Uint8Array>): Uint8Array {
  const buckets = new Map<number, Map<string, Uint8Array>>();
  for (const [key, leaf] of leaves) {
    const b = bucketOf(key);
    let content = buckets.get(b);
    if (content === undefined) buckets.set(b, (content = new Map<string, Uint8Array>()));
    content.set(key, leaf);
  }
  let level: Uint8Array[] = [];
  for (let b = 0; b < BUCKETS; b++) {
    const content = buckets.get(b);
    level.push(content === undefined ? EMPTY[0]! : bucketHash(content));
  }
  for (let l = 1; l <= TREE_LEVELS; l++) {
    const next: Uint8Array[] = [];
    for (let i = 0; i < level.length; i += FANOUT) next.push(nodeHash(level.slice(i, i + FANOUT)));
    level = next;
  }
  return level[0]!;
}
