// The validator's signing guard (CONS-10): every signature of the current height is persisted
// before it leaves the node; nothing is ever signed at an earlier (height, round, step), and at a
// step already signed only the identical message is (re-)signed. A crash and restart can
// therefore never double-sign, and the kept signatures — with the body of the block its latest
// precommit locked on (CONS-14) — let consensus resume where it stopped.
import { equalBytes } from '../bytes.ts';
import {
  DecodeError,
  Reader,
  Writer,
  decode,
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

/** Entries kept per height (nil votes and proposals of earlier rounds are pruned first). */
const MAX_ENTRIES = 10_000;
/** Everything signed at the latest height, in signing order (the first format, still read). */
const entriesCodec = list(signedCodec, MAX_ENTRIES);
/**
 * The current format: a marker no entry count can equal, a version, the entries, and the encoded
 * block of the latest precommit for a block at this height (CONS-14), so a validator restarted
 * while locked can still re-propose and decide the block it is locked on.
 */
const FORMAT_MARKER = 0xffffffff;
const FORMAT_VERSION = 2;
const lockCodec = optional(struct({ blockHash: hex32, block: varBytes(1 << 26) }));

export interface LockedBlock {
  readonly blockHash: string;
  /** The block as encodeBlock wrote it. */
  readonly block: Uint8Array;
}

interface SignState {
  readonly entries: readonly Signed[];
  readonly lock: LockedBlock | null;
}

export function encodeSignState(state: SignState): Uint8Array {
  const w = new Writer(256 + 200 * state.entries.length + (state.lock?.block.length ?? 0));
  w.u32(FORMAT_MARKER);
  w.u8(FORMAT_VERSION);
  entriesCodec.write(w, state.entries);
  lockCodec.write(w, state.lock);
  return w.finish();
}

export function decodeSignState(bytes: Uint8Array): SignState {
  const r = new Reader(bytes);
  if (bytes.length < 4 || r.u32() !== FORMAT_MARKER) {
    return { entries: decode(entriesCodec, bytes), lock: null };
  }
  const version = r.u8();
  if (version !== FORMAT_VERSION) throw new DecodeError(`unknown sign state version ${version}`);
  const entries = entriesCodec.read(r);
  const lock = lockCodec.read(r);
  r.end();
  return { entries, lock };
}

function compare(a: { height: number; round: number; step: number }, b: Signed): number {
  if (a.height !== b.height) return a.height - b.height;
  if (a.round !== b.round) return a.round - b.round;
  return a.step - b.step;
}

/**
 * What a restart needs of a height's entries: the last one (the guard compares against it) and
 * every vote for a block (own prevotes rebuild the polka behind a lock, own precommits a decision;
 * CONS-14). Nil votes and proposals of earlier rounds serve neither and are dropped, which keeps a
 * height that spins through many nil rounds from outgrowing the record.
 */
function prune(entries: readonly Signed[], next: Signed): Signed[] {
  const kept = entries.filter(
    (s) => s.round === next.round || (s.step !== STEP_PROPOSE && s.blockHash !== null),
  );
  kept.push(next);
  return kept.length > MAX_ENTRIES ? kept.slice(kept.length - MAX_ENTRIES) : kept;
}

export class PrivValidator {
  private history: Signed[] = [];
  private lock: LockedBlock | null = null;
  private chain: Promise<unknown> = Promise.resolve();
  /** Signatures asked for and not yet persisted and returned (a stuck store shows here). */
  pending = 0;

  constructor(
    readonly signer: Signer,
    private readonly store: ChainStore,
  ) {}

  async load(): Promise<void> {
    const bytes = await this.store.signState();
    const state = bytes === null ? { entries: [], lock: null } : decodeSignState(bytes);
    this.history = [...state.entries];
    this.lock = state.lock;
  }

  /** What this validator signed at `height` (to resume consensus after a restart). */
  signedAt(height: number): readonly Signed[] {
    return this.history.filter((s) => s.height === height);
  }

  /** The block of the latest precommit for a block at `height`, if it was kept (CONS-14). */
  lockedAt(height: number): LockedBlock | null {
    const last = this.history[this.history.length - 1];
    return last !== undefined && last.height === height ? this.lock : null;
  }

  /**
   * Signs `signBytes` for (height, round, step) if that does not conflict with anything signed
   * before; resolves to null when it would. Calls are serialised. A precommit for a block passes
   * the encoded block (`lockBlock`), persisted with the signature before the signature is
   * returned (CONS-14).
   */
  sign(
    height: number,
    round: number,
    step: number,
    signBytes: Uint8Array,
    blockHash: string | null,
    lockBlock?: () => Uint8Array,
  ): Promise<Uint8Array | null> {
    const run = async (): Promise<Uint8Array | null> => {
      const at = { height, round, step };
      const same = this.history.find((s) => compare(at, s) === 0);
      if (same !== undefined) return equalBytes(signBytes, same.signBytes) ? same.signature : null;
      const last = this.history[this.history.length - 1];
      if (last !== undefined && compare(at, last) < 0) return null;
      const signature = this.signer.sign(signBytes);
      const entry: Signed = { height, round, step, blockHash, signBytes, signature };
      const sameHeight = last !== undefined && last.height === height;
      const next = sameHeight ? prune(this.history, entry) : [entry];
      const lock =
        step === STEP_PRECOMMIT && blockHash !== null && lockBlock !== undefined
          ? { blockHash, block: lockBlock() }
          : sameHeight
            ? this.lock
            : null;
      await this.store.putSignState(encodeSignState({ entries: next, lock }));
      this.history = next;
      this.lock = lock;
      return signature;
    };
    this.pending++;
    const result = this.chain.then(run).finally(() => this.pending--);
    this.chain = result.catch(() => undefined);
    return result;
  }
}
