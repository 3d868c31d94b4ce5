// The engine's node on a WebSocket devnet (CHAIN_MODE=devnet), or beside its own validators in a
// worker thread (CHAIN_MODE=local on PostgreSQL, across the thread's port): a ChainNode without a
// validator key that reaches every validator, follows and stores the commits (PgChainStore), and
// gossips the engine's transactions to the validators. A transaction admitted while no validator
// was reachable (or to a validator that then restarted with an empty mempool) would never be
// gossiped again, so the engine's own pending transactions are sent again when a validator link
// comes up and periodically while they wait.
import { randomBytes } from 'node:crypto';
import {
  ChainNode,
  NodeRestarts,
  systemClock,
  WebSocketTransport,
  type ChainListener,
  type ChainQueries,
  type Clock as ChainClock,
  type GenesisConfig,
  type SubmitResult,
  type Transport,
  type Tx,
  type VerifyFn,
} from '@gridtokenx/chain';
import type pg from 'pg';
import type { Logger } from '../log.ts';
import type { DevnetValidator } from './devnet.ts';
import { PgChainStore } from './store.ts';

/** A transaction of ours still pending this long is sent to the validators again. */
const RESEND_AFTER_MS = 3_000;
const RESEND_CHECK_MS = 500;
const RESEND_BATCH = 256;

export interface ChainFollowerOptions {
  pool: pg.Pool;
  genesis: GenesisConfig;
  validators: readonly DevnetValidator[];
  logger: Logger;
  onFatal: (error: Error) => void;
  /** One of our transactions left the mempool uncommitted (expired, or invalid after a commit). */
  onDropped?: (txHash: string, code: string, message: string) => void;
  /**
   * How to reach the validators (default: a WebSocket link to each validator's URL). The engine's
   * own validators in a worker thread are reached across its port (`PortTransport`).
   */
  transport?: Transport;
  /** Signature verifier (default the chain's); the engine skips signatures it made itself. */
  verify?: VerifyFn;
  /** What the validators are called in logs and readiness reasons (default "devnet"). */
  label?: string;
  /**
   * The node's clock (default the system's). Beside the engine's own validators it is theirs, the
   * engine's time: admission and block-time checks must agree with the blocks they make.
   */
  clock?: ChainClock;
}

export class ChainFollower {
  private readonly own = new Map<string, { tx: Tx; sentAt: number }>();
  private readonly linked = new Set<string>();
  private timer: NodeJS.Timeout | null = null;
  private restarts: NodeRestarts | null = null;

  private constructor(
    private readonly options: ChainFollowerOptions,
    private readonly node: ChainNode,
    private readonly transport: Transport,
  ) {}

  /** What the validators are called in logs and readiness reasons. */
  private get label(): string {
    return this.options.label ?? 'devnet';
  }

  static async start(options: ChainFollowerOptions): Promise<ChainFollower> {
    const { genesis, logger } = options;
    const transport =
      options.transport ??
      new WebSocketTransport({
        chainId: genesis.chainId,
        // Only routes messages (NET-2); a fresh id per process so a restarted engine's link never
        // has to displace its predecessor's half-closed one.
        self: randomBytes(32).toString('hex'),
        peers: options.validators.map((v) => ({ address: v.address, url: v.url })),
        onWarning: (message) => logger.warn({ message }, 'devnet transport'),
      });
    const node = new ChainNode({
      genesis,
      store: new PgChainStore(options.pool, `follower:${genesis.chainId}`),
      transport,
      onFatal: options.onFatal,
      ...(options.verify ? { verify: options.verify } : {}),
      ...(options.clock ? { clock: options.clock } : {}),
    });
    const follower = new ChainFollower(options, node, transport);
    // Stopped by a failed write to its PgChainStore (the database refused it): start again.
    follower.restarts = new NodeRestarts(options.clock ?? systemClock(), (_node, error) =>
      options.logger.warn(
        { after: error.message },
        `${follower.label} follower restarted from its store`,
      ),
    );
    follower.restarts.watch(node);
    node.subscribe((event) => {
      if (event.type === 'commit') for (const t of event.txs) follower.own.delete(t.hash);
      else if (event.type === 'dropped' && follower.own.delete(event.txHash))
        options.onDropped?.(event.txHash, event.code, event.message);
    });
    await node.start();
    follower.timer = setInterval(() => follower.resend(), RESEND_CHECK_MS);
    return follower;
  }

  get query(): ChainQueries {
    return this.node.query;
  }

  subscribe(listener: ChainListener): () => void {
    return this.node.subscribe(listener);
  }

  submit(tx: Tx): SubmitResult {
    const result = this.node.submit(tx);
    if (result.ok && !this.own.has(tx.hash)) this.own.set(tx.hash, { tx, sentAt: Date.now() });
    return result;
  }

  /** Validators this node has a link to now. */
  reachable(): DevnetValidator[] {
    const up = new Set(this.transport.peers());
    return this.options.validators.filter((v) => up.has(v.address));
  }

  /**
   * Why the engine cannot rely on the chain now: no validator linked, or this node still
   * catching up with them (its balances and settlement state would be stale).
   */
  unreachableReason(): string | null {
    if (this.reachable().length === 0)
      return `no ${this.label} validator is reachable (${this.options.validators.map((v) => `${v.name} ${v.url}`).join(', ')})`;
    return catchingUpReason(this.node.syncStatus(), this.label);
  }

  private resend(): void {
    const up = this.reachable().map((v) => v.address);
    const fresh = up.some((a) => !this.linked.has(a));
    this.linked.clear();
    for (const a of up) this.linked.add(a);
    if (up.length === 0 || this.own.size === 0) return;
    const now = Date.now();
    const due: Tx[] = [];
    for (const entry of this.own.values()) {
      if (fresh || now - entry.sentAt >= RESEND_AFTER_MS) {
        entry.sentAt = now;
        due.push(entry.tx);
      }
    }
    for (let i = 0; i < due.length; i += RESEND_BATCH) {
      this.transport.broadcast({ type: 'txs', txs: due.slice(i, i + RESEND_BATCH) });
    }
  }

  async stop(): Promise<void> {
    this.restarts?.close();
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.node.stop();
  }
}

/** Blocks a follower may trail the validators' announced head by and still count as caught up. */
export const CAUGHT_UP_LAG = 2;

/** Readiness of a follower at `height` whose peers announced `bestPeerHeight`. */
export function catchingUpReason(
  s: { height: number; bestPeerHeight: number },
  label = 'devnet',
): string | null {
  return s.bestPeerHeight - s.height > CAUGHT_UP_LAG
    ? `catching up with the ${label}: at height ${s.height} of ${s.bestPeerHeight}`
    : null;
}
