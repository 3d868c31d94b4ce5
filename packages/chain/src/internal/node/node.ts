// A chain node: one validator (or follower) with its mempool, consensus state machine, store and
// transport. Inputs arrive as messages, submissions and timer callbacks; commits are persisted
// before the next height starts and before anyone is told a block is final (STORE-1).
import { ChainError, reject } from '../../errors.ts';
import type { Rejection } from '../../errors.ts';
import { equalBytes, fromHex, toHex } from '../bytes.ts';
import { buildBlock, decodeBlock, encodeBlockCached, encodeCommit } from '../block.ts';
import type { Block } from '../block.ts';
import type { Clock } from '../clock/clock.ts';
import { systemClock } from '../clock/clock.ts';
import type { Signer } from '../crypto/keys.ts';
import type { VerifyFn } from '../crypto/signature-rule.ts';
import { createFastSigner, verifyFast } from '../crypto/node-ed25519.ts';
import { PrivValidator, STEP_PREVOTE, STEP_PROPOSE } from '../consensus/privval.ts';
import { DEFAULT_TIMEOUTS, Tendermint } from '../consensus/tendermint.ts';
import type { ConsensusHost, ConsensusStatus, ConsensusTimeouts } from '../consensus/tendermint.ts';
import { evidenceId } from '../consensus/types.ts';
import { withVerifiedSignatures } from '../consensus/verified-signatures.ts';
import type { CommitCertificate, Evidence, Vote } from '../consensus/types.ts';
import { executeBlock, paramsOf } from '../state/execute.ts';
import type { BlockExecution } from '../state/execute.ts';
import type { Genesis, GenesisConfig } from '../state/genesis.ts';
import { getRecord } from '../state/view.ts';
import { keyOf, TABLES } from '../state/records.ts';
import type { CommittedState } from '../state/view.ts';
import { validatorSetAt } from '../state/validators.ts';
import type { ValidatorSet } from '../state/validators.ts';
import { decodeTx, internTx } from '../tx/tx.ts';
import type { Tx } from '../tx/tx.ts';
import type { ChainStore } from '../store/store.ts';
import { encodeSnapshot, encodeStateDiff } from '../store/diff.ts';
import type { PeerMessage, Transport } from '../transport/transport.ts';
import { Mempool } from './mempool.ts';
import type { DroppedTx } from './mempool.ts';
import { restoreFromStore } from './restore.ts';
import { ChainQueries } from './queries.ts';
import type { ChainEvent, ChainListener, CommitEvent, HeadInfo, SubmitResult } from './events.ts';
import { checkBlock } from './block-check.ts';
import { BlockSync } from './sync.ts';
import { TxGossip } from './tx-gossip.ts';
import { ValidatorVoice } from './voice.ts';

export type { HeadInfo, SubmitResult };

export interface ChainNodeOptions {
  readonly genesis: GenesisConfig;
  readonly store: ChainStore;
  readonly transport: Transport;
  /** Defaults to the system clock. Tests pass a SimClock. */
  readonly clock?: Clock;
  /** The validator's 32-byte ed25519 seed; omit for a node that follows without voting. */
  readonly validatorKey?: Uint8Array;
  readonly timeouts?: Partial<ConsensusTimeouts>;
  readonly mempoolMaxTxs?: number;
  /** Signature verifier (default: node:crypto behind the chain's rule). */
  readonly verify?: VerifyFn;
  /** Signer for the validator key (default: node:crypto). */
  readonly createSigner?: (secretKey: Uint8Array) => Signer;
  /** Write a full-state snapshot every this many blocks (default 1,000). */
  readonly snapshotEveryBlocks?: number;
  /** Status broadcast and own-message rebroadcast period (default 1,000 ms). */
  readonly gossipIntervalMs?: number;
  /** Transactions are gossiped to peers in batches collected over this long (default 5 ms). */
  readonly txBatchMs?: number;
  /** Called when an invariant breaks; by default the error is rethrown to crash the process. */
  readonly onFatal?: (error: Error) => void;
  /**
   * Transactions whose signatures some validator in this process already verified. Validators
   * sharing a process (LocalNetwork) receive the same frozen objects, so one check serves all;
   * validators in separate processes never share it.
   */
  readonly verifiedTxs?: WeakSet<Tx>;
  /** Optional trace of consensus steps and block rejections (operators, debugging). */
  readonly trace?: (event: string, fields: Record<string, unknown>) => void;
}

/** `ChainNode.consensusStatus`. */
export interface NodeConsensusStatus {
  readonly address: string | null;
  readonly running: boolean;
  readonly headHeight: number;
  readonly mempoolTxs: number;
  /** Votes or proposals waiting for the signing guard to persist them. */
  readonly signaturesPending: number;
  readonly consensus: ConsensusStatus;
}

const RECENTLY_COMMITTED = 500_000;

export class ChainNode {
  readonly chainId: string;
  readonly address: string | null;
  private readonly clock: Clock;
  private readonly verify: VerifyFn;
  /** For votes, proposals, commits and evidence: remembers what passed (CONS-15). */
  private readonly consensusVerify: VerifyFn;
  private readonly timeouts: ConsensusTimeouts;
  private readonly privval: PrivValidator | null;
  private readonly listeners = new Set<ChainListener>();
  private readonly execCache = new Map<string, BlockExecution | Rejection>();
  private readonly evidencePool = new Map<string, Evidence>();
  private readonly subscribers = new Set<string>();
  private readonly voice: ValidatorVoice | null;
  private readonly verifiedTxs: WeakSet<Tx>;
  private readonly gossip: TxGossip;
  private readonly sync: BlockSync;
  private work: Promise<void> = Promise.resolve();
  private stopTick: (() => void) | null = null;
  private running = false;
  private fatal: Error | null = null;
  private transportStopped: Promise<void> = Promise.resolve();
  private lastTickHeight = -1;
  /** Hashes of recently committed transactions: late gossip is refused before verification. */
  private readonly recentlyCommitted = new Set<string>();

  genesis!: Genesis;
  state!: CommittedState;
  mempool!: Mempool;
  head!: Block;
  headCommit: CommitCertificate | null = null;
  validators!: ValidatorSet;
  consensus!: Tendermint;

  constructor(private readonly options: ChainNodeOptions) {
    this.chainId = options.genesis.chainId;
    this.clock = options.clock ?? systemClock();
    this.verify = options.verify ?? verifyFast;
    this.consensusVerify = withVerifiedSignatures(this.verify);
    this.timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
    const signer =
      options.validatorKey === undefined
        ? null
        : (options.createSigner ?? createFastSigner)(options.validatorKey);
    this.privval = signer === null ? null : new PrivValidator(signer, options.store);
    this.address = signer?.address ?? null;
    this.voice =
      this.privval === null
        ? null
        : new ValidatorVoice(this.privval, {
            chainId: this.chainId,
            transport: options.transport,
            isRunning: () => this.running,
            deliverProposal: (proposal) =>
              this.onMessage(proposal.proposer, { type: 'proposal', proposal }),
            deliverVote: (vote) => this.consensus.onVote(vote),
            onError: (err) => this.die(err),
          });
    this.verifiedTxs = options.verifiedTxs ?? new WeakSet();
    this.gossip = new TxGossip({
      clock: this.clock,
      transport: options.transport,
      batchMs: options.txBatchMs ?? 5,
      isRunning: () => this.running && this.fatal === null,
      admit: (tx) => this.admit(tx),
      onAdded: () => this.consensus.onTxsAvailable(),
      onError: (err) => this.die(err),
    });
    this.sync = new BlockSync({
      chainId: this.chainId,
      clock: this.clock,
      transport: options.transport,
      store: options.store,
      verify: this.consensusVerify,
      height: () => this.head.header.height,
      validators: () => this.validators,
      isRunning: () => this.running,
      commitCertified: (block, commit) => this.commitCertified(block, commit),
    });
  }

  get isRunning(): boolean {
    return this.running;
  }

  /** The node's store (queries read blocks and transactions from it). */
  get storeRef(): ChainStore {
    return this.options.store;
  }

  /** Read-only views over the committed state, the mempool and the store. */
  get query(): ChainQueries {
    return (this.queries ??= new ChainQueries(this));
  }

  private queries: ChainQueries | undefined;

  /** Loads the store (or genesis), joins the network and starts consensus. */
  async start(): Promise<void> {
    if (this.running) return;
    this.execCache.clear();
    await this.privval?.load();
    const restored = await restoreFromStore(this.options.genesis, this.options.store);
    this.genesis = restored.genesis;
    this.state = restored.state;
    this.head = restored.head;
    this.headCommit = restored.headCommit;
    this.validators = validatorSetAt(this.state, this.head.header.height + 1);
    this.mempool = new Mempool(
      this.state,
      this.chainId,
      this.options.mempoolMaxTxs ?? 50_000,
      () => ({
        height: this.head.header.height,
        timeMs: this.head.header.timeMs,
      }),
    );
    this.consensus = new Tendermint(this.consensusHost());
    this.running = true;
    await this.options.transport.start((from, message) => this.onMessage(from, message));
    if (this.headCommit !== null) {
      this.consensus.setLastCommit(
        this.headCommit,
        validatorSetAt(this.state, this.head.header.height),
      );
    }
    this.consensus.startHeight(
      this.head.header.height + 1,
      this.validators,
      this.head.header.timeMs,
    );
    this.resumeOwnVotes();
    this.scheduleTick();
    this.options.transport.broadcast(this.status());
  }

  /** CONS-10: after a restart mid-height, rejoin with what we had signed at this height. */
  private resumeOwnVotes(): void {
    const pv = this.privval;
    if (pv === null) return;
    const signed = pv.signedAt(this.head.header.height + 1);
    if (signed.length === 0) return;
    const own = signed.map((s) => {
      const step =
        s.step === STEP_PROPOSE ? 'propose' : s.step === STEP_PREVOTE ? 'prevote' : 'precommit';
      const vote: Vote | null =
        s.step === STEP_PROPOSE
          ? null
          : Object.freeze({
              type: s.step === STEP_PREVOTE ? 'PREVOTE' : 'PRECOMMIT',
              height: s.height,
              round: s.round,
              blockHash: s.blockHash,
              validator: pv.signer.address,
              signature: s.signature,
            });
      return { round: s.round, step, vote } as const;
    });
    const votes = own.flatMap((o) => (o.vote === null ? [] : [o.vote]));
    this.voice?.restore(votes);
    this.voice?.resend();
    const lock = pv.lockedAt(this.head.header.height + 1);
    let locked: Block | null = null;
    if (lock !== null) {
      try {
        locked = decodeBlock(this.chainId, lock.block);
      } catch (err) {
        throw new ChainError(
          'CHAIN_STORE_CORRUPT',
          `the sign state's locked block does not decode: ${err instanceof Error ? err.message : String(err)}`,
        );
      }
    }
    this.consensus.resume(own, locked);
  }

  /**
   * Starts again after a fatal error, if the host so chooses (e.g. once the store takes writes
   * again): state, head and signing state are reloaded from the store, as after a crash.
   */
  async restart(): Promise<void> {
    if (this.running) return;
    await this.work.catch(() => undefined);
    await this.transportStopped;
    this.fatal = null;
    await this.start();
  }

  /** Stops consensus and the transport; the store is left open for the host to close. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.stopTick?.();
    this.consensus.stop();
    await this.work.catch(() => undefined);
    await this.options.transport.stop();
  }

  subscribe(listener: ChainListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(event: ChainEvent): void {
    for (const l of this.listeners) {
      try {
        l(event);
      } catch {
        // A host's listener must not break consensus.
      }
    }
  }

  /**
   * Our committed height and the highest one a reachable peer announced (SYNC-1): a node whose
   * peers are well ahead is still catching up.
   */
  syncStatus(): { height: number; bestPeerHeight: number } {
    return { height: this.head.header.height, bestPeerHeight: this.sync.bestPeerHeight() };
  }

  /** Consensus, mempool and signing state of this node, for operators diagnosing a stall. */
  consensusStatus(): NodeConsensusStatus {
    return {
      address: this.address,
      running: this.running,
      headHeight: this.head.header.height,
      mempoolTxs: this.mempool.size,
      signaturesPending: this.privval?.pending ?? 0,
      consensus: this.consensus.status(),
    };
  }

  headInfo(): HeadInfo {
    const h = this.head.header;
    return {
      height: h.height,
      hash: this.head.hash,
      timeMs: h.timeMs,
      stateRoot: h.stateRoot,
      gridHash: h.gridHash,
    };
  }

  // ── Submission ──────────────────────────────────────────────────────────────────────────────

  /** Verifies and admits a transaction; the answer is immediate (MEM-1). */
  submit(input: Tx | Uint8Array): SubmitResult {
    const result = this.admit(input);
    if (result.ok && !result.alreadyPending) {
      this.gossip.forward(this.mempool.get(result.txHash)!.tx);
      this.consensus.onTxsAvailable();
    }
    return result;
  }

  private admit(input: Tx | Uint8Array): SubmitResult {
    if (!this.running) return reject('CHAIN_NODE_STOPPED', 'the node is not running');
    let tx: Tx;
    if (input instanceof Uint8Array) {
      try {
        tx = decodeTx(this.chainId, input);
      } catch (err) {
        return reject('CHAIN_MALFORMED', err instanceof Error ? err.message : String(err));
      }
    } else {
      tx = input;
      if (tx.chainId !== this.chainId)
        return reject('CHAIN_BAD_SIGNATURE', `signed for chain ${tx.chainId}`);
    }
    const pending = this.mempool.get(tx.hash);
    if (pending !== undefined && equalBytes(pending.tx.bytes, tx.bytes)) {
      return { ok: true, txHash: tx.hash, outputs: pending.outputs, alreadyPending: true };
    }
    if (
      this.recentlyCommitted.has(tx.hash) ||
      this.state.get(keyOf(TABLES.replay, tx.hash)) !== undefined
    ) {
      return reject('CHAIN_TX_DUPLICATE', `transaction ${tx.hash} was already included`);
    }
    const params = paramsOf(this.state);
    if (tx.bytes.length > params.txMaxBytes) {
      return reject(
        'CHAIN_TX_TOO_LARGE',
        `transaction is ${tx.bytes.length} bytes, limit ${params.txMaxBytes}`,
      );
    }
    if (!this.verifyTx(tx))
      return reject('CHAIN_BAD_SIGNATURE', 'signature does not verify under the signer key');
    const outcome = this.mempool.add(tx, this.clock.now());
    if (!outcome.ok) return outcome;
    // A transaction handed in as an object (the engine's own settlements) comes back decoded
    // inside its block: the same object then, already verified.
    if (!(input instanceof Uint8Array)) internTx(tx);
    return { ok: true, txHash: tx.hash, outputs: outcome.outputs, alreadyPending: false };
  }

  private verifyTx(tx: Tx): boolean {
    if (this.verifiedTxs.has(tx)) return true;
    const ok = this.verify(fromHex(tx.signer), tx.signBytes, tx.signature);
    if (ok) this.verifiedTxs.add(tx);
    return ok;
  }

  // ── Messages ────────────────────────────────────────────────────────────────────────────────

  private onMessage(from: string, message: PeerMessage): void {
    if (!this.running || this.fatal !== null) return;
    try {
      this.handle(from, message);
    } catch (err) {
      this.die(err);
    }
  }

  private handle(from: string, message: PeerMessage): void {
    switch (message.type) {
      case 'txs':
        this.gossip.receive(from, message.txs);
        return;
      case 'proposal':
        this.consensus.onProposal(message.proposal);
        return;
      case 'vote':
        if (this.consensus.onVote(message.vote)) this.options.transport.broadcast(message);
        return;
      case 'status':
        this.sync.onStatus(from, message.height);
        return;
      case 'syncRequest':
        this.sync.serve(from, message.fromHeight, message.maxBlocks);
        return;
      case 'syncResponse':
        this.enqueue(() => this.sync.apply(from, message.blocks));
        return;
      case 'subscribe':
        this.subscribers.add(from);
        return;
      case 'txResults':
      case 'committed':
        return;
    }
  }

  private enqueue(job: () => Promise<void> | void): void {
    this.work = this.work.then(async () => {
      if (!this.running || this.fatal !== null) return;
      try {
        await job();
      } catch (err) {
        this.die(err);
      }
    });
  }

  private die(err: unknown): void {
    const error = err instanceof Error ? err : new Error(String(err));
    if (this.fatal !== null) return;
    this.fatal = error;
    this.running = false;
    this.stopTick?.();
    this.consensus.stop();
    // Off the network at once: a stopped node must not answer peers (and may be restarted).
    this.transportStopped = this.options.transport.stop().catch(() => undefined);
    this.emit({ type: 'fatal', error });
    const onFatal =
      this.options.onFatal ??
      ((e: Error) => {
        // Outside any promise chain, so the process crashes loudly instead of limping on.
        queueMicrotask(() => {
          throw e;
        });
      });
    onFatal(error);
  }

  // ── Consensus host ──────────────────────────────────────────────────────────────────────────

  private consensusHost(): ConsensusHost {
    return {
      chainId: this.chainId,
      clock: this.clock,
      timeouts: this.timeouts,
      verify: this.consensusVerify,
      self: this.address,
      hasPendingTxs: () => this.mempool.size > 0,
      createBlock: (height) => this.createBlock(height),
      validateBlock: (block) => this.validateBlock(block, true),
      validateDecided: (block) => this.validateBlock(block, false),
      sendProposal: (height, round, validRound, block) =>
        this.voice?.propose(height, round, validRound, block),
      sendVote: (type, height, round, hash, block) =>
        this.voice?.vote(type, height, round, hash, block),
      evidence: (e) => {
        const id = evidenceId(e);
        if (getRecord(this.state, 'evidence', id) === undefined) this.evidencePool.set(id, e);
      },
      decide: (block, commit) => this.enqueue(() => this.commitBlock(block, commit)),
      ...(this.options.trace === undefined ? {} : { trace: this.options.trace }),
    };
  }

  private createBlock(height: number): Block {
    const params = paramsOf(this.state);
    const txs = this.mempool.reap(params.blockMaxBytes);
    const timeMs = Math.max(this.clock.now(), this.head.header.timeMs + 1);
    const lastCommit = height === 1 ? null : this.consensus.lastCommit();
    const exec = executeBlock(
      this.state,
      {
        chainId: this.chainId,
        height,
        timeMs,
        txs,
        evidence: [...this.evidencePool.values()].slice(0, 64),
        lastCommit,
        verify: this.consensusVerify,
      },
      'propose',
    );
    if ('code' in exec)
      throw new ChainError('CHAIN_INVARIANT', `proposing failed: ${exec.message}`);
    this.reportDropped(exec.dropped);
    this.mempool.remove(exec.dropped.map((d) => d.tx.hash));
    const block = buildBlock(this.chainId, {
      height,
      parentHash: this.head.hash,
      timeMs,
      proposer: this.address ?? '0'.repeat(64),
      stateRoot: exec.stateRoot,
      gridHash: exec.gridHash,
      txs: exec.applied.map((a) => a.tx),
      evidence: exec.evidence,
      lastCommit,
    });
    this.execCache.set(block.hash, exec);
    return block;
  }

  private reportDropped(dropped: readonly DroppedTx[]): void {
    for (const d of dropped) {
      this.emit({
        type: 'dropped',
        txHash: d.tx.hash,
        code: d.rejection.code,
        message: d.rejection.message,
      });
    }
  }

  /**
   * BLK-1..7 and CONS-5: everything a validator checks before prevoting or committing a block.
   * `live` adds BLK-7's bound against our clock, which is checked afresh each time (a block from a
   * little ahead becomes acceptable as time passes) while the rest is cached by hash.
   */
  private validateBlock(block: Block, live: boolean): boolean {
    if (live && block.header.timeMs > this.clock.now() + this.timeouts.maxClockDriftMs) {
      this.options.trace?.('validated', {
        height: block.header.height,
        hash: block.hash,
        code: 'CHAIN_BAD_BLOCK',
        reason: 'block time is in the future',
      });
      return false;
    }
    const cached = this.execCache.get(block.hash);
    if (cached !== undefined) return !('code' in cached);
    const started = this.clock.now();
    const result = this.checkBlock(block);
    this.execCache.set(block.hash, result);
    this.options.trace?.('validated', {
      height: block.header.height,
      hash: block.hash,
      txs: block.txs.length,
      ms: this.clock.now() - started,
      ...('code' in result ? { code: result.code, reason: result.message } : {}),
    });
    return !('code' in result);
  }

  private checkBlock(block: Block): BlockExecution | Rejection {
    return checkBlock(
      {
        chainId: this.chainId,
        head: this.head,
        state: this.state,
        validators: this.validators,
        verify: this.consensusVerify,
        verifyTx: (tx) => {
          const pending = this.mempool.get(tx.hash);
          if (pending !== undefined && equalBytes(pending.tx.signature, tx.signature)) return true;
          return this.verifyTx(tx);
        },
      },
      block,
    );
  }

  // ── Commit ──────────────────────────────────────────────────────────────────────────────────

  private async commitBlock(block: Block, commit: CommitCertificate): Promise<void> {
    const committedHeight = this.head.header.height;
    if (block.header.height <= committedHeight) {
      // Sync and consensus can both deliver the same block; the second delivery is a no-op.
      const ours =
        block.header.height === committedHeight
          ? this.head.hash
          : await this.hashAt(block.header.height);
      if (ours === block.hash) return;
      throw new ChainError(
        'CHAIN_FORK_DETECTED',
        `certified block ${block.hash} at height ${block.header.height} conflicts with committed ${ours ?? '?'}`,
      );
    }
    const cached = this.execCache.get(block.hash);
    const exec = cached !== undefined && !('code' in cached) ? cached : this.checkBlock(block);
    if ('code' in exec) {
      throw new ChainError(
        'CHAIN_INVARIANT',
        `a quorum committed block ${block.hash} we find invalid: ${exec.message}`,
      );
    }
    const height = block.header.height;
    this.state.apply(exec.prepared);
    if (toHex(this.state.stateRoot()) !== block.header.stateRoot) {
      throw new ChainError(
        'CHAIN_INVARIANT',
        `state root after block ${height} differs from its header`,
      );
    }
    const previousValidators = this.validators;
    this.sync.noteCommitted(height, block.hash, previousValidators);
    this.head = block;
    this.headCommit = commit;
    this.validators = exec.nextValidators;
    this.execCache.clear();
    this.voice?.clear();
    for (const e of exec.evidence) this.evidencePool.delete(evidenceId(e));
    const dropped = this.mempool.afterCommit(
      block.txs,
      exec.prepared.changes.keys(),
      this.clock.now(),
    );
    for (const t of block.txs) this.recentlyCommitted.add(t.hash);
    if (this.recentlyCommitted.size > RECENTLY_COMMITTED) {
      let excess = this.recentlyCommitted.size - RECENTLY_COMMITTED;
      for (const h of this.recentlyCommitted) {
        if (excess-- <= 0) break;
        this.recentlyCommitted.delete(h);
      }
    }

    await this.options.store.append({
      height,
      hash: block.hash,
      block: encodeBlockCached(block),
      commit: encodeCommit(commit),
      stateDiff: encodeStateDiff(exec.prepared.encoded),
      txHashes: block.txs.map((t) => t.hash),
    });
    const every = this.options.snapshotEveryBlocks ?? 1_000;
    if (height % every === 0) {
      await this.options.store.putSnapshot({
        height,
        state: encodeSnapshot(this.state.snapshotEntries()),
      });
    }

    const event: CommitEvent = {
      type: 'commit',
      height,
      hash: block.hash,
      round: commit.round,
      timeMs: block.header.timeMs,
      proposer: block.header.proposer,
      stateRoot: block.header.stateRoot,
      txs: exec.applied.map((a, index) => ({
        hash: a.tx.hash,
        kind: a.tx.kind,
        signer: a.tx.signer,
        index,
        outputs: a.outputs,
      })),
      evidence: exec.evidence.length,
    };
    this.emit(event);
    this.reportDropped(dropped);
    for (const sub of this.subscribers) {
      this.options.transport.send(sub, {
        type: 'committed',
        height,
        hash: block.hash,
        round: commit.round,
        timeMs: block.header.timeMs,
        txHashes: block.txs.map((t) => t.hash),
      });
    }
    if (!this.running) return;
    if (!this.consensus.isDecided) this.consensus.setLastCommit(commit, previousValidators);
    this.consensus.startHeight(height + 1, this.validators, block.header.timeMs);
    this.options.transport.broadcast(this.status());
    if (this.mempool.size > 0) this.consensus.onTxsAvailable();
    this.sync.maybeSync();
  }

  private async hashAt(height: number): Promise<string | null> {
    return (await this.options.store.block(height))?.hash ?? null;
  }

  /** SYNC-2: commits a block a quorum certified; failing validation here means a fork. */
  private async commitCertified(block: Block, commit: CommitCertificate): Promise<void> {
    if (block.header.height <= this.head.header.height) return this.commitBlock(block, commit);
    const exec = this.checkBlock(block);
    if ('code' in exec) {
      throw new ChainError(
        'CHAIN_FORK_DETECTED',
        `block ${block.header.height} (${block.hash}) has a quorum certificate but fails here: ${exec.message}`,
      );
    }
    this.execCache.set(block.hash, exec);
    this.consensus.stop();
    await this.commitBlock(block, commit);
  }

  // ── Status and periodic gossip ───────────────────────────────────────────────────────────────

  private status(): PeerMessage {
    return { type: 'status', height: this.head.header.height, round: this.consensus.round };
  }

  private scheduleTick(): void {
    const every = this.options.gossipIntervalMs ?? 1_000;
    this.stopTick = this.clock.setTimer(every, () => {
      if (!this.running) return;
      this.tick();
      this.scheduleTick();
    });
  }

  /** CONS-13: while a height is unfinished, re-send our own messages so healed links recover. */
  private tick(): void {
    const transport = this.options.transport;
    transport.broadcast(this.status());
    const height = this.head.header.height;
    if (height === this.lastTickHeight) {
      this.voice?.resend();
    }
    this.lastTickHeight = height;
    this.sync.maybeSync();
  }
}
