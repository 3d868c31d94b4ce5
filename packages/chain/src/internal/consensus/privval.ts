// The validator's signing guard (CONS-10): every signature of the current height is persisted
// before it leaves the node; nothing is ever signed at an earlier (height, round, step), and at a
// step already signed only the identical message is (re-)signed. A crash and restart can
// therefore never double-sign, and the kept signatures let consensus resume where it stopped.
import { equalBytes } from '../bytes.ts';
import {
  decode,
  encode,
  fixedBytes,
  list,
  optional,
  struct,
  u32,
  u8,
  uint,
  varBytes,
  hex32,
} from '../encoding.ts';
import type { Signer } from '../crypto/keys.ts';
import type { ChainStore } from '../store/store.ts';

export const STEP_PROPOSE = 1;
export const STEP_PREVOTE = 2;
export const STEP_PRECOMMIT = 3;

const signedCodec = struct({
  height: uint,
  round: u32,
  step: u8,
  /** The block hash signed for (null: nil vote). */
  blockHash: optional(hex32),
  signBytes: varBytes(1024),
  signature: fixedBytes(64),
});
export type Signed = {
  readonly height: number;
  readonly round: number;
  readonly step: number;
  readonly blockHash: string | null;
  readonly signBytes: Uint8Array;
  readonly signature: Uint8Array;
};

/** Everything signed at the latest height, in signing order. */
const signStateCodec = list(signedCodec, 10_000);

function compare(a: { height: number; round: number; step: number }, b: Signed): number {
  if (a.height !== b.height) return a.height - b.height;
  if (a.round !== b.round) return a.round - b.round;
  return a.step - b.step;
}

export class PrivValidator {
  private history: Signed[] = [];
  private chain: Promise<unknown> = Promise.resolve();

  constructor(
    readonly signer: Signer,
    private readonly store: ChainStore,
  ) {}

  async load(): Promise<void> {
    const bytes = await this.store.signState();
    this.history = bytes === null ? [] : [...decode(signStateCodec, bytes)];
  }

  /** What this validator signed at `height` (to resume consensus after a restart). */
  signedAt(height: number): readonly Signed[] {
    return this.history.filter((s) => s.height === height);
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
    blockHash: string | null,
  ): Promise<Uint8Array | null> {
    const run = async (): Promise<Uint8Array | null> => {
      const at = { height, round, step };
      const same = this.history.find((s) => compare(at, s) === 0);
      if (same !== undefined) return equalBytes(signBytes, same.signBytes) ? same.signature : null;
      const last = this.history[this.history.length - 1];
      if (last !== undefined && compare(at, last) < 0) return null;
      const signature = this.signer.sign(signBytes);
      const entry: Signed = { height, round, step, blockHash, signBytes, signature };
      const next =
        last !== undefined && last.height === height ? [...this.history, entry] : [entry];
      await this.store.putSignState(encode(signStateCodec, next));
      this.history = next;
      return signature;
    };
    const result = this.chain.then(run);
    this.chain = result.catch(() => undefined);
    return result;
  }
}
