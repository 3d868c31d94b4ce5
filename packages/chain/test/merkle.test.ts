// BLK-4: RFC 6962 transaction Merkle tree and inclusion proofs, checked against the recursive
// definition; the browser entry verifies proofs with pure-JS hashing.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { concatBytes, toHex } from '../src/internal/bytes.ts';
import { sha256 } from '../src/internal/crypto/hash.ts';
import {
  merkleInclusionProof,
  merkleLeafHash,
  merkleRoot,
  verifyMerkleInclusion,
  EMPTY_MERKLE_ROOT,
} from '../src/internal/merkle.ts';
import { verifyTxInclusion } from '../src/browser.ts';

/** RFC 6962 §2.1 MTH, recursively. */
function mth(leaves: Uint8Array[]): Uint8Array {
  if (leaves.length === 0) return sha256(new Uint8Array(0));
  if (leaves.length === 1) return sha256(concatBytes(Uint8Array.of(0), leaves[0]!));
  let k = 1;
  while (k * 2 < leaves.length) k *= 2;
  return sha256(concatBytes(Uint8Array.of(1), mth(leaves.slice(0, k)), mth(leaves.slice(k))));
}

const data = (n: number): Uint8Array[] =>
  Array.from({ length: n }, (_, i) => Uint8Array.of(i, i >> 8, 7));

describe('transaction Merkle tree (BLK-4)', () => {
  it('matches the RFC 6962 definition for sizes 0..40', () => {
    expect(toHex(merkleRoot([]))).toBe(toHex(EMPTY_MERKLE_ROOT));
    for (let n = 0; n <= 40; n++) {
      const d = data(n);
      expect(toHex(merkleRoot(d.map(merkleLeafHash)))).toBe(toHex(mth(d)));
    }
  });

  it('every leaf of every size proves, and nothing else does', () => {
    for (let n = 1; n <= 33; n++) {
      const d = data(n);
      const leaves = d.map(merkleLeafHash);
      const root = merkleRoot(leaves);
      for (let i = 0; i < n; i++) {
        const proof = merkleInclusionProof(leaves, i);
        expect(verifyMerkleInclusion(leaves[i]!, proof, root)).toBe(true);
        expect(verifyTxInclusion(d[i]!, proof, { txRoot: toHex(root), txCount: n })).toBe(true);
        expect(verifyTxInclusion(d[i]!, proof, { txRoot: toHex(root), txCount: n + 1 })).toBe(
          false,
        );
        expect(verifyMerkleInclusion(leaves[(i + 1) % n]!, proof, root) && n > 1).toBe(false);
        expect(
          verifyMerkleInclusion(leaves[i]!, { ...proof, leafIndex: (i + 1) % n }, root) && n > 1,
        ).toBe(false);
        expect(verifyMerkleInclusion(leaves[i]!, { ...proof, treeSize: n + 2 + n }, root)).toBe(
          false,
        );
      }
    }
  });

  it('a tampered path never verifies', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 64 }), fc.nat(), fc.nat(), (n, i, j) => {
        const leaves = data(n).map(merkleLeafHash);
        const root = merkleRoot(leaves);
        const proof = merkleInclusionProof(leaves, i % n);
        if (proof.path.length === 0) return;
        const path = [...proof.path];
        const k = j % path.length;
        path[k] = (path[k]![0] === 'f' ? '0' : 'f') + path[k]!.slice(1);
        expect(verifyMerkleInclusion(leaves[i % n]!, { ...proof, path }, root)).toBe(false);
      }),
    );
  });
});
