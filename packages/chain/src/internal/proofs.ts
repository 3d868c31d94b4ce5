// Checks a light client (a browser) can run with nothing but the chain id and the validator set:
// a transaction's inclusion under a block's tx root, and a block's commit certificate.
import { fromHexOrNull } from './bytes.ts';
import { commitPower } from './consensus/types.ts';
import type { CommitCertificate } from './consensus/types.ts';
import { verifyPortable } from './crypto/signature-rule.ts';
import type { VerifyFn } from './crypto/signature-rule.ts';
import { merkleLeafHash, verifyMerkleInclusion } from './merkle.ts';
import type { InclusionProof } from './merkle.ts';

/**
 * BLK-4: true when `txBytes` (the canonical transaction) sits at `proof.leafIndex` in the block
 * whose header carries `txRoot` and `txCount`. The count matters: a proof's tree size is not
 * bound by the root alone (RFC 9162), the header binds it.
 */
export function verifyTxInclusion(
  txBytes: Uint8Array,
  proof: InclusionProof,
  header: { readonly txRoot: string; readonly txCount: number },
): boolean {
  const root = fromHexOrNull(header.txRoot);
  if (root === null || root.length !== 32 || proof.treeSize !== header.txCount) return false;
  return verifyMerkleInclusion(merkleLeafHash(txBytes), proof, root);
}

/** BLK-3: true when validators holding more than 2/3 of `validators`' power signed the commit. */
export function verifyCommitCertificate(
  chainId: string,
  commit: CommitCertificate,
  validators: readonly { readonly address: string; readonly power: number }[],
  verify: VerifyFn = verifyPortable,
): boolean {
  const powers = new Map(validators.map((v) => [v.address, v.power]));
  const total = validators.reduce((s, v) => s + v.power, 0);
  const power = commitPower(chainId, commit, (a) => powers.get(a) ?? 0, verify);
  return typeof power === 'number' && power * 3 > total * 2;
}
