// Transaction Merkle tree in the RFC 6962 / RFC 9162 shape (leaf = H(0x00‖tx), node =
// H(0x01‖l‖r), odd nodes promoted), so inclusion proofs follow a published, audited algorithm
// and can be checked in a browser with nothing but SHA-256 (BLK-4).
import { equalBytes, fromHexOrNull, toHex } from './bytes.ts';
import { sha256, sha256Parts } from './crypto/hash.ts';

const LEAF = Uint8Array.of(0);
const NODE = Uint8Array.of(1);
export const EMPTY_MERKLE_ROOT = sha256(new Uint8Array(0));

export function merkleLeafHash(data: Uint8Array): Uint8Array {
  return sha256Parts(LEAF, data);
}

function nodeHash(left: Uint8Array, right: Uint8Array): Uint8Array {
  return sha256Parts(NODE, left, right);
}

export function merkleRoot(leafHashes: readonly Uint8Array[]): Uint8Array {
  if (leafHashes.length === 0) return EMPTY_MERKLE_ROOT;
  let level = leafHashes.slice();
  while (level.length > 1) {
    const next: Uint8Array[] = [];
    for (let i = 0; i + 1 < level.length; i += 2) next.push(nodeHash(level[i]!, level[i + 1]!));
    if (level.length % 2 === 1) next.push(level[level.length - 1]!);
    level = next;
  }
  return level[0]!;
}

export interface InclusionProof {
  readonly leafIndex: number;
  readonly treeSize: number;
  /** Sibling hashes from the leaf upwards, hex. */
  readonly path: readonly string[];
}

export function merkleInclusionProof(
  leafHashes: readonly Uint8Array[],
  leafIndex: number,
): InclusionProof {
  if (!Number.isInteger(leafIndex) || leafIndex < 0 || leafIndex >= leafHashes.length) {
    throw new RangeError('leaf index out of range');
  }
  const path: string[] = [];
  let level = leafHashes.slice();
  let idx = leafIndex;
  while (level.length > 1) {
    const sibling = idx % 2 === 1 ? idx - 1 : idx + 1;
    if (sibling < level.length) path.push(toHex(level[sibling]!));
    const next: Uint8Array[] = [];
    for (let i = 0; i + 1 < level.length; i += 2) next.push(nodeHash(level[i]!, level[i + 1]!));
    if (level.length % 2 === 1) next.push(level[level.length - 1]!);
    level = next;
    idx = Math.floor(idx / 2);
  }
  return { leafIndex, treeSize: leafHashes.length, path };
}

/** RFC 9162 §2.1.3.2 inclusion verification. */
export function verifyMerkleInclusion(
  leafHash: Uint8Array,
  proof: InclusionProof,
  root: Uint8Array,
): boolean {
  const { leafIndex, treeSize } = proof;
  if (!Number.isSafeInteger(leafIndex) || !Number.isSafeInteger(treeSize)) return false;
  if (leafIndex < 0 || leafIndex >= treeSize) return false;
  let fn = leafIndex;
  let sn = treeSize - 1;
  let r = leafHash;
  for (const hex of proof.path) {
    const p = fromHexOrNull(hex);
    if (p === null || p.length !== 32) return false;
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && equalBytes(r, root);
}
