// The engine's default mode: all validators in one process over the in-memory transport, each
// with its own store, started together. Submissions go to the first running validator and are
// gossiped to the others; their events reach the host once per height from whichever commits first.
import type { Clock } from '../clock/clock.ts';
import { systemClock } from '../clock/clock.ts';
import type { ConsensusTimeouts } from '../consensus/tendermint.ts';
import type { GenesisConfig } from '../state/genesis.ts';
import { MemoryStore } from '../store/memory-store.ts';
import type { ChainStore } from '../store/store.ts';
import { MemoryNetwork } from '../transport/memory.ts';
import type { Tx } from '../tx/tx.ts';
import { reject } from '../../errors.ts';
import { keyPairFromSeed } from '../crypto/keys.ts';
import { ChainNode } from './node.ts';
import type { NodeConsensusStatus, SubmitResult } from './node.ts';
import type { ChainListener } from './events.ts';
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
   * Let the validators share signature checks of the same transaction objects (default true).
   * They share a process and its memory anyway; set false to make each verify every signature.
   */
  readonly shareSignatureChecks?: boolean;
}

export class LocalNetwork {
  private constructor(
    readonly nodes: readonly ChainNode[],
    readonly network: MemoryNetwork,
  ) {}

  static async start(o: LocalNetworkOptions): Promise<LocalNetwork> {
    const clock = o.clock ?? systemClock();
    const network = new MemoryNetwork({ clock, latencyMs: o.latencyMs ?? 0 });
    const verifiedTxs = o.shareSignatureChecks === false ? undefined : new WeakSet<Tx>();
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
        }),
    );
    for (const n of nodes) await n.start();
    return new LocalNetwork(nodes, network);
  }

  private primary(): ChainNode | undefined {
    return this.nodes.find((n) => n.isRunning);
  }

  submit(tx: Tx | Uint8Array): SubmitResult {
    return this.primary()?.submit(tx) ?? reject('CHAIN_NODE_STOPPED', 'no validator is running');
  }

  /**
   * The network's events, whichever validators are running: each committed height once, in
   * order, from the first validator to commit it (so commits keep coming while any quorum runs,
   * including with the first validator stopped, and a validator catching up after a restart
   * does not repeat them); dropped transactions from the validator submissions go to (the one
   * whose mempool held them); fatal errors from any validator.
   */
  subscribe(listener: ChainListener): () => void {
    let delivered = Math.max(...this.nodes.map((n) => n.query.head().height));
    const offs = this.nodes.map((node) =>
      node.subscribe((event) => {
        if (event.type === 'commit') {
          if (event.height <= delivered) return;
          delivered = event.height;
        } else if (event.type === 'dropped' && node !== this.primary()) return;
        listener(event);
      }),
    );
    return () => {
      for (const off of offs) off();
    };
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
    for (const n of this.nodes) await n.stop();
  }
}
