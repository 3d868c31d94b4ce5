// What a governance proposal may change, as the API takes it and the database stores it: the
// exchange's market parameters (price band, tick and lot, size limits, fees, the grid emission
// factor, wheeling and link capacity per link), consensus parameters, and the validator set
// (authorities and their roles). Each is checked against the current state before it is
// submitted, so a proposal the chain would refuse is refused here with a sentence.
import {
  PARAM_BOUNDS,
  ROLES,
  type ChainQueries,
  type GovernanceAction,
  type ParamName,
} from '@gridtokenx/chain';
import { z } from 'zod';
import type { ReferenceData } from '../market/reference.ts';
import { marketParamProblem } from './market-params.ts';

const hex32 = z
  .string()
  .regex(/^[0-9a-fA-F]{64}$/, 'must be a 32-byte public key in hex')
  .transform((s) => s.toLowerCase());
const value = z.number().int().min(0).refine(Number.isSafeInteger, 'must be a safe integer');
const role = z.enum(ROLES);
const PARAM_NAMES = Object.keys(PARAM_BOUNDS) as [ParamName, ...ParamName[]];

export const govActionInput = z.discriminatedUnion('type', [
  /** An exchange market parameter (see market-params.ts for names and units). */
  z
    .object({ type: z.literal('MARKET_PARAM_SET'), name: z.string().min(1).max(64), value })
    .strict(),
  /** A consensus parameter of the chain. */
  z.object({ type: z.literal('PARAM_SET'), name: z.enum(PARAM_NAMES), value }).strict(),
  z
    .object({
      type: z.literal('AUTHORITY_REGISTER'),
      address: hex32,
      name: z.string().trim().min(1).max(100),
      weight: z.number().int().min(1).max(1_000),
      roles: z.array(role).min(1).max(8),
    })
    .strict(),
  z.object({ type: z.literal('AUTHORITY_REVOKE'), address: hex32 }).strict(),
  z.object({ type: z.literal('ROLE_GRANT'), address: hex32, role }).strict(),
  z.object({ type: z.literal('ROLE_REVOKE'), address: hex32, role }).strict(),
]);
export type GovAction = z.infer<typeof govActionInput>;

/** Stored in `proposal.action`: numbers that may exceed 2^53 on chain are kept as strings. */
export function storedAction(action: GovAction): Record<string, unknown> {
  return 'value' in action ? { ...action, value: String(action.value) } : { ...action };
}

/** The action as the database stored it (values back to numbers). */
export function fromStored(json: unknown): GovAction {
  const raw = json as Record<string, unknown>;
  return govActionInput.parse('value' in raw ? { ...raw, value: Number(raw.value) } : raw);
}

/** Whether the action changes the exchange's own tables when it takes effect. */
export function isMarketAction(
  action: GovAction,
): action is Extract<GovAction, { type: 'MARKET_PARAM_SET' }> {
  return action.type === 'MARKET_PARAM_SET';
}

/**
 * The chain's form of the action, or null when the chain has no such action yet (market
 * parameters: see the report's chain request for MARKET_PARAM_SET).
 */
export function toChainAction(action: GovAction): GovernanceAction | null {
  switch (action.type) {
    case 'MARKET_PARAM_SET':
      return null;
    case 'PARAM_SET':
      return { type: 'PARAM_SET', name: action.name, value: BigInt(action.value) };
    case 'AUTHORITY_REGISTER':
      return {
        type: 'AUTHORITY_REGISTER',
        address: action.address,
        name: action.name,
        weight: action.weight,
        roles: [...new Set(action.roles)],
      };
    case 'AUTHORITY_REVOKE':
      return { type: 'AUTHORITY_REVOKE', address: action.address };
    case 'ROLE_GRANT':
      return { type: 'ROLE_GRANT', address: action.address, role: action.role };
    case 'ROLE_REVOKE':
      return { type: 'ROLE_REVOKE', address: action.address, role: action.role };
  }
}

/** Why the action cannot apply to the current state, or null (mirrors the chain's GOV-1). */
export function actionProblem(
  action: GovAction,
  query: ChainQueries,
  reference: ReferenceData,
): string | null {
  switch (action.type) {
    case 'MARKET_PARAM_SET':
      return marketParamProblem(action.name, BigInt(action.value), reference);
    case 'PARAM_SET': {
      const [min, max] = PARAM_BOUNDS[action.name];
      const v = BigInt(action.value);
      return v < min || v > max ? `${action.name} must be within ${min}..${max}` : null;
    }
    case 'AUTHORITY_REGISTER':
      return null;
    case 'AUTHORITY_REVOKE': {
      const validators = query.validators();
      const target = validators.find((v) => v.address === action.address);
      if (!target?.active) return 'not an active authority';
      const remaining = validators.filter((v) => v.active && v.address !== action.address);
      return remaining.length === 0 ? 'the last active authority cannot be revoked' : null;
    }
    case 'ROLE_GRANT':
      return query.account(action.address)?.roles.includes(action.role) === true
        ? `the account already holds ${action.role}`
        : null;
    case 'ROLE_REVOKE':
      return query.account(action.address)?.roles.includes(action.role) === true
        ? null
        : `the account does not hold ${action.role}`;
  }
}
