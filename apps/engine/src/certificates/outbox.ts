// How certificate changes reach the chain: `rec.issue` (REC_ISSUE signed by EGAT, the REC
// issuer), `rec.transfer` and `rec.retire` (REC_TRANSFER / REC_RETIRE signed by the owner's own
// key). The certificate row follows the chain: ISSUED, moved or RETIRED once final; FAILED (or
// the pending change dropped) with the chain's code when the chain refuses it.
import type { TxKind } from '@gridtokenx/chain';
import type { ChainHost } from '../chain/host.ts';
import type { Database } from '../db/index.ts';
import type { Logger } from '../log.ts';
import { previousAttemptOnChain, recordAttempt } from '../settlement/dependencies.ts';
import type { OutboxBuilder, OutboxRecord, SettleOutcome } from '../settlement/worker.ts';
import { userRoom, type Publisher } from '../streams/hub.ts';

interface IssuePayload {
  recId: string;
  ownerId: string;
  meterId: string;
  zone: string;
  technology: string;
  periodStartMs: number;
  periodEndMs: number;
  backing: { intervalStartMs: number; energyWh: string }[];
}

interface TransferPayload {
  recId: string;
  ownerId: string;
  toId: string;
}

interface RetirePayload {
  recId: string;
  ownerId: string;
  beneficiary: string;
  claimPeriod: string;
}

/** The note a retirement carries on chain: beneficiary and claim period (≤ 256 characters). */
export function retirementNote(beneficiary: string, claimPeriod: string): string {
  return `${beneficiary} | ${claimPeriod}`.slice(0, 256);
}

interface Deps {
  db: Database;
  logger: Logger;
  publish: Publisher;
}

/** The transaction of `kind` about `recId` in the block at `height`. */
async function findInBlock(
  chain: ChainHost,
  kind: TxKind,
  recId: string,
  height: number,
): Promise<{ hash: string; height: number } | null> {
  const found = await chain.query.block(height);
  const tx = found?.block.txs.find(
    (t) => t.kind === kind && (t.body as { recId?: string }).recId === recId,
  );
  return tx ? { hash: tx.hash, height } : null;
}

/** Applies the chain's verdict to the certificate row, then tells the owner(s). */
function record(
  deps: Deps,
  r: OutboxRecord,
  sql: string,
  params: unknown[],
  what: string,
  then: () => void,
): void {
  deps.db.pool
    .query(sql, params)
    .then(then)
    .catch((err: unknown) => deps.logger.error({ err, key: r.key }, `recording ${what} failed`));
}

function issueBuilder(deps: Deps): OutboxBuilder {
  return {
    async build(r, chain) {
      const p = r.payload as unknown as IssuePayload;
      return chain.sign({ role: 'EGAT' }, 'REC_ISSUE', {
        recId: p.recId,
        owner: await chain.addressOf(p.ownerId),
        meterId: p.meterId,
        zone: p.zone,
        technology: p.technology as never,
        periodStartMs: p.periodStartMs,
        periodEndMs: p.periodEndMs,
        backing: p.backing.map((b) => ({
          intervalStartMs: b.intervalStartMs,
          energyWh: BigInt(b.energyWh),
        })),
      });
    },
    async alreadyOnChain(r, chain) {
      const p = r.payload as unknown as IssuePayload;
      const rec = chain.query.rec(p.recId);
      return rec ? findInBlock(chain, 'REC_ISSUE', p.recId, rec.issuedHeight) : null;
    },
    onSettled(r, outcome) {
      const p = r.payload as unknown as IssuePayload;
      if (outcome.final) {
        record(
          deps,
          r,
          `UPDATE certificate SET status = 'ISSUED', pending_action = NULL, chain_error = NULL,
                  chain_tx_hash = $2, issued_height = $3, status_height = $3
            WHERE id = $1 AND status = 'REQUESTED'`,
          [p.recId, outcome.txHash ?? null, outcome.height],
          'an issuance',
          () => notify(deps, p.ownerId, p.recId, outcome, 'ISSUED'),
        );
      } else {
        record(
          deps,
          r,
          `UPDATE certificate SET status = 'FAILED', pending_action = NULL, chain_error = $2
            WHERE id = $1 AND status = 'REQUESTED'`,
          [p.recId, outcome.code],
          'a failed issuance',
          () => notify(deps, p.ownerId, p.recId, outcome, 'FAILED'),
        );
      }
    },
  };
}

function transferBuilder(deps: Deps): OutboxBuilder {
  return {
    async build(r, chain) {
      const p = r.payload as unknown as TransferPayload;
      const tx = await chain.sign({ accountId: p.ownerId }, 'REC_TRANSFER', {
        recId: p.recId,
        to: await chain.addressOf(p.toId),
      });
      // A transfer names no unique reference the chain could refuse twice: remember the attempt.
      await recordAttempt(deps.db, r, tx.hash);
      return tx;
    },
    alreadyOnChain(r, chain) {
      return previousAttemptOnChain(deps.db, chain, r);
    },
    onSettled(r, outcome) {
      const p = r.payload as unknown as TransferPayload;
      if (outcome.final) {
        record(
          deps,
          r,
          `UPDATE certificate SET owner_id = $2, pending_action = NULL, chain_error = NULL,
                  chain_tx_hash = $3, status_height = $4
            WHERE id = $1 AND pending_action = 'TRANSFER'`,
          [p.recId, p.toId, outcome.txHash ?? null, outcome.height],
          'a transfer',
          () => {
            notify(deps, p.ownerId, p.recId, outcome, 'TRANSFERRED');
            notify(deps, p.toId, p.recId, outcome, 'RECEIVED');
          },
        );
      } else {
        record(
          deps,
          r,
          `UPDATE certificate SET pending_action = NULL, chain_error = $2
            WHERE id = $1 AND pending_action = 'TRANSFER'`,
          [p.recId, `REC_TRANSFER ${outcome.code}`],
          'a failed transfer',
          () => notify(deps, p.ownerId, p.recId, outcome, 'TRANSFER_FAILED'),
        );
      }
    },
  };
}

function retireBuilder(deps: Deps): OutboxBuilder {
  return {
    build(r, chain) {
      const p = r.payload as unknown as RetirePayload;
      return chain.sign({ accountId: p.ownerId }, 'REC_RETIRE', {
        recId: p.recId,
        beneficiary: retirementNote(p.beneficiary, p.claimPeriod),
      });
    },
    async alreadyOnChain(r, chain) {
      const p = r.payload as unknown as RetirePayload;
      const rec = chain.query.rec(p.recId);
      return rec?.status === 'RETIRED'
        ? findInBlock(chain, 'REC_RETIRE', p.recId, rec.statusHeight)
        : null;
    },
    onSettled(r, outcome) {
      const p = r.payload as unknown as RetirePayload;
      if (outcome.final) {
        record(
          deps,
          r,
          `UPDATE certificate SET status = 'RETIRED', pending_action = NULL, chain_error = NULL,
                  beneficiary = $2, claim_period = $3, retired_at = now(),
                  chain_tx_hash = $4, status_height = $5
            WHERE id = $1 AND pending_action = 'RETIRE'`,
          [p.recId, p.beneficiary, p.claimPeriod, outcome.txHash ?? null, outcome.height],
          'a retirement',
          () => notify(deps, p.ownerId, p.recId, outcome, 'RETIRED'),
        );
      } else {
        record(
          deps,
          r,
          `UPDATE certificate SET pending_action = NULL, chain_error = $2
            WHERE id = $1 AND pending_action = 'RETIRE'`,
          [p.recId, `REC_RETIRE ${outcome.code}`],
          'a failed retirement',
          () => notify(deps, p.ownerId, p.recId, outcome, 'RETIRE_FAILED'),
        );
      }
    },
  };
}

function notify(
  deps: Deps,
  accountId: string,
  recId: string,
  outcome: SettleOutcome,
  status: string,
): void {
  deps.publish(userRoom(accountId), 'rec', {
    id: recId,
    status,
    height: outcome.height,
    code: outcome.code,
  });
}

/** Registers the certificate kinds with the settlement worker. */
export function registerCertificateOutbox(
  worker: { register(kind: string, builder: OutboxBuilder): void },
  deps: Deps,
): void {
  worker.register('rec.issue', issueBuilder(deps));
  worker.register('rec.transfer', transferBuilder(deps));
  worker.register('rec.retire', retireBuilder(deps));
}
