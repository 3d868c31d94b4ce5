// Governance (GOV-1..5): active validators propose and vote with their voting power; a proposal
// passes once yes power exceeds the quorum share of total power before its deadline, and its
// action takes effect at the end of its stated effective height.
import { reject } from '../../../errors.ts';
import type { Rejection } from '../../../errors.ts';
import { isHex32 } from '../../bytes.ts';
import { fromHex } from '../../bytes.ts';
import { isAcceptablePublicKey } from '../../crypto/signature-rule.ts';
import type { GovernanceAction } from '../../tx/kinds.ts';
import type { SignedTx } from '../../tx/tx.ts';
import { isParamName, PARAM_BOUNDS, withParam } from '../params.ts';
import type { ChainParams } from '../params.ts';
import type { ProposalRecord } from '../records.ts';
import { SINGLETON } from '../records.ts';
import { computeValidatorSet } from '../validators.ts';
import { getRecord, putRecord } from '../view.ts';
import type { Overlay } from '../view.ts';
import { emptyAccount, isActiveValidator } from './context.ts';
import type { TxContext } from './context.ts';

const MAX_VOTING_PERIOD = 100_000;

function paramsOf(view: Overlay): ChainParams {
  const params = getRecord(view, 'params', SINGLETON);
  if (params === undefined) throw new Error('params record missing');
  return params;
}

/** Why an action cannot apply to the current state, or null if it can. */
export function actionProblem(view: Overlay, action: GovernanceAction): string | null {
  switch (action.type) {
    case 'PARAM_SET': {
      if (!isParamName(action.name)) return `unknown parameter ${action.name}`;
      const [min, max] = PARAM_BOUNDS[action.name];
      if (action.value < min || action.value > max)
        return `${action.name} must be within ${min}..${max}`;
      return null;
    }
    case 'AUTHORITY_REGISTER':
      if (!isHex32(action.address) || !isAcceptablePublicKey(fromHex(action.address))) {
        return 'authority address is not an acceptable ed25519 public key';
      }
      return action.weight > 0 ? null : 'authority weight must be positive';
    case 'AUTHORITY_REVOKE':
      return getRecord(view, 'validator', action.address)?.active === true
        ? null
        : 'not an active authority';
    case 'ROLE_GRANT':
      return null;
    case 'ROLE_REVOKE':
      return getRecord(view, 'account', action.address)?.roles.includes(action.role) === true
        ? null
        : `account does not hold ${action.role}`;
  }
}

function applyAction(view: Overlay, action: GovernanceAction): void {
  switch (action.type) {
    case 'PARAM_SET':
      if (isParamName(action.name)) {
        putRecord(view, 'params', SINGLETON, withParam(paramsOf(view), action.name, action.value));
      }
      return;
    case 'AUTHORITY_REGISTER': {
      const existing = getRecord(view, 'validator', action.address);
      putRecord(view, 'validator', action.address, {
        name: action.name,
        weight: action.weight,
        active: true,
        jailed: false,
        slashedSatang: existing?.slashedSatang ?? 0n,
      });
      const list = getRecord(view, 'authorities', SINGLETON)?.addresses ?? [];
      if (!list.includes(action.address)) {
        putRecord(view, 'authorities', SINGLETON, { addresses: [...list, action.address].sort() });
      }
      const account = getRecord(view, 'account', action.address) ?? emptyAccount();
      putRecord(view, 'account', action.address, {
        ...account,
        name: action.name,
        roles: [...new Set(action.roles)].sort(),
      });
      return;
    }
    case 'AUTHORITY_REVOKE': {
      const v = getRecord(view, 'validator', action.address);
      if (v !== undefined) putRecord(view, 'validator', action.address, { ...v, active: false });
      return;
    }
    case 'ROLE_GRANT': {
      const account = getRecord(view, 'account', action.address) ?? emptyAccount();
      if (!account.roles.includes(action.role)) {
        putRecord(view, 'account', action.address, {
          ...account,
          roles: [...account.roles, action.role].sort(),
        });
      }
      return;
    }
    case 'ROLE_REVOKE': {
      const account = getRecord(view, 'account', action.address);
      if (account !== undefined) {
        putRecord(view, 'account', action.address, {
          ...account,
          roles: account.roles.filter((r) => r !== action.role),
        });
      }
      return;
    }
  }
}

function govIndex(view: Overlay): { open: readonly string[]; scheduled: readonly string[] } {
  return getRecord(view, 'govIndex', SINGLETON) ?? { open: [], scheduled: [] };
}

export function govPropose(ctx: TxContext, tx: SignedTx<'GOV_PROPOSE'>): Rejection | null {
  const b = tx.body;
  const h = ctx.env.height;
  if (!isActiveValidator(ctx.view, tx.signer)) {
    return reject('CHAIN_UNAUTHORIZED', 'only an active authority may propose');
  }
  if (getRecord(ctx.view, 'proposal', b.proposalId) !== undefined) {
    return reject('CHAIN_PROPOSAL_EXISTS', `proposal ${b.proposalId} exists`);
  }
  if (!(
    h < b.deadlineHeight &&
    b.deadlineHeight < b.effectiveHeight &&
    b.deadlineHeight <= h + MAX_VOTING_PERIOD
  )) {
    return reject(
      'CHAIN_BAD_PROPOSAL',
      `need height ${h} < deadline ${b.deadlineHeight} < effective ${b.effectiveHeight}, voting ≤ ${MAX_VOTING_PERIOD} blocks`,
    );
  }
  const problem = actionProblem(ctx.view, b.action);
  if (problem !== null) return reject('CHAIN_BAD_PROPOSAL', problem);
  putRecord(ctx.view, 'proposal', b.proposalId, {
    proposer: tx.signer,
    title: b.title,
    action: b.action,
    createdHeight: h,
    deadlineHeight: b.deadlineHeight,
    effectiveHeight: b.effectiveHeight,
    status: 'OPEN',
    yesPower: 0,
    noPower: 0,
    votes: [],
    outcome: '',
  });
  const index = govIndex(ctx.view);
  putRecord(ctx.view, 'govIndex', SINGLETON, { ...index, open: [...index.open, b.proposalId] });
  return null;
}

export function govVote(ctx: TxContext, tx: SignedTx<'GOV_VOTE'>): Rejection | null {
  const { proposalId, approve } = tx.body;
  const set = computeValidatorSet(ctx.view, ctx.env.params);
  const power = set.powerOf(tx.signer);
  if (power === 0)
    return reject('CHAIN_UNAUTHORIZED', 'only a validator with voting power may vote');
  const proposal = getRecord(ctx.view, 'proposal', proposalId);
  if (proposal === undefined)
    return reject('CHAIN_PROPOSAL_NOT_FOUND', `no proposal ${proposalId}`);
  if (proposal.status !== 'OPEN' || ctx.env.height > proposal.deadlineHeight) {
    return reject('CHAIN_PROPOSAL_CLOSED', `proposal ${proposalId} is ${proposal.status}`);
  }
  if (proposal.votes.some((v) => v.voter === tx.signer)) {
    return reject('CHAIN_ALREADY_VOTED', `${tx.signer} already voted on ${proposalId}`);
  }
  const yesPower = proposal.yesPower + (approve ? power : 0);
  const noPower = proposal.noPower + (approve ? 0 : power);
  const passed = yesPower * 10_000 > ctx.env.params.proposalQuorumBps * set.totalPower;
  const next: ProposalRecord = {
    ...proposal,
    yesPower,
    noPower,
    votes: [...proposal.votes, { voter: tx.signer, approve, power }],
    status: passed ? 'PASSED' : 'OPEN',
  };
  putRecord(ctx.view, 'proposal', proposalId, next);
  if (passed) {
    const index = govIndex(ctx.view);
    putRecord(ctx.view, 'govIndex', SINGLETON, {
      open: index.open.filter((id) => id !== proposalId),
      scheduled: [...index.scheduled, proposalId],
    });
  }
  return null;
}

/** GOV-3, GOV-4: end-of-block work at `height`: expire proposals, execute scheduled ones. */
export function governanceEndBlock(view: Overlay, height: number): void {
  const index = govIndex(view);
  if (index.open.length === 0 && index.scheduled.length === 0) return;
  const open: string[] = [];
  for (const id of index.open) {
    const p = getRecord(view, 'proposal', id);
    if (p === undefined) continue;
    if (height >= p.deadlineHeight) {
      putRecord(view, 'proposal', id, {
        ...p,
        status: 'REJECTED',
        outcome: 'quorum not reached by the deadline',
      });
    } else {
      open.push(id);
    }
  }
  const scheduled: string[] = [];
  for (const id of index.scheduled) {
    const p = getRecord(view, 'proposal', id);
    if (p === undefined) continue;
    if (height < p.effectiveHeight) {
      scheduled.push(id);
      continue;
    }
    const problem = actionProblem(view, p.action);
    if (problem === null) applyAction(view, p.action);
    putRecord(view, 'proposal', id, {
      ...p,
      status: problem === null ? 'EXECUTED' : 'FAILED',
      outcome: problem ?? `executed at height ${height}`,
    });
  }
  if (open.length !== index.open.length || scheduled.length !== index.scheduled.length) {
    putRecord(view, 'govIndex', SINGLETON, { open, scheduled });
  }
}
