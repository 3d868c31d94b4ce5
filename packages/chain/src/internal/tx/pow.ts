// Proof-of-work admission stamps for accounts without stake (POW-1..3): SHA-256 over the tx hash
// and a nonce must start with `bits` zero bits. The stamp is spam control at the mempool door,
// never block production; its required difficulty rises with the local mempool's size.
import { domainPrefix, sha256Parts } from '../crypto/hash.ts';
import type { Tx } from './tx.ts';
import { withPowNonce } from './tx.ts';

function nonceBytes(nonce: bigint): Uint8Array {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, nonce);
  return out;
}

function leadingZeroBits(hash: Uint8Array): number {
  let bits = 0;
  for (const byte of hash) {
    if (byte === 0) {
      bits += 8;
      continue;
    }
    return bits + Math.clz32(byte) - 24;
  }
  return bits;
}

/** The number of leading zero bits the stamp achieves. */
export function powStampBits(chainId: string, txHash: Uint8Array, nonce: bigint): number {
  return leadingZeroBits(sha256Parts(domainPrefix('pow', chainId), txHash, nonceBytes(nonce)));
}

/** Searches nonces from `start` until the stamp reaches `bits`. */
export function findPowNonce(
  chainId: string,
  txHash: Uint8Array,
  bits: number,
  start = 0n,
): bigint {
  const prefix = domainPrefix('pow', chainId);
  for (let nonce = start; ; nonce++) {
    if (leadingZeroBits(sha256Parts(prefix, txHash, nonceBytes(nonce))) >= bits) return nonce;
  }
}

/** Returns the transaction with a stamp of at least `bits` (unchanged when `bits` is 0). */
export function stampTx<T extends Tx>(tx: T, bits: number): T {
  if (bits <= 0) return tx;
  if (powStampBits(tx.chainId, tx.hashBytes, tx.powNonce) >= bits) return tx;
  return withPowNonce(tx, findPowNonce(tx.chainId, tx.hashBytes, bits));
}

/**
 * POW-2: difficulty for the next admission = base + ⌊log2(1 + pending / step)⌋, so it grows by
 * one bit each time the mempool doubles past `step` transactions.
 */
export function powDifficultyBits(baseBits: number, pendingTxs: number, stepTxs: number): number {
  return baseBits + Math.floor(Math.log2(1 + pendingTxs / Math.max(1, stepTxs)));
}
