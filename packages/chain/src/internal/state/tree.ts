// The state root (STATE-2): every key-value pair hashed into one of 2^16 buckets, each bucket
// hashed over its leaves sorted by key, the buckets joined by a binary Merkle tree of depth 16.
// A block touches a few thousand keys, so updating only dirty buckets and their paths keeps the
// root cheap, and the result equals a from-scratch computation (tested differentially).
import { equalBytes, utf8 } from '../bytes.ts';
import { sha256Parts } from '../crypto/hash.ts';

export const TREE_DEPTH = 16;
const LEAVES = 1 << TREE_DEPTH;
const TAG_LEAF = Uint8Array.of(0);
const TAG_BUCKET = Uint8Array.of(1);
const TAG_NODE = Uint8Array.of(2);

/** EMPTY[l] is the hash of an empty subtree whose leaves are l levels below it. */
const EMPTY: Uint8Array[] = [new Uint8Array(32)];
for (let l = 1; l <= TREE_DEPTH; l++) EMPTY.push(sha256Parts(TAG_NODE, EMPTY[l - 1]!, EMPTY[l - 1]!));

export function stateLeafHash(key: string, value: Uint8Array): Uint8Array {
  const k = utf8(key);
  const len = Uint8Array.of(k.length >> 8, k.length & 0xff);
  return sha256Parts(TAG_LEAF, len, k, value);
}

/** FNV-1a over the key's UTF-16 code units (keys are ASCII), low 16 bits. */
export function bucketOf(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) & (LEAVES - 1);
}

function bucketHash(content: ReadonlyMap<string, Uint8Array>): Uint8Array {
  if (content.size === 0) return EMPTY[0]!;
  const keys = [...content.keys()].sort();
  const parts: Uint8Array[] = [TAG_BUCKET];
  for (const k of keys) parts.push(content.get(k)!);
  return sha256Parts(...parts);
}

export interface TreeDelta {
  readonly root: Uint8Array;
  readonly buckets: ReadonlyMap<number, ReadonlyMap<string, Uint8Array>>;
  readonly nodes: ReadonlyMap<number, Uint8Array>;
}

export class StateTree {
  private readonly buckets = new Map<number, Map<string, Uint8Array>>();
  /** Heap-indexed node hashes (root = 1, leaves at 2^16 + bucket); empty subtrees omitted. */
  private readonly nodes = new Map<number, Uint8Array>();

  root(): Uint8Array {
    return this.nodes.get(1) ?? EMPTY[TREE_DEPTH]!;
  }

  /** Root after `changes` (key → leaf hash, or null to delete), without changing this tree. */
  preview(changes: ReadonlyMap<string, Uint8Array | null>): TreeDelta {
    const touched = new Map<number, Map<string, Uint8Array>>();
    for (const [key, leaf] of changes) {
      const b = bucketOf(key);
      let content = touched.get(b);
      if (content === undefined) {
        content = new Map(this.buckets.get(b));
        touched.set(b, content);
      }
      if (leaf === null) content.delete(key);
      else content.set(key, leaf);
    }
    const nodes = new Map<number, Uint8Array>();
    let level = new Set<number>();
    for (const [b, content] of touched) {
      nodes.set(LEAVES + b, bucketHash(content));
      level.add((LEAVES + b) >> 1);
    }
    for (let l = 1; l <= TREE_DEPTH; l++) {
      const parents = new Set<number>();
      for (const idx of level) {
        const left = this.nodeAt(2 * idx, l - 1, nodes);
        const right = this.nodeAt(2 * idx + 1, l - 1, nodes);
        const empty = EMPTY[l - 1]!;
        const hash =
          equalBytes(left, empty) && equalBytes(right, empty)
            ? EMPTY[l]!
            : sha256Parts(TAG_NODE, left, right);
        nodes.set(idx, hash);
        if (idx > 1) parents.add(idx >> 1);
      }
      level = parents;
    }
    return { root: nodes.get(1) ?? this.root(), buckets: touched, nodes };
  }

  private nodeAt(idx: number, level: number, overrides: ReadonlyMap<number, Uint8Array>): Uint8Array {
    return overrides.get(idx) ?? this.nodes.get(idx) ?? EMPTY[level]!;
  }

  apply(delta: TreeDelta): void {
    for (const [b, content] of delta.buckets) {
      if (content.size === 0) this.buckets.delete(b);
      else this.buckets.set(b, new Map(content));
    }
    for (const [idx, hash] of delta.nodes) {
      const level = TREE_DEPTH - Math.floor(Math.log2(idx));
      if (equalBytes(hash, EMPTY[level]!)) this.nodes.delete(idx);
      else this.nodes.set(idx, hash);
    }
  }
}

/** Reference implementation for the differential test: the root of a whole key-value set. */
export function stateRootFromScratch(leaves: ReadonlyMap<string, Uint8Array>): Uint8Array {
  const buckets = new Map<number, Map<string, Uint8Array>>();
  for (const [key, leaf] of leaves) {
    const b = bucketOf(key);
    let content = buckets.get(b);
    if (content === undefined) buckets.set(b, (content = new Map()));
    content.set(key, leaf);
  }
  let level: Uint8Array[] = [];
  for (let b = 0; b < LEAVES; b++) {
    const content = buckets.get(b);
    level.push(content === undefined ? EMPTY[0]! : bucketHash(content));
  }
  for (let l = 1; l <= TREE_DEPTH; l++) {
    const next: Uint8Array[] = [];
    for (let i = 0; i < level.length; i += 2) next.push(sha256Parts(TAG_NODE, level[i]!, level[i + 1]!));
    level = next;
  }
  return level[0]!;
}
