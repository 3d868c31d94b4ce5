// Tendermint BFT (Buchman, Kwon, Milosevic 2018, "The latest gossip on BFT consensus"): propose,
// prevote, precommit, with rounds, locking and timeouts, weighted by voting power. The upon-rules
// are re-evaluated after every input, each guarded so it fires once; comments cite the paper's
// line numbers. Time and I/O come from the host, so the state machine is deterministic.
import { concatBytes } from '../bytes.ts';
import { encode, hex32, struct, u32, uint } from '../encoding.ts';
import { domainPrefix } from '../crypto/hash.ts';
import type { VerifyFn } from '../crypto/signature-rule.ts';
import { fromHex } from '../bytes.ts';
import type { Block } from '../block.ts';
import type { Clock } from '../clock/clock.ts';
import type { ValidatorSet } from '../state/validators.ts';
import type { Proposal } from '../transport/transport.ts';
import { makeEvidence, verifyVote } from './types.ts';
import type { CommitCertificate, Evidence, Vote, VoteType } from './types.ts';
import { RoundVotes, VoteSet } from './votes.ts';

export interface ConsensusTimeouts {
  /** Wait for a proposal: proposeMs + round × proposeDeltaMs. */
  readonly proposeMs: number;
  readonly proposeDeltaMs: number;
  readonly prevoteMs: number;
  readonly prevoteDeltaMs: number;
  readonly precommitMs: number;
  readonly precommitDeltaMs: number;
  /** With no transaction waiting, a block is still produced this long after the last (BLK-5). */
  readonly idleBlockMs: number;
  /**
   * With transactions waiting, a round-0 proposal still waits until this long after the parent
   * block's time (BLK-5; 0: propose at once). Fewer, larger blocks cost less CPU per transaction.
   */
  readonly minBlockIntervalMs: number;
  /** Proposals timed further than this into the future are not prevoted. */
  readonly maxClockDriftMs: number;
}

export const DEFAULT_TIMEOUTS: ConsensusTimeouts = {
  proposeMs: 3_000,
  proposeDeltaMs: 500,
  prevoteMs: 1_000,
  prevoteDeltaMs: 500,
  precommitMs: 1_000,
  precommitDeltaMs: 500,
  idleBlockMs: 10_000,
  minBlockIntervalMs: 0,
  maxClockDriftMs: 5_000,
};

/**
 * What a validator running as its own process (`bin/node.mjs`, the devnet) uses unless its config
 * says otherwise (BLK-5): blocks with transactions waiting at least 50 ms apart. Over WebSocket
 * each height costs every validator its votes' signature checks, two signed sign-state writes and
 * a block append; back-to-back blocks of a few transactions spent most of the CPU on that (four
 * processes on two cores: 1,000 TPS held p99 < 1 s once in four ladders; with 50 ms in every run,
 * and 1,500 too — BENCHMARKS.md). In-process validators share signature checks and keep 0.
 */
export const PROCESS_TIMEOUTS: Partial<ConsensusTimeouts> = { minBlockIntervalMs: 50 };

/** Timeouts grow with the round, up to this many rounds (CONS-8). */
const MAX_ROUND_GROWTH = 10;

export type Step = 'propose' | 'prevote' | 'precommit';

/** A validator's view of the height it is deciding (`Tendermint.status`). */
export interface ConsensusStatus {
  readonly height: number;
  readonly round: number;
  readonly step: Step;
  readonly decided: boolean;
  readonly lockedRound: number;
  readonly lockedHash: string | null;
  readonly validRound: number;
  readonly validHash: string | null;
  readonly waitingForTxs: boolean;
  /** Timers scheduled since the round started (fired ones included). */
  readonly timersScheduled: number;
  readonly futureMessages: number;
  /** Per round seen: the proposal's block hash and the voting power behind each hash ('nil'). */
  readonly rounds: readonly {
    readonly round: number;
    readonly proposal: string | null;
    readonly prevotes: Readonly<Record<string, number>>;
    readonly precommits: Readonly<Record<string, number>>;
  }[];
}

export interface ConsensusHost {
  readonly chainId: string;
  readonly clock: Clock;
  readonly timeouts: ConsensusTimeouts;
  readonly verify: VerifyFn;
  /** Our validator address, or null when this node only follows. */
  readonly self: string | null;
  hasPendingTxs(): boolean;
  createBlock(height: number, round: number): Block;
  /** Full validation of a proposed block at the current height (cached by hash). */
  validateBlock(block: Block): boolean;
  /**
   * The same without the bound against the local clock, for a block a quorum precommitted: those
   * validators found its time acceptable, and ours may lag after a restart (CONS-14).
   */
  validateDecided(block: Block): boolean;
  sendProposal(height: number, round: number, validRound: number, block: Block): void;
  /** `block` is the block a precommit is for (persisted with it, CONS-14), else null. */
  sendVote(
    type: VoteType,
    height: number,
    round: number,
    blockHash: string | null,
    block: Block | null,
  ): void;
  evidence(e: Evidence): void;
  /** A block is final; the host persists it, then calls startHeight for the next height. */
  decide(block: Block, commit: CommitCertificate, round: number): void;
  /** Optional trace of consensus steps, for operators. */
  trace?(event: string, fields: Record<string, unknown>): void;
}

const proposalCore = struct({ height: uint, round: u32, validRoundPlusOne: u32, blockHash: hex32 });

export function proposalSignBytes(
  chainId: string,
  height: number,
  round: number,
  validRound: number,
  blockHash: string,
): Uint8Array {
  return concatBytes(
    domainPrefix('proposal', chainId),
    encode(proposalCore, { height, round, validRoundPlusOne: validRound + 1, blockHash }),
  );
}

const MAX_FUTURE_MESSAGES = 10_000;

export class Tendermint {
  height = 0;
  round = 0;
  step: Step = 'propose';
  private validators!: ValidatorSet;
  private parentTimeMs = 0;
  private lockedRound = -1;
  /** Hash of the block we are locked on (the lock needs only the hash; proposals carry bodies). */
  private lockedHash: string | null = null;
  private validRound = -1;
  private validBlock: Block | null = null;
  private proposals = new Map<number, Proposal>();
  private blocks = new Map<string, Block>();
  private rounds = new Map<number, RoundVotes>();
  private fired = new Set<string>();
  private equivocations = new Set<string>();
  private timers: (() => void)[] = [];
  private decided = false;
  private waitingForTxs = false;
  /** Transactions wait, but the minimum block interval has not passed (BLK-5). */
  private waitingForInterval = false;
  private idleExtendedTimeout = false;
  private future: (Proposal | Vote)[] = [];
  /** Precommits for the previous height's decided block, for the next block's last commit. */
  private lastDecision: {
    height: number;
    round: number;
    hash: string;
    votes: VoteSet;
    validators: ValidatorSet;
  } | null = null;

  constructor(private readonly host: ConsensusHost) {}

  get isDecided(): boolean {
    return this.decided;
  }

  /** Where this validator stands in the current height, for operators diagnosing a stall. */
  status(): ConsensusStatus {
    const rounds = [...this.rounds]
      .sort((a, b) => a[0] - b[0])
      .map(([round, rv]) => ({
        round,
        proposal: this.proposals.get(round)?.block.hash ?? null,
        prevotes: rv.prevotes.tally(),
        precommits: rv.precommits.tally(),
      }));
    return {
      height: this.height,
      round: this.round,
      step: this.step,
      decided: this.decided,
      lockedRound: this.lockedRound,
      lockedHash: this.lockedHash,
      validRound: this.validRound,
      validHash: this.validBlock?.hash ?? null,
      waitingForTxs: this.waitingForTxs,
      timersScheduled: this.timers.length,
      futureMessages: this.future.length,
      rounds,
    };
  }

  /** Starts `height` with its validator set; the parent block's time bounds the idle timer. */
  startHeight(height: number, validators: ValidatorSet, parentTimeMs: number): void {
    this.clearTimers();
    if (this.decided && this.height === height - 1) this.keepDecisionVotes();
    this.height = height;
    this.validators = validators;
    this.parentTimeMs = parentTimeMs;
    this.lockedRound = -1;
    this.lockedHash = null;
    this.validRound = -1;
    this.validBlock = null;
    this.proposals = new Map();
    this.blocks = new Map();
    this.rounds = new Map();
    this.fired = new Set();
    this.equivocations = new Set();
    this.decided = false;
    this.startRound(0);
    const pending = this.future;
    this.future = [];
    for (const m of pending) {
      if ('block' in m) this.onProposal(m);
      else this.onVote(m);
    }
  }

  private decisionRound = 0;
  private decisionHash = '';

  private keepDecisionVotes(): void {
    const votes = this.roundVotes(this.decisionRound).precommits;
    this.lastDecision = {
      height: this.height,
      round: this.decisionRound,
      hash: this.decisionHash,
      votes,
      validators: this.validators,
    };
  }

  /** The commit certificate of the previous height, with every precommit seen so far. */
  lastCommit(): CommitCertificate | null {
    const d = this.lastDecision;
    if (d === null) return null;
    return certificate(d.height, d.round, d.hash, d.votes);
  }

  /** Seeds the last commit after a restart or sync (the stored certificate). */
  setLastCommit(commit: CommitCertificate, validators: ValidatorSet): void {
    const votes = new VoteSet();
    for (const s of commit.signatures) {
      votes.add(
        {
          type: 'PRECOMMIT',
          height: commit.height,
          round: commit.round,
          blockHash: commit.blockHash,
          validator: s.validator,
          signature: s.signature,
        },
        validators.powerOf(s.validator),
      );
    }
    this.lastDecision = {
      height: commit.height,
      round: commit.round,
      hash: commit.blockHash,
      votes,
      validators,
    };
  }

  stop(): void {
    this.clearTimers();
  }

  /**
   * After a restart in the middle of a height (CONS-10, CONS-14): rejoin at the round and step we
   * had signed, with our own votes counted again and the lock of our last precommit for a block.
   * `locked` is that block as the signing guard kept it: held again, it is our valid block, so we
   * re-propose it when we are proposer and can decide it once its precommits are in — without it a
   * lock on a block nobody else kept would stall the height for good. Called right after
   * startHeight for the same height.
   */
  resume(
    own: readonly { round: number; step: Step; vote: Vote | null }[],
    locked: Block | null,
  ): void {
    if (own.length === 0) return;
    const last = own[own.length - 1]!;
    for (const o of own) {
      if (
        o.vote?.type === 'PRECOMMIT' &&
        o.vote.blockHash !== null &&
        o.round >= this.lockedRound
      ) {
        this.lockedRound = o.round;
        this.lockedHash = o.vote.blockHash;
      }
    }
    if (
      locked !== null &&
      locked.hash === this.lockedHash &&
      locked.header.height === this.height
    ) {
      this.blocks.set(locked.hash, locked);
      this.validBlock = locked;
      this.validRound = this.lockedRound;
    }
    this.clearTimers();
    this.round = last.round;
    this.step = last.step;
    this.waitingForTxs = false;
    this.waitingForInterval = false;
    this.idleExtendedTimeout = false;
    if (last.step === 'propose') {
      // We proposed in this round but cannot re-send the body: wait like any non-proposer.
      const h = this.height;
      const r = this.round;
      const t = this.host.timeouts;
      this.schedule(this.timeout(t.proposeMs, t.proposeDeltaMs, r), () =>
        this.onTimeoutPropose(h, r),
      );
    }
    for (const o of own) if (o.vote !== null) this.onVote(o.vote);
    this.evaluate();
  }

  private clearTimers(): void {
    for (const cancel of this.timers) cancel();
    this.timers = [];
  }

  private schedule(delayMs: number, fn: () => void): void {
    this.timers.push(this.host.clock.setTimer(delayMs, fn));
  }

  private timeout(base: number, delta: number, round: number): number {
    return base + Math.min(round, MAX_ROUND_GROWTH) * delta;
  }

  private roundVotes(round: number): RoundVotes {
    let rv = this.rounds.get(round);
    if (rv === undefined) this.rounds.set(round, (rv = new RoundVotes()));
    return rv;
  }

  private isProposer(round: number): boolean {
    return (
      this.host.self !== null && this.validators.proposer(this.height, round) === this.host.self
    );
  }

  private isValidator(): boolean {
    return this.host.self !== null && this.validators.has(this.host.self);
  }

  /** StartRound (lines 11–21). */
  private startRound(round: number): void {
    this.host.trace?.('round', { height: this.height, round });
    this.round = round;
    this.step = 'propose';
    this.waitingForTxs = false;
    this.waitingForInterval = false;
    this.idleExtendedTimeout = false;
    const t = this.host.timeouts;
    const now = this.host.clock.now();
    const idleDue = this.parentTimeMs + t.idleBlockMs;
    if (this.isProposer(round)) {
      if (this.validBlock !== null) {
        this.host.sendProposal(this.height, round, this.validRound, this.validBlock);
      } else if (round === 0 && !this.host.hasPendingTxs() && now < idleDue) {
        // BLK-5: nothing waits, so wait for a transaction or the idle deadline.
        this.waitingForTxs = true;
        const h = this.height;
        this.schedule(idleDue - now, () => this.onIdleDeadline(h));
      } else if (round === 0 && this.intervalWait(now) > 0) {
        this.waitForInterval(this.intervalWait(now));
      } else {
        this.propose();
      }
    } else {
      const h = this.height;
      let delay = this.timeout(t.proposeMs, t.proposeDeltaMs, round);
      if (round === 0 && !this.host.hasPendingTxs() && now < idleDue) {
        delay += idleDue - now;
        this.idleExtendedTimeout = true;
      }
      this.schedule(delay, () => this.onTimeoutPropose(h, round));
    }
    this.evaluate();
  }

  /** BLK-5: how long a round-0 proposal must still wait for the minimum block interval. */
  private intervalWait(now: number): number {
    const min = this.host.timeouts.minBlockIntervalMs;
    return min > 0 ? this.parentTimeMs + min - now : 0;
  }

  private waitForInterval(delay: number): void {
    this.waitingForInterval = true;
    const h = this.height;
    this.schedule(delay, () => this.onIdleDeadline(h));
  }

  private propose(): void {
    this.waitingForTxs = false;
    this.waitingForInterval = false;
    const block = this.host.createBlock(this.height, this.round);
    this.host.sendProposal(this.height, this.round, -1, block);
  }

  private onIdleDeadline(height: number): void {
    if (
      height === this.height &&
      (this.waitingForTxs || this.waitingForInterval) &&
      this.round === 0 &&
      this.step === 'propose' &&
      !this.decided
    ) {
      // A timer may fire a little before the clock reads its deadline (timers count from the
      // event loop's cached time): "no sooner than" the interval holds by the clock itself.
      const early = this.waitingForInterval ? this.intervalWait(this.host.clock.now()) : 0;
      if (early > 0) this.waitForInterval(early);
      else this.propose();
    }
  }

  /** Called by the host when the mempool gains transactions. */
  onTxsAvailable(): void {
    if (this.decided || this.round !== 0 || this.step !== 'propose') return;
    if (this.waitingForTxs) {
      const wait = this.intervalWait(this.host.clock.now());
      if (wait > 0) {
        this.waitingForTxs = false;
        this.waitForInterval(wait);
      } else {
        this.propose();
      }
    } else if (this.idleExtendedTimeout) {
      this.idleExtendedTimeout = false;
      const h = this.height;
      const t = this.host.timeouts;
      this.schedule(t.proposeMs, () => this.onTimeoutPropose(h, 0));
    }
  }

  onProposal(p: Proposal): void {
    if (p.height === this.height + 1 || (p.height === this.height && this.decided)) {
      if (p.height === this.height + 1 && this.future.length < MAX_FUTURE_MESSAGES)
        this.future.push(p);
      return;
    }
    if (p.height !== this.height) return;
    if (this.proposals.has(p.round)) return;
    if (p.block.header.height !== p.height || p.validRound < -1 || p.validRound >= p.round) return;
    const expected = this.validators.proposer(p.height, p.round);
    if (p.proposer !== expected) return;
    const bytes = proposalSignBytes(
      this.host.chainId,
      p.height,
      p.round,
      p.validRound,
      p.block.hash,
    );
    if (!this.host.verify(fromHex(p.proposer), bytes, p.signature)) return;
    this.proposals.set(p.round, p);
    this.blocks.set(p.block.hash, p.block);
    this.evaluate();
  }

  /** Returns true when the vote was new and valid (so the host may relay it). */
  onVote(v: Vote): boolean {
    if (v.height === this.height + 1) {
      if (this.future.length < MAX_FUTURE_MESSAGES) this.future.push(v);
      return false;
    }
    const d = this.lastDecision;
    if (v.height === this.height - 1 && d !== null && d.height === v.height) {
      // Late precommits enrich the next block's last commit.
      if (
        v.type === 'PRECOMMIT' &&
        v.round === d.round &&
        v.blockHash === d.hash &&
        !d.votes.has(v.validator, v.blockHash)
      ) {
        const power = d.validators.powerOf(v.validator);
        if (power > 0 && verifyVote(this.host.chainId, v, this.host.verify)) {
          d.votes.add(v, power);
          return true;
        }
      }
      return false;
    }
    if (v.height !== this.height) return false;
    const power = this.validators.powerOf(v.validator);
    if (power === 0) return false;
    const rv = this.roundVotes(v.round);
    const set = v.type === 'PREVOTE' ? rv.prevotes : rv.precommits;
    if (set.has(v.validator, v.blockHash)) return false;
    if (!verifyVote(this.host.chainId, v, this.host.verify)) return false;
    const result = set.add(v, power);
    if (result === 'duplicate') return false;
    if (result !== 'added') {
      // Report (and let the host relay) each equivocation once, or peers echo it forever.
      const e = makeEvidence(result, v);
      const id = `${e.a.validator}|${e.a.round}|${e.a.type}|${e.a.blockHash ?? ''}|${e.b.blockHash ?? ''}`;
      if (this.equivocations.has(id)) return false;
      this.equivocations.add(id);
      this.host.evidence(e);
      this.evaluate();
      return true;
    }
    rv.noteVoter(v.validator, power);
    this.evaluate();
    return true;
  }

  private onTimeoutPropose(height: number, round: number): void {
    // Lines 57–60.
    if (
      height === this.height &&
      round === this.round &&
      this.step === 'propose' &&
      !this.decided
    ) {
      this.host.trace?.('timeout-propose', { height, round });
      this.prevote(null);
      this.evaluate();
    }
  }

  private onTimeoutPrevote(height: number, round: number): void {
    // Lines 61–64.
    if (
      height === this.height &&
      round === this.round &&
      this.step === 'prevote' &&
      !this.decided
    ) {
      this.host.trace?.('timeout-prevote', { height, round });
      this.precommit(null);
      this.evaluate();
    }
  }

  private onTimeoutPrecommit(height: number, round: number): void {
    // Lines 65–67.
    if (height === this.height && round === this.round && !this.decided) this.startRound(round + 1);
  }

  private prevote(hash: string | null): void {
    this.host.trace?.('prevote', { height: this.height, round: this.round, hash });
    this.step = 'prevote';
    if (this.isValidator()) this.host.sendVote('PREVOTE', this.height, this.round, hash, null);
  }

  private precommit(hash: string | null, block: Block | null = null): void {
    this.host.trace?.('precommit', { height: this.height, round: this.round, hash });
    this.step = 'precommit';
    if (this.isValidator()) this.host.sendVote('PRECOMMIT', this.height, this.round, hash, block);
  }

  private once(flag: string): boolean {
    if (this.fired.has(flag)) return false;
    this.fired.add(flag);
    return true;
  }

  private evaluate(): void {
    for (let guard = 0; guard < 64 && !this.decided; guard++) {
      if (!this.evaluateOnce()) return;
    }
  }

  /** One pass over the upon-rules; returns whether anything changed. */
  private evaluateOnce(): boolean {
    const vs = this.validators;
    // Lines 49–54: a quorum of precommits for a block we hold decides it, in any round.
    for (const [r, rv] of this.rounds) {
      for (const hash of rv.precommits.hashes()) {
        if (!vs.isQuorum(rv.precommits.powerFor(hash))) continue;
        const block = this.blocks.get(hash);
        if (block !== undefined && this.host.validateDecided(block)) {
          this.decide(block, r);
          return false;
        }
      }
    }
    // Lines 55–56: more than a third of the power is already in a later round: join it.
    for (const [r, rv] of this.rounds) {
      if (r > this.round && vs.isOneThird(rv.anyPower)) {
        this.startRound(r);
        return true;
      }
    }
    const rv = this.roundVotes(this.round);
    const p = this.proposals.get(this.round);
    if (this.step === 'propose' && p !== undefined) {
      const b = p.block;
      if (p.validRound === -1) {
        // Lines 22–27.
        const ok =
          this.host.validateBlock(b) && (this.lockedRound === -1 || this.lockedHash === b.hash);
        this.prevote(ok ? b.hash : null);
        return true;
      }
      const vr = this.rounds.get(p.validRound);
      if (vr !== undefined && vs.isQuorum(vr.prevotes.powerFor(b.hash))) {
        // Lines 28–33.
        const ok =
          this.host.validateBlock(b) &&
          (this.lockedRound <= p.validRound || this.lockedHash === b.hash);
        this.prevote(ok ? b.hash : null);
        return true;
      }
    }
    if (
      this.step === 'prevote' &&
      vs.isQuorum(rv.prevotes.total) &&
      this.once(`prevote-timeout:${this.round}`)
    ) {
      // Lines 34–35.
      const h = this.height;
      const r = this.round;
      const t = this.host.timeouts;
      this.schedule(this.timeout(t.prevoteMs, t.prevoteDeltaMs, r), () =>
        this.onTimeoutPrevote(h, r),
      );
    }
    if (
      this.step !== 'propose' &&
      p !== undefined &&
      vs.isQuorum(rv.prevotes.powerFor(p.block.hash)) &&
      this.host.validateBlock(p.block) &&
      this.once(`polka:${this.round}`)
    ) {
      // Lines 36–43.
      if (this.step === 'prevote') {
        this.lockedHash = p.block.hash;
        this.lockedRound = this.round;
        this.precommit(p.block.hash, p.block);
      }
      this.validBlock = p.block;
      this.validRound = this.round;
      return true;
    }
    if (this.step === 'prevote' && vs.isQuorum(rv.prevotes.powerFor(null))) {
      // Lines 44–46.
      this.precommit(null);
      return true;
    }
    if (vs.isQuorum(rv.precommits.powerFor(null))) {
      // A quorum precommitted nil: nothing can be decided in this round, so skip its timeout.
      // Moving to a later round early never endangers safety (CONS-8).
      this.startRound(this.round + 1);
      return true;
    }
    if (vs.isQuorum(rv.precommits.total) && this.once(`precommit-timeout:${this.round}`)) {
      // Lines 47–48.
      const h = this.height;
      const r = this.round;
      const t = this.host.timeouts;
      this.schedule(this.timeout(t.precommitMs, t.precommitDeltaMs, r), () =>
        this.onTimeoutPrecommit(h, r),
      );
    }
    return false;
  }

  private decide(block: Block, round: number): void {
    this.decided = true;
    this.clearTimers();
    this.decisionRound = round;
    this.decisionHash = block.hash;
    const commit = certificate(this.height, round, block.hash, this.roundVotes(round).precommits);
    this.host.decide(block, commit, round);
  }
}

function certificate(
  height: number,
  round: number,
  hash: string,
  votes: VoteSet,
): CommitCertificate {
  const signatures = votes
    .votesFor(hash)
    .map((v) => ({ validator: v.validator, signature: v.signature }))
    .sort((a, b) => (a.validator < b.validator ? -1 : 1));
  return { height, round, blockHash: hash, signatures };
}
