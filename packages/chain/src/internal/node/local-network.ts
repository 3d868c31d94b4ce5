// The engine's default mode: all validators in one process over the in-memory transport, each
// with its own store, started together. Submissions go to one running validator that keeps up
// with the network (`primary`) and are gossiped to the others; their events reach the host once per height from whichever commits first.
import type { Clock } from '../clock/clock.ts';
import { systemClock } from '../clock/clock.ts';
import type { ConsensusTimeouts } from '../consensus/tendermint.ts';
import type { GenesisConfig } from '../state/genesis.ts';
import { MemoryStore } from '../store/memory-store.ts';
import type { ChainStore } from '../store/store.ts';
import { MemoryNetwork } from '../transport/memory.ts';
import type { Tx } from '../tx/tx.ts';
import { reject } from '../../errors.ts';
import { NodeRestarts } from './restart.ts';
import { keyPairFromSeed } from '../crypto/keys.ts';
import { verifyFast } from '../crypto/node-ed25519.ts';
import type { VerifyFn } from '../crypto/signature-rule.ts';
import { withVerifiedSignatures } from '../consensus/verified-signatures.ts';
import { ChainNode } from './node.ts';
import type { NodeConsensusStatus, SubmitResult } from './node.ts';
import type { ChainEvent, ChainListener } from './events.ts';
import type { BlockLookup, ChainQueries } from './queries.ts';

export interface LocalNetworkOptions {
  readonly genesis: GenesisConfig;
  /** One 32-byte seed per validator. */
  readonly validatorKeys: readonly Uint8Array[];
  /** One store per validator (default: in-memory stores). */
  readonly stores?: readonly ChainStore[];
  readonly clock?: Clock;
  readonly timeouts?: Partial<ConsensusTimeouts>;
  /** In-memory delivery delay (default 0 ms, i.e. the next timer tick). */
  readonly latencyMs?: number;
  readonly onFatal?: (error: Error) => void;
  /**
   * Let the validators share signature checks (default true): of the same transaction objects,
   * and a memory of the exact key, message and signature bytes any of them verified (a gossiped
   * vote or transaction is checked once, not by each of the four). They share a process and its
   * memory anyway; set false to make each verify every signature.
   */
  readonly shareSignatureChecks?: boolean;
  /** The signature check under that memory (default OpenSSL's, `verifyFast`). */
  readonly verify?: VerifyFn;
  /** Told when a validator stopped by a failed store write has been started again (MEM-4). */
  readonly onRestart?: (address: string, error: Error) => void;
}

/**
 * Signatures the shared memory keeps: a few seconds of transactions and votes at the rates the
 * engine runs (a signature is checked again by the others within milliseconds of the first).
 */
const SHARED_SIGNATURES_KEPT = 16_384;

/** A validator this many heights behind the network's head no longer takes submissions. */
const PRIMARY_MAX_LAG = 2;

/** A submission still uncommitted this long is offered to the primary validator again. */
export const RESUBMIT_AFTER_MS = 3_000;
const RESUBMIT_CHECK_MS = 1_000;

export class LocalNetwork {
  private readonly listeners = new Set<ChainListener>();
  /** Submissions not yet committed, by tx hash (what `resubmit` offers again). */
  private readonly own = new Map<string, { input: Tx | Uint8Array; at: number }>();
  private delivered: number;
  /** The validator submissions and queries went to last (see `primary`). */
  private current: ChainNode | undefined;
  private cancelTimer: (() => void) | null = null;
  private readonly restarts: NodeRestarts;

  private constructor(
    readonly nodes: readonly ChainNode[],
    readonly network: MemoryNetwork,
    private readonly clock: Clock,
    onRestart?: (address: string, error: Error) => void,
  ) {
    this.restarts = new NodeRestarts(clock, (node, error) =>
      onRestart?.(node.address ?? '', error),
    );
    for (const node of nodes) this.restarts.watch(node);
    this.delivered = Math.max(...nodes.map((n) => n.query.head().height));
    for (const node of nodes) node.subscribe((event) => this.dispatch(node, event));
  }

  static async start(o: LocalNetworkOptions): Promise<LocalNetwork> {
    const clock = o.clock ?? systemClock();
    const network = new MemoryNetwork({ clock, latencyMs: o.latencyMs ?? 0 });
    const share = o.shareSignatureChecks !== false;
    const verifiedTxs = share ? new WeakSet<Tx>() : undefined;
    const base = o.verify ?? verifyFast;
    const verify = share ? withVerifiedSignatures(base, SHARED_SIGNATURES_KEPT) : base;
    const nodes = o.validatorKeys.map(
      (secretKey, i) =>
        new ChainNode({
          genesis: o.genesis,
          store: o.stores?.[i] ?? new MemoryStore(),
          transport: network.transport(keyPairFromSeed(secretKey).address),
          clock,
          validatorKey: secretKey,
          ...(o.timeouts === undefined ? {} : { timeouts: o.timeouts }),
          ...(o.onFatal === undefined ? {} : { onFatal: o.onFatal }),
          ...(verifiedTxs === undefined ? {} : { verifiedTxs }),
          verify,
        }),
    );
    for (const n of nodes) await n.start();
    const local = new LocalNetwork(nodes, network, clock, o.onRestart);
    local.scheduleResubmit();
    return local;
  }

  /**
   * The validator submissions and queries go to: the one used last while it runs and keeps up,
   * else the first running validator that has caught up with the network's committed head, else
   * the first running one. A validator catching up after a restart would otherwise answer
   * balances and coins from blocks ago; sticking to one keeps a pending chain of submissions
   * (change spent by the next settlement) on one mempool.
   */
  private primary(): ChainNode | undefined {
    const keepsUp = (n: ChainNode) =>
      n.isRunning && n.query.head().height >= this.delivered - PRIMARY_MAX_LAG;
    if (this.current !== undefined && keepsUp(this.current)) return this.current;
    this.current = this.nodes.find(keepsUp) ?? this.nodes.find((n) => n.isRunning);
    return this.current;
  }

  submit(tx: Tx | Uint8Array): SubmitResult {
    const result =
      this.primary()?.submit(tx) ?? reject('CHAIN_NODE_STOPPED', 'no validator is running');
    if (result.ok && !this.own.has(result.txHash))
      this.own.set(result.txHash, { input: tx, at: this.clock.now() });
    return result;
  }

  /**
   * The network's events, whichever validators are running: each committed height once, in
   * order, from the first validator to commit it (so commits keep coming while any quorum runs,
   * including with the first validator stopped, and a validator catching up after a restart
   * does not repeat them); dropped transactions from the validator submissions go to (the one
   * whose mempool held them), or when offering a lost submission again is refused; fatal errors
   * from any validator.
   */
  subscribe(listener: ChainListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private dispatch(node: ChainNode, event: ChainEvent): void {
    if (event.type === 'commit') {
      for (const t of event.txs) this.own.delete(t.hash);
      if (event.height <= this.delivered) return;
      this.delivered = event.height;
    } else if (event.type === 'dropped') {
      if (node !== this.primary()) return;
      this.own.delete(event.txHash);
    }
    for (const l of this.listeners) l(event);
  }

  private scheduleResubmit(): void {
    this.cancelTimer = this.clock.setTimer(RESUBMIT_CHECK_MS, () => {
      this.resubmit();
      this.scheduleResubmit();
    });
  }

  /**
   * A submission lives in the mempools of the validators it reached; one that only the first
   * validator held when it stopped (its gossip batch not yet sent), or that a restarted
   * validator forgot, would wait for good. Each submission still uncommitted after
   * RESUBMIT_AFTER_MS is offered to the primary validator again: already pending there is
   * a no-op, admitted again it is gossiped anew, refused it is reported as dropped (its owner
   * rebuilds it).
   */
  private resubmit(): void {
    const node = this.primary();
    if (node === undefined) return;
    const now = this.clock.now();
    for (const [hash, entry] of this.own) {
      if (now - entry.at < RESUBMIT_AFTER_MS) continue;
      entry.at = now;
      const result = node.submit(entry.input);
      if (result.ok) continue;
      this.own.delete(hash);
      // Already in a block this validator has seen: its commit event came or is coming.
      if (result.code === 'CHAIN_TX_DUPLICATE') continue;
      const dropped: ChainEvent = {
        type: 'dropped',
        txHash: hash,
        code: result.code,
        message: result.message,
      };
      for (const l of this.listeners) l(dropped);
    }
  }

  get query(): ChainQueries {
    return (this.primary() ?? this.nodes[0]!).query;
  }

  /**
   * A committed block from whichever validator has it, the one submissions go to first: the
   * commit events above come from the first validator to commit a height, which the others may
   * not have reached yet when the host reads the block.
   */
  async block(heightOrHash: number | string): Promise<BlockLookup | null> {
    const first = this.primary();
    for (const node of first ? [first, ...this.nodes.filter((n) => n !== first)] : this.nodes) {
      const found = await node.query.block(heightOrHash);
      if (found) return found;
    }
    return null;
  }

  /** Each validator's consensus status, in the order of `validatorKeys`. */
  consensusStatus(): NodeConsensusStatus[] {
    return this.nodes.map((n) => n.consensusStatus());
  }

  async stop(): Promise<void> {
    this.restarts.close();
    this.cancelTimer?.();
    this.cancelTimer = null;
    for (const n of this.nodes) await n.stop();
  }
}
