// The state transition function. applyTx runs the checks every transaction shares (size,
// lifetime, replay, PoW) and then its kind's rules, atomically. executeBlock runs a whole block:
// replay pruning, liveness from the last commit, evidence and slashing, transactions, then
// governance and the next validator set — a pure function of (state, block).
import { reject } from '../../errors.ts';
import type { Rejection } from '../../errors.ts';
import { toHex } from '../bytes.ts';
import { encode } from '../encoding.ts';
import { domainPrefix, sha256Parts } from '../crypto/hash.ts';
import type { VerifyFn } from '../crypto/signature-rule.ts';
import { checkEvidence, evidenceId } from '../consensus/types.ts';
import type { CommitCertificate, Evidence } from '../consensus/types.ts';
import type { Outpoint } from '../tx/fields.ts';
import { powStampBits } from '../tx/pow.ts';
import type { Tx } from '../tx/tx.ts';
import { REPLAY_KEYED_KINDS } from '../tx/kinds.ts';
import type { ChainParams } from './params.ts';
import { gridCodec, keyOf, SINGLETON, TABLES } from './records.ts';
import type { GridRecord } from './records.ts';
import { computeValidatorSet, ValidatorSet } from './validators.ts';
import { getRecord, Overlay, putRecord } from './view.ts';
import type { CommittedState, PreparedCommit, StateReader } from './view.ts';
import { TxContext } from './rules/context.ts';
import type { ExecEnv } from './rules/context.ts';
import {
  consumptionBurn,
  mandateSet,
  meterMint,
  thbIssue,
  thbRedeem,
  transfer,
} from './rules/energy.ts';
import { deliverySettle, escrowRefund, tradeSettle } from './rules/trade.ts';
import { recIssue, recRetire, recRevoke, recTransfer } from './rules/rec.ts';
import { congestionSet, linkSet, zoneHalt, zoneResume } from './rules/grid.ts';
import { slash, stakeBond, stakeUnbond, stakeWithdraw } from './rules/stake.ts';
import { governanceEndBlock, govPropose, govVote } from './rules/governance.ts';

export type { ExecEnv };

export type TxOutcome = { readonly ok: true; readonly outputs: readonly Outpoint[] } | Rejection;

export function paramsOf(view: StateReader): ChainParams {
  const params = getRecord(view, 'params', SINGLETON);
  if (params === undefined) throw new Error('params record missing');
  return params;
}

/** POW-1: authorities and accounts with enough bonded stake need no stamp. */
export function isPowExempt(view: StateReader, address: string, params: ChainParams): boolean {
  const v = getRecord(view, 'validator', address);
  if (v !== undefined && v.active) return true;
  const bonded = getRecord(view, 'account', address)?.bondedSatang ?? 0n;
  return bonded >= params.powExemptStakeSatang && bonded > 0n;
}

function dispatch(ctx: TxContext, tx: Tx): Rejection | null {
  switch (tx.kind) {
    case 'METER_MINT':
      return meterMint(ctx, tx);
    case 'CONSUMPTION_BURN':
      return consumptionBurn(ctx, tx);
    case 'TRANSFER':
      return transfer(ctx, tx);
    case 'TRADE_SETTLE':
      return tradeSettle(ctx, tx);
    case 'DELIVERY_SETTLE':
      return deliverySettle(ctx, tx);
    case 'ESCROW_REFUND':
      return escrowRefund(ctx, tx);
    case 'THB_ISSUE':
      return thbIssue(ctx, tx);
    case 'THB_REDEEM':
      return thbRedeem(ctx, tx);
    case 'MANDATE_SET':
      return mandateSet(ctx, tx);
    case 'STAKE_BOND':
      return stakeBond(ctx, tx);
    case 'STAKE_UNBOND':
      return stakeUnbond(ctx, tx);
    case 'STAKE_WITHDRAW':
      return stakeWithdraw(ctx, tx);
    case 'GOV_PROPOSE':
      return govPropose(ctx, tx);
    case 'GOV_VOTE':
      return govVote(ctx, tx);
    case 'GRID_ZONE_HALT':
      return zoneHalt(ctx, tx);
    case 'GRID_ZONE_RESUME':
      return zoneResume(ctx, tx);
    case 'GRID_LINK_SET':
      return linkSet(ctx, tx);
    case 'GRID_CONGESTION_SET':
      return congestionSet(ctx, tx);
    case 'REC_ISSUE':
      return recIssue(ctx, tx);
    case 'REC_TRANSFER':
      return recTransfer(ctx, tx);
    case 'REC_RETIRE':
      return recRetire(ctx, tx);
    case 'REC_REVOKE':
      return recRevoke(ctx, tx);
  }
}

/**
 * Applies one transaction whose signature was already verified (TX-8). On rejection nothing is
 * written; on success its writes stay in `view` and its replay key is recorded (TX-6).
 */
export function applyTx(view: Overlay, env: ExecEnv, tx: Tx): TxOutcome {
  const { params, height } = env;
  if (tx.bytes.length > params.txMaxBytes) {
    return reject(
      'CHAIN_TX_TOO_LARGE',
      `transaction is ${tx.bytes.length} bytes, limit ${params.txMaxBytes}`,
    );
  }
  if (tx.validUntilHeight < height) {
    return reject(
      'CHAIN_TX_EXPIRED',
      `valid until ${tx.validUntilHeight}, block height is ${height}`,
    );
  }
  if (tx.validUntilHeight > height + params.maxTxLifetimeBlocks) {
    return reject(
      'CHAIN_TX_LIFETIME_TOO_LONG',
      `valid until ${tx.validUntilHeight}, at most ${height + params.maxTxLifetimeBlocks} allowed`,
    );
  }
  const replayKey = REPLAY_KEYED_KINDS.has(tx.kind) ? keyOf(TABLES.replay, tx.hash) : null;
  if (replayKey !== null && view.get(replayKey) !== undefined) {
    return reject('CHAIN_TX_DUPLICATE', `transaction ${tx.hash} was already included`);
  }
  if (env.powBits > 0 && !isPowExempt(view, tx.signer, params)) {
    const bits = powStampBits(env.chainId, tx.hashBytes, tx.powNonce);
    if (bits < env.powBits) {
      return reject(
        'CHAIN_POW_REQUIRED',
        `signer has no stake: stamp has ${bits} bits, ${env.powBits} required`,
      );
    }
  }
  const ctx = new TxContext(view, env, tx);
  let rejection: Rejection | null;
  try {
    rejection = dispatch(ctx, tx);
  } catch (err) {
    view.rollback();
    throw err;
  }
  if (rejection !== null) {
    view.rollback();
    return rejection;
  }
  ctx.finish();
  if (replayKey !== null) view.put(replayKey, { validUntilHeight: tx.validUntilHeight });
  view.settle();
  return { ok: true, outputs: ctx.outputs };
}

export function gridHashOf(chainId: string, grid: GridRecord): string {
  return toHex(sha256Parts(domainPrefix('grid', chainId), encode(gridCodec, grid)));
}

export interface BlockEnv {
  readonly chainId: string;
  readonly height: number;
  readonly timeMs: number;
  readonly txs: readonly Tx[];
  readonly evidence: readonly Evidence[];
  /** Already verified against the previous validator set by the caller. */
  readonly lastCommit: CommitCertificate | null;
  readonly verify: VerifyFn;
}

export interface TxApplied {
  readonly tx: Tx;
  readonly outputs: readonly Outpoint[];
}

export interface BlockExecution {
  readonly applied: readonly TxApplied[];
  /** Transactions left out while proposing (never non-empty when validating). */
  readonly dropped: readonly { readonly tx: Tx; readonly rejection: Rejection }[];
  readonly evidence: readonly Evidence[];
  readonly prepared: PreparedCommit;
  readonly stateRoot: string;
  readonly gridHash: string;
  readonly nextValidators: ValidatorSet;
}

export type BlockMode = 'propose' | 'validate';

/**
 * Executes a block on top of `state` without changing it. In 'propose' mode invalid transactions
 * and evidence are dropped; in 'validate' mode the first one makes the block invalid.
 */
export function executeBlock(
  state: CommittedState,
  env: BlockEnv,
  mode: BlockMode,
  bodyLimit?: number,
): BlockExecution | Rejection {
  const view = new Overlay(state);
  const params = paramsOf(state);
  const h = env.height;

  for (const key of state.expiredReplayKeys(h)) view.del(key);
  view.settle();

  if (env.lastCommit !== null) {
    for (const s of env.lastCommit.signatures) {
      if (getRecord(view, 'validator', s.validator) === undefined) continue;
      const seen = getRecord(view, 'liveness', s.validator)?.lastSignedHeight ?? 0;
      if (seen < env.lastCommit.height) {
        putRecord(view, 'liveness', s.validator, { lastSignedHeight: env.lastCommit.height });
      }
    }
    view.settle();
  }

  const evidence: Evidence[] = [];
  const seenEvidence = new Set<string>();
  for (const e of env.evidence) {
    const problem = evidenceProblem(view, env, params, e, seenEvidence);
    if (problem !== null) {
      if (mode === 'validate') return reject('CHAIN_BAD_EVIDENCE', problem);
      continue;
    }
    const id = evidenceId(e);
    seenEvidence.add(id);
    const burned = slash(view, e.a.validator, params);
    putRecord(view, 'evidence', id, {
      validator: e.a.validator,
      height: e.a.height,
      round: e.a.round,
      voteType: e.a.type,
      slashedSatang: burned,
      includedHeight: h,
    });
    view.settle();
    evidence.push(e);
  }

  const txEnv: ExecEnv = {
    chainId: env.chainId,
    height: h,
    timeMs: env.timeMs,
    params,
    powBits: params.powBaseBits,
  };
  const applied: TxApplied[] = [];
  const dropped: { tx: Tx; rejection: Rejection }[] = [];
  let bodyBytes = 0;
  const limit = bodyLimit ?? params.blockMaxBytes;
  for (const tx of env.txs) {
    if (bodyBytes + tx.bytes.length > limit) {
      if (mode === 'validate')
        return reject('CHAIN_BAD_BLOCK', `block body exceeds ${limit} bytes`);
      continue;
    }
    const outcome = applyTx(view, txEnv, tx);
    if (!outcome.ok) {
      if (mode === 'validate') {
        return reject(
          'CHAIN_BAD_BLOCK',
          `transaction ${tx.hash} is invalid: ${outcome.code} ${outcome.message}`,
        );
      }
      dropped.push({ tx, rejection: outcome });
      continue;
    }
    bodyBytes += tx.bytes.length;
    applied.push({ tx, outputs: outcome.outputs });
  }

  governanceEndBlock(view, h);
  const nextParams = paramsOf(view);
  const nextValidators = computeValidatorSet(view, nextParams);
  const sets = getRecord(view, 'validatorSets', SINGLETON);
  const current = sets === undefined ? undefined : ValidatorSet.fromRecord(sets.next);
  if (sets === undefined || current === undefined || !current.equals(nextValidators)) {
    putRecord(view, 'validatorSets', SINGLETON, {
      next: nextValidators.toRecord(),
      previous: sets?.next ?? nextValidators.toRecord(),
      changedAtHeight: h + 1,
    });
  }
  view.settle();

  const grid = getRecord(view, 'grid', SINGLETON);
  if (grid === undefined) throw new Error('grid record missing');
  const prepared = state.prepare(view.changes());
  return {
    applied,
    dropped,
    evidence,
    prepared,
    stateRoot: toHex(prepared.stateRoot),
    gridHash: gridHashOf(env.chainId, grid),
    nextValidators,
  };
}

function evidenceProblem(
  view: Overlay,
  env: BlockEnv,
  params: ChainParams,
  e: Evidence,
  seen: Set<string>,
): string | null {
  const problem = checkEvidence(env.chainId, e, env.verify);
  if (problem !== null) return problem;
  if (e.a.height >= env.height) return 'evidence is not from an earlier height';
  if (env.height - e.a.height > params.evidenceMaxAgeBlocks) return 'evidence is too old';
  if (getRecord(view, 'validator', e.a.validator) === undefined)
    return 'evidence names no authority';
  const id = evidenceId(e);
  if (seen.has(id) || getRecord(view, 'evidence', id) !== undefined)
    return 'evidence already recorded';
  return null;
}
