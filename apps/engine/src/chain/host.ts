// The engine's chain: by default (CHAIN_MODE=local) it hosts the four authority validators (EGAT,
// MEA, PEA, ERC) over the in-memory transport, each persisting to PostgreSQL, with block times
// following the engine's clock (so a simulated day's meter intervals have ended on chain when they
// have in the market) — in a worker thread on PostgreSQL, followed from this thread by a
// non-voting node (follower.ts), or on this thread with the embedded database. With
// CHAIN_MODE=devnet that node follows a WebSocket devnet of validator processes instead. Either way
// it keeps the explorer index (chain_block, chain_tx) in step with commits, maps accounts to chain
// addresses, signs for the roles the engine holds, and answers balances for buying power. A
// database is bound to one genesis for good.
import {
  createSigner,
  genesisFromJson,
  genesisToJson,
  LocalNetwork,
  OwnSignatures,
  PortTransport,
  signTx,
  stampTx,
  systemClock,
  thailandGenesis,
  verifySignature,
  type ChainListener,
  type ChainQueries,
  type CommitEvent,
  type GenesisConfig,
  type NodeConsensusStatus,
  type Signer,
  type SubmitResult,
  type Tx,
  type TxBodies,
  type TxKind,
} from '@gridtokenx/chain';
import type { KeyVault } from '../auth/keys.ts';
import { SystemClock, type Clock } from '../clock.ts';
import type { Database } from '../db/index.ts';
import type { Logger } from '../log.ts';
import type { BalanceSource } from '../market/funds.ts';
import { ChainHostError, type DevnetConnection, type RoleKeys } from './devnet.ts';
import { ChainFollower } from './follower.ts';
import {
  addressOf,
  AUTHORITIES,
  loadOrCreateIdentity,
  type Authority,
  type ChainIdentity,
} from './identity.ts';
import { chainClockSpec, EngineChainClock, lastBlockTimeMs } from './chain-clock.ts';
import { PgChainStore, SignStateWrites } from './store.ts';
import { ValidatorThread } from './validator-thread.ts';

const GENESIS_KEY = 'chain.genesis';
/** A chain that has not committed for this long is logged as stalled (idle blocks come every 10 s). */
const STALL_WARN_MS = 15_000;

/** A compact line per validator for the stall log (hashes shortened to 8 characters). */
function stallSummary(s: NodeConsensusStatus): Record<string, unknown> {
  const short = (h: string | null): string | null => (h === null ? null : h.slice(0, 8));
  const tally = (t: Readonly<Record<string, number>>): string =>
    Object.entries(t)
      .map(([hash, power]) => `${hash === 'nil' ? 'nil' : short(hash)}:${power}`)
      .join(',');
  const c = s.consensus;
  return {
    validator: short(s.address),
    running: s.running,
    head: s.headHeight,
    mempool: s.mempoolTxs,
    signing: s.signaturesPending,
    at: `${c.height}/${c.round}/${c.step}${c.decided ? '/decided' : ''}`,
    locked: c.lockedRound < 0 ? null : `${c.lockedRound}:${short(c.lockedHash)}`,
    valid: c.validRound < 0 ? null : `${c.validRound}:${short(c.validHash)}`,
    timers: c.timersScheduled,
    future: c.futureMessages,
    rounds: c.rounds
      .slice(-4)
      .map(
        (r) =>
          `r${r.round} p=${short(r.proposal)} pv[${tally(r.prevotes)}] pc[${tally(r.precommits)}]`,
      ),
  };
}
/** The clearing house's bonded stake exempts it from proof-of-work stamps. */
const CLEARING_STAKE_SATANG = 10_000_000n;
/** Liquidity the clearing house holds to pay day-ahead sellers before buyers' escrows release. */
const CLEARING_FLOAT_SATANG = 10_000_000_000n;

export type SignerRole = Authority | 'bank' | 'clearing';

export interface ChainHostOptions {
  db: Database;
  vault: KeyVault;
  logger: Logger;
  nowMs: number;
  /**
   * The engine's clock. Block times follow it, never falling behind the last block (they then run
   * on in real time from it), so meter intervals that ended in a simulated or manual clock have
   * also ended by the chain's block time (EN-1). Default: the system clock.
   */
  engineClock?: Clock;
  /**
   * Local mode: where the validators run. `worker` (the default on PostgreSQL): a worker thread
   * with its own connection pool, followed by a node on the engine's thread; `main`: on the
   * engine's thread (always so on the embedded database, which takes one connection).
   */
  validatorThread?: 'worker' | 'main';
  /** Called for every committed block, after the explorer index is written. */
  onCommit?: (event: CommitEvent) => void;
  /** Called once when a validator hits a fatal error. */
  onFatal?: (error: Error) => void;
  /**
   * Join this devnet as a follower instead of hosting the validators (CHAIN_MODE=devnet). Its
   * folder supplies the genesis and the keys of the roles the engine signs for.
   */
  devnet?: DevnetConnection;
  /**
   * A transaction the engine submitted left the mempool without being committed: a block spent
   * its coins or it expired (local mode), or the follower's view was behind the validators'
   * (devnet mode).
   */
  onDropped?: (txHash: string, code: string, message: string) => void;
  /**
   * Local mode: the in-process validators' minimum time between blocks while transactions wait
   * (BLK-5; CHAIN_BLOCK_INTERVAL_MS). Default `LOCAL_MIN_BLOCK_INTERVAL_MS`; 0 proposes at once.
   */
  minBlockIntervalMs?: number;
  /**
   * Local mode, validators in a worker thread: that thread's nice value (CHAIN_VALIDATOR_NICE;
   * default `LOCAL_VALIDATOR_NICE`, 0 keeps the engine's priority).
   */
  validatorNice?: number;
}

/**
 * Blocks of the in-process validators come at least this far apart while transactions wait
 * (BLK-5). Every height costs the engine's one thread four validators' votes, sign-state and block
 * writes and an index write, whatever the block holds: back to back, ≈15 blocks/s of ≈30
 * settlements each; paced, ≈6.5 of ≈80, with 10–20 % more orders/s for the same CPU and
 * trade-to-final p99 still ≈0.35–0.45 s (apps/engine/BENCHMARKS.md).
 */
export const LOCAL_MIN_BLOCK_INTERVAL_MS = 150;

/**
 * The validators' thread runs at nice 10: on a busy machine the engine's thread, which answers
 * traders, wins the CPU, and the validators (a one-second finality budget) take what is left.
 */
export const LOCAL_VALIDATOR_NICE = 10;

/** The engine's follower node's id on its worker-thread validators' network. */
const ENGINE_NODE_ID = 'engine';

/** What the host runs: the in-process validators, or a follower of a devnet. */
interface ChainBackend {
  readonly query: ChainQueries;
  submit(tx: Tx): SubmitResult;
  subscribe(listener: ChainListener): () => void;
  stop(): Promise<void>;
}

export class ChainHost implements BalanceSource {
  private readonly addressByAccount = new Map<string, string>();
  private readonly accountByAddress = new Map<string, string>();
  private readonly signers = new Map<string, Signer>();
  private readonly listeners = new Set<(event: CommitEvent) => void>();
  private readonly unsettled = new Map<string, bigint>();
  private indexing: Promise<void> = Promise.resolve();
  private unsubscribe: (() => void) | null = null;
  /** When the last block committed (start-up counts, so a restarted idle chain is not stale). */
  lastCommitAtMs = Date.now();

  private constructor(
    private readonly options: ChainHostOptions,
    private readonly keys: RoleKeys,
    readonly genesis: GenesisConfig,
    private readonly backend: ChainBackend,
    private readonly local: LocalNetwork | null,
    private readonly follower: ChainFollower | null,
    private readonly thread: ValidatorThread | null = null,
    /** Signatures the engine made, which its follower node need not verify again. */
    private readonly own: OwnSignatures | null = null,
  ) {}

  static async start(options: ChainHostOptions): Promise<ChainHost> {
    return options.devnet
      ? ChainHost.joinDevnet(options, options.devnet)
      : ChainHost.hostLocal(options);
  }

  private static async hostLocal(options: ChainHostOptions): Promise<ChainHost> {
    const { db, vault, logger } = options;
    const identity = await loadOrCreateIdentity(db.prisma, vault, options.nowMs);
    const genesis = await loadOrCreateGenesis(db, identity);
    if (db.kind === 'postgresql' && options.validatorThread !== 'main') {
      return ChainHost.hostInWorker(options, identity, genesis);
    }
    if (options.validatorNice !== undefined) {
      // The embedded database (one connection) keeps the validators on the engine's thread.
      logger.warn(
        { nice: options.validatorNice },
        "CHAIN_VALIDATOR_NICE ignored: the validators run on the engine's thread",
      );
    }
    const validatorKeys = AUTHORITIES.map((a) => identity.authorities[a]);
    const signStates = new SignStateWrites(db.pool);
    const stores = validatorKeys.map(
      (seed) => new PgChainStore(db.pool, addressOf(seed), signStates),
    );
    const engineClock = options.engineClock;
    const clock = engineClock
      ? new EngineChainClock(() => engineClock.now(), await lastBlockTimeMs(stores, genesis))
      : null;
    const network = await LocalNetwork.start({
      genesis,
      validatorKeys,
      stores,
      clock: clock ?? systemClock(),
      timeouts: { minBlockIntervalMs: options.minBlockIntervalMs ?? LOCAL_MIN_BLOCK_INTERVAL_MS },
      onFatal: (error) => {
        logger.fatal({ err: error }, 'chain validator failed');
        options.onFatal?.(error);
      },
      onRestart: (address, error) =>
        logger.warn(
          { validator: address, after: error.message },
          'chain validator restarted from its store',
        ),
    });
    const host = new ChainHost(options, identity, genesis, network, network, null);
    await host.follow((timeMs) => clock?.observeBlock(timeMs));
    host.watchStalls(() => network.consensusStatus());
    logger.info(
      { chainId: identity.chainId, height: network.query.head().height },
      'chain validators started (EGAT, MEA, PEA, ERC in-process)',
    );
    return host;
  }

  /**
   * The four validators in a worker thread (validator-worker.ts) with their own PostgreSQL pool;
   * on this thread, a node without a key follows them across the thread's port, keeps its copy of
   * the blocks (`follower:<chainId>`, as on a devnet), answers queries and takes submissions.
   * Their votes, block checks, signatures and store writes then use the second core instead of
   * delaying acknowledgements; the follower skips the signatures the engine made itself.
   */
  private static async hostInWorker(
    options: ChainHostOptions,
    identity: ChainIdentity,
    genesis: GenesisConfig,
  ): Promise<ChainHost> {
    const { db, logger } = options;
    const onFatal = (error: Error): void => {
      logger.fatal({ err: error }, 'chain validators failed');
      options.onFatal?.(error);
    };
    const clock = chainClockSpec(options.engineClock ?? new SystemClock());
    let thread: ValidatorThread;
    try {
      thread = await ValidatorThread.start({
        data: {
          databaseUrl: db.url,
          genesisJson: genesisToJson(genesis),
          names: AUTHORITIES,
          validatorKeys: AUTHORITIES.map((a) => identity.authorities[a]),
          followerId: ENGINE_NODE_ID,
          minBlockIntervalMs: options.minBlockIntervalMs ?? LOCAL_MIN_BLOCK_INTERVAL_MS,
          clock: clock.spec,
          nice: options.validatorNice ?? LOCAL_VALIDATOR_NICE,
        },
        logger,
        onFatal,
        onRestart: (attempt) =>
          logger.warn({ attempt }, 'chain validators thread restarted from the stores'),
      });
    } catch (error) {
      clock.close();
      throw error;
    }
    const own = new OwnSignatures();
    const engineClock = options.engineClock;
    const followerClock = engineClock
      ? new EngineChainClock(
          () => engineClock.now(),
          await lastBlockTimeMs(
            AUTHORITIES.map((a) => new PgChainStore(db.pool, addressOf(identity.authorities[a]))),
            genesis,
          ),
        )
      : null;
    let follower: ChainFollower;
    try {
      follower = await ChainFollower.start({
        pool: db.pool,
        genesis,
        validators: AUTHORITIES.map((name) => ({
          name,
          address: addressOf(identity.authorities[name]),
          url: 'worker thread',
        })),
        logger,
        onFatal,
        ...(options.onDropped ? { onDropped: options.onDropped } : {}),
        transport: new PortTransport({
          chainId: genesis.chainId,
          self: ENGINE_NODE_ID,
          port: thread.port,
          onWarning: (message) => logger.warn({ message }, 'validators thread transport'),
        }),
        verify: own.verifier(verifySignature),
        label: 'validators thread',
        ...(followerClock ? { clock: followerClock } : {}),
      });
    } catch (error) {
      await thread.stop();
      clock.close();
      throw error;
    }
    const backend: ChainBackend = {
      query: follower.query,
      submit: (tx) => follower.submit(tx),
      subscribe: (listener) => follower.subscribe(listener),
      stop: async () => {
        await follower.stop();
        await thread.stop();
        clock.close();
      },
    };
    const host = new ChainHost(options, identity, genesis, backend, null, follower, thread, own);
    await host.follow((timeMs) => followerClock?.observeBlock(timeMs));
    host.watchStalls(() => thread.status());
    logger.info(
      { chainId: identity.chainId, height: follower.query.head().height },
      'chain validators started (EGAT, MEA, PEA, ERC in a worker thread)',
    );
    return host;
  }

  private static async joinDevnet(
    options: ChainHostOptions,
    devnet: DevnetConnection,
  ): Promise<ChainHost> {
    const { db, logger } = options;
    const genesis = await bindGenesis(db, devnet.genesis);
    const own = new OwnSignatures();
    const follower = await ChainFollower.start({
      pool: db.pool,
      genesis,
      validators: devnet.validators,
      logger,
      onFatal: (error) => {
        logger.fatal({ err: error }, 'devnet follower failed');
        options.onFatal?.(error);
      },
      ...(options.onDropped ? { onDropped: options.onDropped } : {}),
      verify: own.verifier(verifySignature),
    });
    const host = new ChainHost(options, devnet.keys, genesis, follower, null, follower, null, own);
    await host.follow(() => undefined);
    logger.info(
      {
        chainId: genesis.chainId,
        height: follower.query.head().height,
        validators: devnet.validators.map((v) => `${v.name} ${v.url}`),
      },
      'following the devnet',
    );
    return host;
  }

  /** Loads what the index and balances need, catches the index up, then follows commits. */
  private async follow(observeBlock: (timeMs: number) => void): Promise<void> {
    const { logger } = this.options;
    await this.loadAddresses();
    await this.loadUnsettled();
    await this.catchUpIndex();
    this.unsubscribe = this.backend.subscribe((event) => {
      if (event.type === 'commit') {
        observeBlock(event.timeMs);
        this.onCommitEvent(event);
      } else if (event.type === 'dropped') {
        // Local mode: the validator the engine submits to re-checked its mempool after a block
        // and the transaction no longer applies (its coins were spent, it expired): the owner
        // rebuilds it. A follower reports its own drops (follower.ts).
        if (this.local) this.options.onDropped?.(event.txHash, event.code, event.message);
      } else if (event.type === 'fatal') logger.error({ err: event.error }, 'chain fatal event');
    });
  }

  /** `local`: validators in-process; `devnet`: following validator processes over WebSocket. */
  get mode(): 'local' | 'devnet' {
    return this.follower && !this.thread ? 'devnet' : 'local';
  }

  /** The validators on the engine's thread (local mode on the embedded database). */
  get network(): LocalNetwork {
    if (!this.local) throw new Error('no validators run on the engine thread');
    return this.local;
  }

  /** The validators' worker thread (local mode on PostgreSQL). */
  get validatorThread(): ValidatorThread {
    if (!this.thread) throw new Error('no validators run in a worker thread');
    return this.thread;
  }

  /**
   * Why the chain cannot be reached now (readiness), or null. In devnet mode: while no validator
   * has a link, or while the follower is still catching up with their blocks. In-process validators
   * are always reachable (finality is watched separately).
   */
  unreachableReason(): string | null {
    return this.follower?.unreachableReason() ?? null;
  }

  get chainId(): string {
    return this.genesis.chainId;
  }

  get query(): ChainQueries {
    return this.backend.query;
  }

  addressOfRole(role: SignerRole): string {
    if (role === 'bank') return addressOf(this.keys.bank);
    if (role === 'clearing') return addressOf(this.keys.clearing);
    return addressOf(this.keys.authorities[role]);
  }

  /** Subscribes to committed blocks (after the explorer index has them). */
  onCommit(listener: (event: CommitEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  // ───────────────────────────────────────────────────────────── accounts

  private async loadAddresses(): Promise<void> {
    const accounts = await this.options.db.prisma.account.findMany({
      where: { chainPublicKey: { not: null } },
      select: { id: true, chainPublicKey: true },
    });
    for (const a of accounts) this.remember(a.id, Buffer.from(a.chainPublicKey!).toString('hex'));
  }

  remember(accountId: string, address: string): void {
    this.addressByAccount.set(accountId, address);
    this.accountByAddress.set(address, accountId);
  }

  /** The chain address of an account (its public key), loading it if new. */
  async addressOf(accountId: string): Promise<string> {
    const known = this.addressByAccount.get(accountId);
    if (known) return known;
    const account = await this.options.db.prisma.account.findUnique({
      where: { id: accountId },
      select: { chainPublicKey: true },
    });
    if (!account?.chainPublicKey) throw new Error(`account ${accountId} has no chain key`);
    const address = Buffer.from(account.chainPublicKey).toString('hex');
    this.remember(accountId, address);
    return address;
  }

  knownAddress(accountId: string): string | undefined {
    return this.addressByAccount.get(accountId);
  }

  accountOfAddress(address: string): string | undefined {
    return this.accountByAddress.get(address);
  }

  private async signerOfAccount(accountId: string): Promise<Signer> {
    const cached = this.signers.get(accountId);
    if (cached) return cached;
    const account = await this.options.db.prisma.account.findUnique({
      where: { id: accountId },
      select: { chainKeyCiphertext: true },
    });
    if (!account?.chainKeyCiphertext) throw new Error(`account ${accountId} has no chain key`);
    const signer = this.remembering(
      createSigner(this.options.vault.open(accountId, account.chainKeyCiphertext)),
    );
    this.signers.set(accountId, signer);
    return signer;
  }

  private signerOfRole(role: SignerRole): Signer {
    const cached = this.signers.get(`role:${role}`);
    if (cached) return cached;
    const seed =
      role === 'bank'
        ? this.keys.bank
        : role === 'clearing'
          ? this.keys.clearing
          : this.keys.authorities[role];
    const signer = this.remembering(createSigner(seed));
    this.signers.set(`role:${role}`, signer);
    return signer;
  }

  private remembering(signer: Signer): Signer {
    return this.own ? this.own.wrap(signer) : signer;
  }

  // ───────────────────────────────────────────────────────────── transactions

  /** Builds and signs a transaction for a role the engine holds, or for an account's own key. */
  async sign<K extends TxKind>(
    by: { role: SignerRole } | { accountId: string },
    kind: K,
    body: TxBodies[K],
  ): Promise<Tx> {
    const signer =
      'role' in by ? this.signerOfRole(by.role) : await this.signerOfAccount(by.accountId);
    const q = this.query;
    const validUntilHeight = q.head().height + q.params().maxTxLifetimeBlocks;
    const tx = signTx(
      this.chainId,
      { kind, signer: signer.address, validUntilHeight, body },
      signer,
    ) as Tx;
    // Unstaked signers attach a proof-of-work stamp sized to the current mempool (POW-2).
    return stampTx(tx, q.powBitsFor(signer.address));
  }

  submit(tx: Tx): SubmitResult {
    return this.backend.submit(tx);
  }

  // ───────────────────────────────────────────────────────────── balances

  thbSatang(accountId: string): bigint {
    const address = this.addressByAccount.get(accountId);
    return address ? this.query.balance(address, 'THB') : 0n;
  }

  unsettledBuySatang(accountId: string): bigint {
    return this.unsettled.get(accountId) ?? 0n;
  }

  /** A trade's buyer owes `satang` until its settlement is final (or failed). */
  addUnsettled(accountId: string, satang: bigint): void {
    this.unsettled.set(accountId, (this.unsettled.get(accountId) ?? 0n) + satang);
  }

  settled(accountId: string, satang: bigint): void {
    const left = (this.unsettled.get(accountId) ?? 0n) - satang;
    if (left <= 0n) this.unsettled.delete(accountId);
    else this.unsettled.set(accountId, left);
  }

  private async loadUnsettled(): Promise<void> {
    const { rows } = await this.options.db.pool.query<{ buyer_id: string; owed: string }>(
      `SELECT buyer_id, sum(notional_satang + wheeling_satang + buyer_fee_satang)::text AS owed
         FROM trade WHERE settlement_status IN ('PENDING', 'SUBMITTED') GROUP BY buyer_id`,
    );
    for (const r of rows) this.unsettled.set(r.buyer_id, BigInt(r.owed));
  }

  // ───────────────────────────────────────────────────────────── explorer index

  private onCommitEvent(event: CommitEvent): void {
    this.lastCommitAtMs = Date.now();
    this.indexing = this.indexing
      .then(async () => {
        // Behind after a failed write: the retry indexes this height too, in order.
        if (this.unindexedFrom !== null) return;
        try {
          await this.indexBlock(event.height);
        } catch (err) {
          this.options.logger.error({ err, height: event.height }, 'chain index write failed');
          this.unindexedFrom = event.height;
          this.retryIndex();
        }
      })
      .then(() => {
        for (const l of this.listeners) l(event);
        this.options.onCommit?.(event);
      });
  }

  /** Blocks committed but not yet in the explorer index (after a refused index write). */
  indexLagBlocks(): number {
    return this.unindexedFrom === null
      ? 0
      : Math.max(0, this.query.head().height - this.unindexedFrom + 1);
  }

  /** Validators running in-process (local mode), or linked to the follower (devnet mode). */
  validatorsUp(): number {
    if (this.local) return this.local.nodes.filter((n) => n.isRunning).length;
    if (this.thread) return this.thread.status().filter((s) => s.running).length;
    return this.follower?.reachable().length ?? 0;
  }

  /** The first height the explorer index lacks after a failed write; null when it is whole. */
  private unindexedFrom: number | null = null;
  private indexRetry: NodeJS.Timeout | null = null;

  /**
   * A failed index write (the database refused it) is retried every second from the first
   * missing height up to the head, in order, so the index never keeps a hole; commits meanwhile
   * are still announced (settlements become final) and indexed by the retry.
   */
  private retryIndex(): void {
    this.indexRetry = setTimeout(() => {
      this.indexRetry = null;
      this.indexing = this.indexing.then(async () => {
        try {
          await this.indexBehind();
          this.options.logger.warn('chain index caught up');
        } catch (err) {
          this.options.logger.error(
            { err, height: this.unindexedFrom },
            'chain index write failed',
          );
          if (!this.stopping) this.retryIndex();
        }
      });
    }, 1_000);
  }

  private async catchUpIndex(): Promise<void> {
    const { rows } = await this.options.db.pool.query<{ h: string | null }>(
      'SELECT max(height)::text AS h FROM chain_block',
    );
    this.unindexedFrom =
      rows[0]?.h === null || rows[0]?.h === undefined ? 0 : Number(rows[0].h) + 1;
    await this.indexBehind();
  }

  /** Indexes from the first missing height up to the head, in order: the index is then whole. */
  private async indexBehind(): Promise<void> {
    while (this.unindexedFrom !== null && this.unindexedFrom <= this.query.head().height) {
      await this.indexBlock(this.unindexedFrom);
      this.unindexedFrom += 1;
    }
    this.unindexedFrom = null;
  }

  private async indexBlock(height: number): Promise<void> {
    // Local mode: the commit event may come from a validator ahead of the one queries go to.
    const found = await (this.local ? this.local.block(height) : this.query.block(height));
    if (!found) return;
    const { block } = found;
    const header = block.header;
    // One statement: the block and its transactions, both idempotent (a restart re-indexes
    // from the newest indexed height); the transactions' foreign key is checked at its end.
    await this.options.db.pool.query({
      name: 'chain-index-block',
      text: `WITH blk AS (
               INSERT INTO chain_block
                      (height, hash, parent_hash, time, proposer, round, tx_count, tx_root, state_root)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (height) DO NOTHING
               RETURNING height
             )
             INSERT INTO chain_tx (hash, height, index, kind, signer)
             SELECT u.h, $1::bigint, (u.i - 1)::int, u.k, u.s
               FROM unnest($10::text[], $11::text[], $12::text[]) WITH ORDINALITY AS u(h, k, s, i)
              WHERE EXISTS (SELECT 1 FROM blk)
             ON CONFLICT (hash) DO NOTHING`,
      values: [
        height,
        found.commit.blockHash,
        header.parentHash,
        new Date(header.timeMs),
        header.proposer,
        found.commit.round,
        block.txs.length,
        header.txRoot,
        header.stateRoot,
        block.txs.map((t) => t.hash),
        block.txs.map((t) => t.kind),
        block.txs.map((t) => t.signer),
      ],
    });
  }

  /** Waits until every commit seen so far is indexed and announced. */
  async settledIndex(): Promise<void> {
    await this.indexing;
  }

  private stallTimer: NodeJS.Timeout | null = null;

  /**
   * Logs the validators' consensus state (round, step, lock, votes per round, mempool, signatures
   * waiting for the store) when no block has committed for STALL_WARN_MS (an idle chain still
   * commits every 10 s, BLK-5), and again every STALL_WARN_MS while it lasts: what an operator
   * needs to see why finality stopped.
   */
  private watchStalls(status: () => readonly NodeConsensusStatus[]): void {
    let warnedAt = 0;
    this.stallTimer = setInterval(() => {
      const idleMs = Date.now() - this.lastCommitAtMs;
      if (idleMs < STALL_WARN_MS || Date.now() - warnedAt < STALL_WARN_MS) return;
      warnedAt = Date.now();
      this.options.logger.warn(
        { idleMs, validators: status().map(stallSummary) },
        'chain: no block has committed (blocks are due at least every 10 s)',
      );
    }, 1_000);
    this.stallTimer.unref();
  }

  /** Each in-process validator's consensus status (empty in devnet mode). */
  consensusStatus(): readonly NodeConsensusStatus[] {
    return this.local?.consensusStatus() ?? this.thread?.status() ?? [];
  }

  private stopping = false;

  async stop(): Promise<void> {
    this.stopping = true;
    if (this.indexRetry) clearTimeout(this.indexRetry);
    if (this.stallTimer) clearInterval(this.stallTimer);
    this.unsubscribe?.();
    await this.backend.stop();
    await this.indexing;
  }
}

/**
 * Binds the database to a devnet's genesis on first use; afterwards only that genesis is accepted,
 * so blocks, balances and the explorer index of two chains never mix in one database.
 */
async function bindGenesis(db: Database, genesis: GenesisConfig): Promise<GenesisConfig> {
  const json = genesisToJson(genesis);
  await db.prisma.engineState.createMany({
    data: [{ key: GENESIS_KEY, value: { json } }],
    skipDuplicates: true,
  });
  const stored = await db.prisma.engineState.findUniqueOrThrow({ where: { key: GENESIS_KEY } });
  const bound = genesisFromJson((stored.value as { json: string }).json);
  if (genesisToJson(bound) !== json) {
    throw new ChainHostError(
      'ENGINE_CHAIN_GENESIS_MISMATCH',
      `this database belongs to chain ${bound.chainId} (genesis ${new Date(bound.genesisTimeMs).toISOString()}), not to the devnet's ${genesis.chainId} (genesis ${new Date(genesis.genesisTimeMs).toISOString()}); use a fresh database for this devnet`,
    );
  }
  return bound;
}

async function loadOrCreateGenesis(db: Database, identity: ChainIdentity): Promise<GenesisConfig> {
  const row = await db.prisma.engineState.findUnique({ where: { key: GENESIS_KEY } });
  if (row) {
    const genesis = genesisFromJson((row.value as { json: string }).json);
    const ours = AUTHORITIES.every(
      (a) =>
        genesis.authorities.find((x) => x.name === a)?.address ===
        addressOf(identity.authorities[a]),
    );
    if (!ours) {
      throw new ChainHostError(
        'ENGINE_CHAIN_GENESIS_MISMATCH',
        `this database belongs to chain ${genesis.chainId}, whose validators are not the engine's own (was it used with CHAIN_MODE=devnet?); it cannot host validators in-process`,
      );
    }
    return genesis;
  }
  const links = await db.prisma.link.findMany({
    orderBy: [{ fromZone: 'asc' }, { toZone: 'asc' }],
  });
  const genesis = thailandGenesis({
    chainId: identity.chainId,
    genesisTimeMs: identity.genesisTimeMs,
    authorities: {
      EGAT: addressOf(identity.authorities.EGAT),
      MEA: addressOf(identity.authorities.MEA),
      PEA: addressOf(identity.authorities.PEA),
      ERC: addressOf(identity.authorities.ERC),
    },
    accounts: [
      { address: addressOf(identity.bank), name: 'Settlement bank', roles: ['SETTLEMENT_BANK'] },
      {
        address: addressOf(identity.clearing),
        name: 'GridTokenX clearing house',
        roles: ['CLEARING'],
        stakeSatang: CLEARING_STAKE_SATANG,
        thbSatang: CLEARING_FLOAT_SATANG,
        // As the auction's counterparty the clearing house buys from day-ahead sellers; the
        // trade rule asks every buyer for a mandate, its own included.
        mandates: [addressOf(identity.clearing)],
      },
    ],
    links: links.map((l) => ({
      from: l.fromZone,
      to: l.toZone,
      capacityWh: l.capacityWh,
      wheelingTicks: l.wheelingTicks,
    })),
  });
  await db.prisma.engineState.createMany({
    data: [{ key: GENESIS_KEY, value: { json: genesisToJson(genesis) } }],
    skipDuplicates: true,
  });
  const stored = await db.prisma.engineState.findUniqueOrThrow({ where: { key: GENESIS_KEY } });
  return genesisFromJson((stored.value as { json: string }).json);
}
