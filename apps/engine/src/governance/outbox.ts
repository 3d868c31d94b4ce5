// How proposals and votes reach the chain: `gov.propose` (GOV_PROPOSE) and `gov.vote`
// (GOV_VOTE), each signed with the key of the authority (EGAT, MEA, PEA, ERC) the proposer or
// voter acts for. A refusal marks the proposal FAILED, or the vote with the chain's code.
import type { GovernanceAction } from '@gridtokenx/chain';
import type { Authority } from '../chain/identity.ts';
import type { Database } from '../db/index.ts';
import type { Logger } from '../log.ts';
import { previousAttemptOnChain, recordAttempt } from '../settlement/dependencies.ts';
import type { OutboxBuilder, OutboxRecord } from '../settlement/worker.ts';
import { fromStored, toChainAction } from './actions.ts';

export interface ProposePayload {
  proposalId: string;
  authority: Authority;
  title: string;
  action: unknown;
  deadlineHeight: number;
  effectiveHeight: number;
}

export interface VotePayload {
  proposalId: string;
  voterId: string;
  authority: Authority;
  approve: boolean;
}

interface Deps {
  db: Database;
  logger: Logger;
  /** Called once a row is final or failed (the governance service re-reads the chain). */
  onSettled: () => void;
}

function run(deps: Deps, r: OutboxRecord, sql: string, params: unknown[]): void {
  deps.db.pool
    .query(sql, params)
    .then(deps.onSettled)
    .catch((err: unknown) => deps.logger.error({ err, key: r.key }, 'recording governance failed'));
}

function proposeBuilder(deps: Deps): OutboxBuilder {
  return {
    build(r, chain) {
      const p = r.payload as unknown as ProposePayload;
      const action: GovernanceAction | null = toChainAction(fromStored(p.action));
      if (!action) {
        return Promise.resolve({
          code: 'ENGINE_GOV_UNSUPPORTED',
          message: 'the chain has no action for this change',
        });
      }
      return chain.sign({ role: p.authority }, 'GOV_PROPOSE', {
        proposalId: p.proposalId,
        title: p.title,
        action,
        deadlineHeight: p.deadlineHeight,
        effectiveHeight: p.effectiveHeight,
      });
    },
    async alreadyOnChain(r, chain) {
      const p = r.payload as unknown as ProposePayload;
      const onChain = chain.query.proposal(p.proposalId);
      if (!onChain) return null;
      const found = await chain.query.block(onChain.createdHeight);
      const tx = found?.block.txs.find(
        (t) => t.kind === 'GOV_PROPOSE' && t.body.proposalId === p.proposalId,
      );
      return tx ? { hash: tx.hash, height: onChain.createdHeight } : null;
    },
    onSettled(r, outcome) {
      const p = r.payload as unknown as ProposePayload;
      if (outcome.final) {
        run(deps, r, `UPDATE proposal SET chain_tx_hash = $2 WHERE id = $1`, [
          p.proposalId,
          outcome.txHash ?? null,
        ]);
      } else {
        run(
          deps,
          r,
          `UPDATE proposal SET status = 'FAILED', outcome = $2 WHERE id = $1 AND status = 'OPEN'`,
          [p.proposalId, `the chain refused the proposal: ${outcome.code}`],
        );
      }
    },
  };
}

function voteBuilder(deps: Deps): OutboxBuilder {
  return {
    async build(r, chain) {
      const p = r.payload as unknown as VotePayload;
      const tx = await chain.sign({ role: p.authority }, 'GOV_VOTE', {
        proposalId: p.proposalId,
        approve: p.approve,
      });
      await recordAttempt(deps.db, r, tx.hash);
      return tx;
    },
    alreadyOnChain(r, chain) {
      return previousAttemptOnChain(deps.db, chain, r);
    },
    onSettled(r, outcome) {
      const p = r.payload as unknown as VotePayload;
      run(
        deps,
        r,
        outcome.final
          ? `UPDATE proposal_vote SET chain_tx_hash = $3, chain_error = NULL
              WHERE proposal_id = $1 AND voter_id = $2`
          : `UPDATE proposal_vote SET chain_error = $3 WHERE proposal_id = $1 AND voter_id = $2`,
        [p.proposalId, p.voterId, outcome.final ? (outcome.txHash ?? null) : outcome.code],
      );
    },
  };
}

/** Registers the governance kinds with the settlement worker. */
export function registerGovernanceOutbox(
  worker: { register(kind: string, builder: OutboxBuilder): void },
  deps: Deps,
): void {
  worker.register('gov.propose', proposeBuilder(deps));
  worker.register('gov.vote', voteBuilder(deps));
}
