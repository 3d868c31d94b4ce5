// The validator's signing guard (CONS-10): it remembers the last (height, round, step) it signed,
// persisted before the signature leaves the node, and refuses to sign anything earlier or
// anything different at the same step. A crash and restart can therefore never double-sign.
import { equalBytes } from '../bytes.ts';
import { decode, encode, fixedBytes, struct, u32, u8, uint, varBytes } from '../encoding.ts';
import type { Signer } from '../crypto/keys.ts';
import type { ChainStore } from '../store/store.ts';

export const STEP_PROPOSE = 1;
export const STEP_PREVOTE = 2;
export const STEP_PRECOMMIT = 3;

const signStateCodec = struct({
  height: uint,
  round: u32,
  step: u8,
  signBytes: varBytes(1024),
  signature: fixedBytes(64),
});

interface SignState {
  readonly height: number;
  readonly round: number;
  readonly step: number;
  readonly signBytes: Uint8Array;
  readonly signature: Uint8Array;
}

function compare(a: { height: number; round: number; step: number }, b: SignState): number {
  if (a.height !== b.height) return a.height - b.height;
  if (a.round !== b.round) return a.round - b.round;
  return a.step - b.step;
}

export class PrivValidator {
  private last: SignState | null = null;
  private chain: Promise<unknown> = Promise.resolve();

  constructor(
    readonly signer: Signer,
    private readonly store: ChainStore,
  ) {}

  async load(): Promise<void> {
    const bytes = await this.store.signState();
    this.last = bytes === null ? null : decode(signStateCodec, bytes);
  }

  /**
   * Signs `signBytes` for (height, round, step) if that does not conflict with anything signed
   * before; resolves to null when it would. Calls are serialised.
   */
  sign(
    height: number,
    round: number,
    step: number,
    signBytes: Uint8Array,
  ): Promise<Uint8Array | null> {
    const run = async (): Promise<Uint8Array | null> => {
      const at = { height, round, step };
      if (this.last !== null) {
        const c = compare(at, this.last);
        if (c < 0) return null;
        if (c === 0) return equalBytes(signBytes, this.last.signBytes) ? this.last.signature : null;
      }
      const signature = this.signer.sign(signBytes);
      const next: SignState = { height, round, step, signBytes, signature };
      await this.store.putSignState(encode(signStateCodec, next));
      this.last = next;
      return signature;
    };
    const result = this.chain.then(run);
    this.chain = result.catch(() => undefined);
    return result;
  }
}
