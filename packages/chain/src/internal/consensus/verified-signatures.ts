// A bounded memory of consensus signatures this node already verified (CONS-15): the precommits
// of a block's last commit arrived earlier as votes and were checked then, so the block check
// need not run OpenSSL on them again. A hit requires the same key, message and signature bytes
// as a check that passed, so the answer is exactly the verifier's; failures are never kept.
import { equalBytes, toHex } from '../bytes.ts';
import type { VerifyFn } from '../crypto/signature-rule.ts';

interface Verified {
  readonly publicKey: Uint8Array;
  readonly message: Uint8Array;
}

/** Distinct signatures kept (oldest forgotten first): votes, proposals and evidence of recent heights. */
export const VERIFIED_SIGNATURES_KEPT = 2048;

/** `verify` with a memory of the signatures it accepted. */
export function withVerifiedSignatures(
  verify: VerifyFn,
  capacity = VERIFIED_SIGNATURES_KEPT,
): VerifyFn {
  const kept = new Map<string, Verified>();
  return (publicKey, message, signature) => {
    const id = toHex(signature);
    const seen = kept.get(id);
    if (
      seen !== undefined &&
      equalBytes(seen.publicKey, publicKey) &&
      equalBytes(seen.message, message)
    ) {
      return true;
    }
    if (!verify(publicKey, message, signature)) return false;
    kept.delete(id);
    kept.set(id, { publicKey: publicKey.slice(), message: message.slice() });
    if (kept.size > capacity) kept.delete(kept.keys().next().value as string);
    return true;
  };
}
