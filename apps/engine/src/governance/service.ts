// Governance by the grid authorities: proposals and votes go on chain (GOV_PROPOSE, GOV_VOTE)
// signed for the authority the caller acts for; the `proposal` and `proposal_vote` tables index
// them and follow the chain after every commit (tallies, PASSED, EXECUTED, EXPIRED). An executed
// market change is applied to the engine's own tables at the height it took effect on chain —
// one transaction with its audit row — then the books reload and the streams hear it.
import { randomBytes } from 'node:crypto';
import type { ProposalInfo } from '@gridtokenx/chain';
import { audit } from '../audit.ts';
import type { ChainHost } from '../chain/host.ts';
import { AUTHORITIES, type Authority } from '../chain/identity.ts';
import type { Clock } from '../clock.ts';
import type { Database } from '../db/index.ts';
import type { ProposalStatus } from '../db/generated/enums.ts';
import type { Logger } from '../log.ts';
import type { ContinuousMarkets } from '../market/continuous.ts';
import type { DayAheadMarket } from '../market/day-ahead.ts';
import { accepted, rejected, type Caller, type Result } from '../outcome.ts';
import type { Publisher } from '../streams/hub.ts';
import {
  actionProblem,
  fromStored,
  isMarketAction,
  storedAction,
  toChainAction,
  type GovAction,
} from './actions.ts';
import { applyMarketChange } from './apply.ts';

/** The chain refuses a voting period longer than this (GOV-1). */
export const MAX_VOTING_BLOCKS = 100_000;
/** Blocks left for the proposal to land and be voted on before its deadline. */
export const MIN_VOTING_BLOCKS = 3;

export interface GovernanceDeps {
  db: Database;
  chain: ChainHost | null;
  clock: Clock;
  logger: Logger;
  publish: Publisher;
  markets: ContinuousMarkets;
  dayAhead: DayAheadMarket;
  /** Runs the settlement worker now. */
  kick: () => void;
}

export interface ProposeInput {
  title: string;
  action: GovAction;
  deadlineHeight: number;
  effectiveHeight: number;
}

/** The database status for the chain's: REJECTED (deadline passed) splits by how votes went. */
export function statusOf(p: ProposalInfo): ProposalStatus {
  switch (p.status) {
    case 'OPEN':
    case 'PASSED':
    case 'EXECUTED':
    case 'FAILED':
      return p.status;
    case 'REJECTED':
      return p.noPower > p.yesPower ? 'REJECTED' : 'EXPIRED';
  }
}

const FINAL: ReadonlySet<ProposalStatus> = new Set(['REJECTED', 'EXPIRED', 'EXECUTED', 'FAILED']);

export class GovernanceService {
  /** Proposals the chain may still change (or executed market changes not yet applied). */
  private readonly watching = new Set<string>();
  private syncing: Promise<void> = Promise.resolve();
  private unsubscribe: (() => void) | null = null;

  constructor(private readonly deps: GovernanceDeps) {}

  /** Follows commits; catches up with whatever the chain decided while the engine was down. */
  async start(): Promise<void> {
    const { chain, db } = this.deps;
    if (!chain) return;
    const rows = await db.prisma.proposal.findMany({
      where: {
        OR: [
          { status: { in: ['OPEN', 'PASSED'] } },
          {
            status: 'EXECUTED',
            appliedAt: null,
            action: { path: ['type'], equals: 'MARKET_PARAM_SET' },
          },
        ],
      },
      select: { id: true },
    });
    for (const r of rows) this.watching.add(r.id);
    this.unsubscribe = chain.onCommit(() => void this.sync());
    await this.sync();
  }

  async stop(): Promise<void> {
    this.unsubscribe?.();
    this.unsubscribe = null;
    await this.syncing;
  }

  /** Re-reads every watched proposal from the chain (serialised; also after settlements). */
  sync(): Promise<void> {
    this.syncing = this.syncing
      .then(() => this.syncOnce())
      .catch((err: unknown) => this.deps.logger.error({ err }, 'governance sync failed'));
    return this.syncing;
  }

  /** The authority an AUTHORITY account acts for, if it is a validator with voting power. */
  private async authorityOf(caller: Caller): Promise<Result<Authority>> {
    const { db, chain } = this.deps;
    if (!chain) return rejected('CHAIN_UNAVAILABLE', 'The chain is not running');
    const account = await db.prisma.account.findUnique({
      where: { id: caller.accountId },
      select: { authority: true },
    });
    const authority = AUTHORITIES.find((a) => a === account?.authority);
    if (!authority) {
      return rejected('GOV_NOT_VALIDATOR', 'This account acts for no grid authority');
    }
    const address = chain.addressOfRole(authority);
    const v = chain.query.validators().find((x) => x.address === address);
    if (!v?.active || v.votingPower <= 0) {
      return rejected('GOV_NOT_VALIDATOR', `${authority} holds no voting power now`);
    }
    return accepted(authority);
  }

  async propose(caller: Caller, input: ProposeInput): Promise<Result<{ proposalId: string }>> {
    const who = await this.authorityOf(caller);
    if (!who.ok) return who;
    const chain = this.deps.chain!;
    const head = chain.query.head().height;
    const { deadlineHeight: deadline, effectiveHeight: effective } = input;
    if (
      deadline < head + MIN_VOTING_BLOCKS ||
      deadline > head + MAX_VOTING_BLOCKS ||
      effective <= deadline ||
      effective > deadline + MAX_VOTING_BLOCKS
    ) {
      return rejected(
        'GOV_BAD_HEIGHTS',
        `Need ${head + MIN_VOTING_BLOCKS} ≤ deadline ≤ ${head + MAX_VOTING_BLOCKS} and deadline < effective height (the chain is at ${head})`,
        { head },
      );
    }
    if (toChainAction(input.action) === null) {
      return rejected(
        'GOV_ACTION_UNSUPPORTED',
        'The chain cannot carry this change yet (market parameters need the chain’s market-parameter action)',
      );
    }
    const problem = actionProblem(input.action, chain.query, this.deps.markets.referenceData);
    if (problem !== null) return rejected('GOV_INVALID_ACTION', `Invalid proposal: ${problem}`);
    const proposalId = `GOV-${randomBytes(5).toString('hex').toUpperCase()}`;
    const action = storedAction(input.action);
    await this.deps.db.prisma.$transaction(async (tx) => {
      await tx.proposal.create({
        data: {
          id: proposalId,
          proposerId: caller.accountId,
          proposerAuthority: who.value,
          title: input.title,
          action: action as never,
          deadlineHeight: BigInt(deadline),
          effectiveHeight: BigInt(effective),
        },
      });
      await tx.settlementOutbox.create({
        data: {
          key: `gov.propose:${proposalId}`,
          kind: 'gov.propose',
          payload: {
            proposalId,
            authority: who.value,
            title: input.title,
            action: action as never,
            deadlineHeight: deadline,
            effectiveHeight: effective,
          },
        },
      });
      await audit(tx, {
        actorId: caller.accountId,
        action: 'gov.propose',
        target: proposalId,
        ip: caller.ip,
        requestId: caller.requestId,
        details: {
          authority: who.value,
          title: input.title,
          action: action as never,
          deadlineHeight: deadline,
          effectiveHeight: effective,
        },
      });
    });
    this.watching.add(proposalId);
    this.deps.kick();
    this.deps.publish('grid', 'proposal', { proposalId, status: 'OPEN', title: input.title });
    return accepted({ proposalId });
  }

  async vote(
    caller: Caller,
    proposalId: string,
    approve: boolean,
  ): Promise<Result<{ authority: Authority }>> {
    const who = await this.authorityOf(caller);
    if (!who.ok) return who;
    const chain = this.deps.chain!;
    const { prisma } = this.deps.db;
    const row = await prisma.proposal.findUnique({
      where: { id: proposalId },
      include: { votes: true },
    });
    if (!row) return rejected('GOV_PROPOSAL_NOT_FOUND', `No proposal ${proposalId}`);
    const onChain = chain.query.proposal(proposalId);
    if (!onChain) {
      return row.status === 'FAILED'
        ? rejected('GOV_PROPOSAL_CLOSED', `Proposal ${proposalId} failed: ${row.outcome ?? ''}`)
        : rejected('GOV_PROPOSAL_PENDING', `Proposal ${proposalId} is not on chain yet`);
    }
    if (onChain.status !== 'OPEN' || chain.query.head().height >= onChain.deadlineHeight) {
      return rejected('GOV_PROPOSAL_CLOSED', `Proposal ${proposalId} is closed for voting`);
    }
    const address = chain.addressOfRole(who.value);
    const counted = onChain.votes.some((v) => v.voter === address);
    // A vote of this authority (by any of its accounts) or of this account, not refused.
    const pending = row.votes.some(
      (v) => v.chainError === null && (v.authority === who.value || v.voterId === caller.accountId),
    );
    if (counted || pending) {
      return rejected('GOV_ALREADY_VOTED', `${who.value} already voted on ${proposalId}`);
    }
    await prisma.$transaction(async (tx) => {
      const data = { approve, authority: who.value, chainError: null, chainTxHash: null };
      await tx.proposalVote.upsert({
        where: { proposalId_voterId: { proposalId, voterId: caller.accountId } },
        create: { proposalId, voterId: caller.accountId, ...data },
        update: data,
      });
      await tx.settlementOutbox.create({
        data: {
          key: `gov.vote:${proposalId}:${who.value}:${randomBytes(4).toString('hex')}`,
          kind: 'gov.vote',
          payload: { proposalId, voterId: caller.accountId, authority: who.value, approve },
        },
      });
      await audit(tx, {
        actorId: caller.accountId,
        action: 'gov.vote',
        target: proposalId,
        ip: caller.ip,
        requestId: caller.requestId,
        details: { authority: who.value, approve },
      });
    });
    this.watching.add(proposalId);
    this.deps.kick();
    return accepted({ authority: who.value });
  }

  // ───────────────────────────────────────────────────────────── following the chain

  private async syncOnce(): Promise<void> {
    const { chain, db } = this.deps;
    if (!chain || this.watching.size === 0) return;
    const totalPower = chain.query.validators().reduce((s, v) => s + v.votingPower, 0);
    const authorityOf = new Map(AUTHORITIES.map((a) => [chain.addressOfRole(a), a]));
    for (const id of [...this.watching]) {
      const row = await db.prisma.proposal.findUnique({ where: { id } });
      if (!row) {
        this.watching.delete(id);
        continue;
      }
      const p = chain.query.proposal(id);
      if (!p) {
        // Not on chain (yet): a refused proposal was marked FAILED by its outbox row.
        if (row.status === 'FAILED') this.watching.delete(id);
        continue;
      }
      const status = statusOf(p);
      const changed =
        status !== row.status ||
        p.yesPower !== row.yesPower ||
        p.noPower !== row.noPower ||
        (status === 'OPEN' && totalPower !== row.totalPower);
      if (changed) {
        await db.prisma.$transaction(async (tx) => {
          await tx.proposal.update({
            where: { id },
            data: {
              status,
              yesPower: p.yesPower,
              noPower: p.noPower,
              ...(FINAL.has(status) && row.totalPower > 0 ? {} : { totalPower }),
              outcome: p.outcome || null,
            },
          });
          for (const v of p.votes) {
            const authority = authorityOf.get(v.voter);
            if (!authority) continue;
            await tx.proposalVote.updateMany({
              where: { proposalId: id, authority, chainError: null },
              data: { power: v.power },
            });
          }
        });
        if (status !== row.status) {
          this.deps.publish('grid', 'proposal', {
            proposalId: id,
            status,
            yesPower: p.yesPower,
            noPower: p.noPower,
            effectiveHeight: p.effectiveHeight,
          });
        }
      }
      const action = fromStored(row.action);
      if (status === 'EXECUTED' && isMarketAction(action) && row.appliedAt === null) {
        await applyMarketChange(this.deps, id, action, p);
      }
      if (FINAL.has(status)) this.watching.delete(id);
    }
  }
}
