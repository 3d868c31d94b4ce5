// The chain's single ed25519 acceptance rule (KEY-2..KEY-5): strict lengths, canonical S < L,
// canonical and not-small-order public keys, and the cofactorless equation encode([S]B − [k]A) = R.
// Both verifiers (OpenSSL on the node's hot path, noble in the browser) apply exactly this rule.
import { ed25519 } from '@noble/curves/ed25519.js';
import { sha512 } from '@noble/hashes/sha2.js';
import { equalBytes, toHex } from '../bytes.ts';

/** The order of the ed25519 prime subgroup. */
export const ED25519_L = (1n << 252n) + 27742317777372353535851937790883648493n;

export type VerifyFn = (
  publicKey: Uint8Array,
  message: Uint8Array,
  signature: Uint8Array,
) => boolean;

function leToBigint(bytes: Uint8Array): bigint {
  let v = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes[i] as number);
  return v;
}

/** KEY-3: the scalar half S of a signature must be fully reduced (S < L). */
export function hasCanonicalScalar(signature: Uint8Array): boolean {
  if (signature.length !== 64) return false;
  const top = signature[63] as number;
  if (top < 0x10) return true; // S < 2^252 < L
  if (top > 0x10) return false;
  return leToBigint(signature.subarray(32, 64)) < ED25519_L;
}

const keyVerdicts = new Map<string, boolean>();
const KEY_CACHE_LIMIT = 100_000;

/**
 * KEY-4: a public key must be the canonical encoding of a curve point (y < p, no "negative
 * zero" x) and must not have small order (the eight torsion points are refused).
 */
export function isAcceptablePublicKey(publicKey: Uint8Array): boolean {
  if (publicKey.length !== 32) return false;
  const hex = toHex(publicKey);
  const cached = keyVerdicts.get(hex);
  if (cached !== undefined) return cached;
  let verdict: boolean;
  try {
    const point = ed25519.Point.fromBytes(publicKey, false);
    verdict = !point.isSmallOrder() && equalBytes(point.toBytes(), publicKey);
  } catch {
    verdict = false;
  }
  if (keyVerdicts.size >= KEY_CACHE_LIMIT) keyVerdicts.clear();
  keyVerdicts.set(hex, verdict);
  return verdict;
}

/** The rule checks that come before the curve equation, shared by both verifiers. */
export function passesPrecheck(publicKey: Uint8Array, signature: Uint8Array): boolean {
  return (
    publicKey.length === 32 &&
    signature.length === 64 &&
    hasCanonicalScalar(signature) &&
    isAcceptablePublicKey(publicKey)
  );
}

/**
 * KEY-5, portable: cofactorless verification, exactly as OpenSSL checks it. noble's own
 * `verify` is cofactored and would accept signatures whose R carries a torsion component.
 */
export const verifyPortable: VerifyFn = (publicKey, message, signature) => {
  if (!passesPrecheck(publicKey, signature)) return false;
  try {
    const { Point } = ed25519;
    const A = Point.fromBytes(publicKey, false);
    const r = signature.subarray(0, 32);
    const s = leToBigint(signature.subarray(32, 64));
    const k =
      leToBigint(sha512.create().update(r).update(publicKey).update(message).digest()) % ED25519_L;
    const expectedR = Point.BASE.multiplyUnsafe(s).subtract(A.multiplyUnsafe(k));
    return equalBytes(expectedR.toBytes(), r);
  } catch {
    return false;
  }
};
