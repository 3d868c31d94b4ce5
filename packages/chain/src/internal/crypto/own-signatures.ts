// Signatures this process made itself. A node that does not vote (the engine's follower, whose
// validators run in another thread) need not run OpenSSL over a transaction the same process has
// just signed: when it submits it, and again when the block carrying it comes back. The memory
// answers true only for the exact key, message and signature bytes a signer wrapped here produced;
// everything else goes to the verifier. Validators never use it: they check every signature.
import { equalBytes, toHex } from '../bytes.ts';
import type { Signer } from './keys.ts';
import type { VerifyFn } from './signature-rule.ts';

interface Signed {
  readonly publicKey: Uint8Array;
  readonly message: Uint8Array;
}

/** Signatures remembered (oldest forgotten first): a few seconds of the engine's settlements. */
export const OWN_SIGNATURES_KEPT = 32_768;

export class OwnSignatures {
  private readonly kept = new Map<string, Signed>();

  constructor(private readonly capacity = OWN_SIGNATURES_KEPT) {}

  /** `signer`, remembering every signature it makes. */
  wrap(signer: Signer): Signer {
    return {
      address: signer.address,
      publicKey: signer.publicKey,
      sign: (message) => {
        const signature = signer.sign(message);
        const id = toHex(signature);
        this.kept.delete(id);
        this.kept.set(id, { publicKey: signer.publicKey, message: message.slice() });
        if (this.kept.size > this.capacity)
          this.kept.delete(this.kept.keys().next().value as string);
        return signature;
      },
    };
  }

  /** `verify`, answering true without it for a signature a wrapped signer made over `message`. */
  verifier(verify: VerifyFn): VerifyFn {
    return (publicKey, message, signature) => {
      const own = this.kept.get(toHex(signature));
      if (
        own !== undefined &&
        equalBytes(own.publicKey, publicKey) &&
        equalBytes(own.message, message)
      )
        return true;
      return verify(publicKey, message, signature);
    };
  }

  get size(): number {
    return this.kept.size;
  }
}
