// Pending transactions, applied in arrival order to a speculative overlay of the committed state,
// so a transaction may spend the change of one still pending (MEM-1) and a conflict is refused at
// the door. After each commit the survivors are re-applied and those no longer valid dropped.
import { reject } from '../../errors.ts';
import type { Rejection } from '../../errors.ts';
import { EMERGENCY_KINDS } from '../tx/kinds.ts';
import type { TxKind } from '../tx/kinds.ts';
import type { Outpoint } from '../tx/fields.ts';
import { powDifficultyBits } from '../tx/pow.ts';
import type { Tx } from '../tx/tx.ts';
import { applyTx, paramsOf } from '../state/execute.ts';
import type { TxOutcome } from '../state/execute.ts';
import { getRecord, Overlay } from '../state/view.ts';
import { outpointKey } from '../tx/fields.ts';
import type { CommittedState, StateReader } from '../state/view.ts';

/** Kinds whose effects are confined to the coins and records they name (see afterCommit). */
const NEUTRAL_KINDS: ReadonlySet<TxKind> = new Set<TxKind>([
  'METER_MINT',
  'CONSUMPTION_BURN',
  'TRANSFER',
  'TRADE_SETTLE',
  'DELIVERY_SETTLE',
  'ESCROW_REFUND',
  'THB_ISSUE',
  'THB_REDEEM',
  'REC_ISSUE',
  'REC_TRANSFER',
  'REC_RETIRE',
  'REC_REVOKE',
]);

/**
 * Records every transaction may read (parameters, grid, accounts and roles, validators,
 * governance). A block that changed one — by a transaction, evidence or a governance action
 * taking effect at its end — forces a full recheck.
 */
const SHARED_PREFIXES = ['params:', 'grid:', 'a:', 'v:', 'auth:', 'vs:', 'gov:', 'p:'];

function touchesSharedRecords(keys: Iterable<string>): boolean {
  for (const key of keys) {
    for (const prefix of SHARED_PREFIXES) if (key.startsWith(prefix)) return true;
  }
  return false;
}

export interface MempoolEntry {
  readonly tx: Tx;
  readonly outputs: readonly Outpoint[];
  readonly receivedAtMs: number;
}

export interface DroppedTx {
  readonly tx: Tx;
  readonly rejection: Rejection;
}

export class Mempool {
  private entries = new Map<string, MempoolEntry>();
  private overlay: Overlay;
  private bytes = 0;
  /** Coins created by pending transactions, by owner (for pending-coin queries). */
  private createdBy = new Map<string, Set<string>>();
  private commits = 0;

  constructor(
    private readonly state: CommittedState,
    private readonly chainId: string,
    private readonly maxTxs: number,
    private readonly head: () => { height: number; timeMs: number },
  ) {
    this.overlay = new Overlay(state);
  }

  get size(): number {
    return this.entries.size;
  }

  get totalBytes(): number {
    return this.bytes;
  }

  has(hash: string): boolean {
    return this.entries.has(hash);
  }

  get(hash: string): MempoolEntry | undefined {
    return this.entries.get(hash);
  }

  /** The committed state with every pending transaction applied. */
  pendingView(): StateReader {
    return this.overlay;
  }

  /** POW-2: stamp bits demanded of an unstaked signer right now. */
  difficultyBits(): number {
    const params = paramsOf(this.state);
    return powDifficultyBits(params.powBaseBits, this.entries.size, params.powLoadStepTxs);
  }

  private env(nowMs: number, powBits: number): Parameters<typeof applyTx>[1] {
    const head = this.head();
    return {
      chainId: this.chainId,
      height: head.height + 1,
      timeMs: Math.max(nowMs, head.timeMs + 1),
      params: paramsOf(this.state),
      powBits,
    };
  }

  /** Admits a transaction whose signature is already verified. */
  add(tx: Tx, nowMs: number): TxOutcome {
    if (this.entries.has(tx.hash))
      return reject('CHAIN_TX_DUPLICATE', `transaction ${tx.hash} is already pending`);
    if (this.entries.size >= this.maxTxs)
      return reject('CHAIN_MEMPOOL_FULL', `mempool holds ${this.maxTxs} transactions`);
    const outcome = applyTx(this.overlay, this.env(nowMs, this.difficultyBits()), tx);
    if (outcome.ok) {
      this.entries.set(tx.hash, { tx, outputs: outcome.outputs, receivedAtMs: nowMs });
      this.bytes += tx.bytes.length;
      this.noteOutputs(outcome.outputs);
    }
    return outcome;
  }

  private noteOutputs(outputs: readonly Outpoint[]): void {
    for (const op of outputs) {
      const id = outpointKey(op);
      const coin = getRecord(this.overlay, 'utxo', id);
      if (coin === undefined) continue;
      let set = this.createdBy.get(coin.owner);
      if (set === undefined) this.createdBy.set(coin.owner, (set = new Set()));
      set.add(id);
    }
  }

  /** Outpoint ids of coins pending transactions create for `owner` (possibly spent again). */
  pendingCoinIds(owner: string): readonly string[] {
    return [...(this.createdBy.get(owner) ?? [])];
  }

  /** Candidates for a block: grid-emergency kinds first (BLK-6), then arrival order. */
  reap(maxBytes: number): Tx[] {
    const urgent: Tx[] = [];
    const rest: Tx[] = [];
    let bytes = 0;
    for (const { tx } of this.entries.values()) {
      if (EMERGENCY_KINDS.has(tx.kind)) urgent.push(tx);
    }
    for (const tx of urgent) bytes += tx.bytes.length;
    for (const { tx } of this.entries.values()) {
      if (EMERGENCY_KINDS.has(tx.kind)) continue;
      if (bytes + tx.bytes.length > maxBytes) break;
      bytes += tx.bytes.length;
      rest.push(tx);
    }
    return [...urgent, ...rest];
  }

  /** Removes transactions without re-checking the rest (a proposer dropped them). */
  remove(hashes: Iterable<string>): void {
    for (const h of hashes) {
      const e = this.entries.get(h);
      if (e === undefined) continue;
      this.entries.delete(h);
      this.bytes -= e.tx.bytes.length;
    }
  }

  /**
   * After a commit (MEM-2). When every committed transaction came from this mempool and none of
   * them can change what other transactions may do (grid, governance, stake, mandates), the
   * pending overlay already reflects them: only the included entries are forgotten. Otherwise
   * (or when a pending transaction expires, or every 32nd block to keep the overlay small) the
   * survivors are re-applied to the new state in order and those now invalid are returned.
   */
  afterCommit(block: readonly Tx[], changedKeys: Iterable<string>, nowMs: number): DroppedTx[] {
    const included = new Set(block.map((t) => t.hash));
    const nextHeight = this.head().height + 1;
    this.commits++;
    const fast =
      this.commits % 32 !== 0 &&
      !touchesSharedRecords(changedKeys) &&
      block.every((t) => this.entries.has(t.hash) && NEUTRAL_KINDS.has(t.kind)) &&
      [...this.entries.values()].every(
        (e) => included.has(e.tx.hash) || e.tx.validUntilHeight >= nextHeight,
      );
    if (!fast) return this.recheck(included, nowMs);
    for (const hash of included) {
      const e = this.entries.get(hash)!;
      this.entries.delete(hash);
      this.bytes -= e.tx.bytes.length;
    }
    return [];
  }

  /** Re-applies every pending transaction, except `included`, to the committed state. */
  recheck(included: ReadonlySet<string>, nowMs: number): DroppedTx[] {
    const old = this.entries;
    this.entries = new Map();
    this.bytes = 0;
    this.overlay = new Overlay(this.state);
    this.createdBy = new Map();
    const dropped: DroppedTx[] = [];
    const env = this.env(nowMs, 0);
    for (const [hash, entry] of old) {
      if (included.has(hash)) continue;
      const outcome = applyTx(this.overlay, env, entry.tx);
      if (outcome.ok) {
        this.entries.set(hash, { ...entry, outputs: outcome.outputs });
        this.bytes += entry.tx.bytes.length;
        this.noteOutputs(outcome.outputs);
      } else {
        dropped.push({ tx: entry.tx, rejection: outcome });
      }
    }
    return dropped;
  }
}
