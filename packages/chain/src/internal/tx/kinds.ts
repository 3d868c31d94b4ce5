// The closed list of transaction kinds and each kind's body. A kind's code is its position in
// TX_KINDS (plus one): append new kinds at the end, never reorder, or old signatures break.
import { bool, list, struct, tagged, u32, u64, uint } from '../encoding.ts';
import type { Codec, Infer } from '../encoding.ts';
import { address, fungibleAsset, id, note, outpoint, role, technology, zoneId } from './fields.ts';

/** Inputs per transaction are bounded so a transaction stays small (TX-3). */
export const MAX_INPUTS = 64;
export const MAX_OUTPUTS = 64;

const inputs = list(outpoint, MAX_INPUTS);

export const governanceAction = tagged({
  PARAM_SET: struct({ name: id, value: u64 }),
  AUTHORITY_REGISTER: struct({
    address,
    name: note,
    weight: u32,
    roles: list(role, 8),
  }),
  AUTHORITY_REVOKE: struct({ address }),
  ROLE_GRANT: struct({ address, role }),
  ROLE_REVOKE: struct({ address, role }),
});
export type GovernanceAction = Infer<typeof governanceAction>;

const output = struct({ owner: address, asset: fungibleAsset, amount: u64 });
export type TransferOutput = Infer<typeof output>;

export const BODY_CODECS = {
  METER_MINT: struct({
    meterId: id,
    owner: address,
    zone: zoneId,
    technology,
    intervalStartMs: uint,
    energyWh: u64,
  }),
  CONSUMPTION_BURN: struct({
    meterId: id,
    owner: address,
    zone: zoneId,
    intervalStartMs: uint,
    energyWh: u64,
    inputs,
  }),
  TRANSFER: struct({ inputs, outputs: list(output, MAX_OUTPUTS) }),
  TRADE_SETTLE: struct({
    tradeId: id,
    buyer: address,
    seller: address,
    buyerZone: zoneId,
    sellerZone: zoneId,
    intervalStartMs: uint,
    quantityWh: u64,
    priceTicks: u64,
    amountSatang: u64,
    inputs,
  }),
  DELIVERY_SETTLE: struct({
    tradeId: id,
    deliveredWh: u64,
    imbalanceChargeSatang: u64,
    imbalanceAccount: address,
    inputs,
  }),
  ESCROW_REFUND: struct({ tradeId: id, reason: note }),
  THB_ISSUE: struct({ depositRef: id, to: address, amountSatang: u64 }),
  THB_REDEEM: struct({ withdrawalRef: id, amountSatang: u64, inputs }),
  MANDATE_SET: struct({ clearing: address, granted: bool }),
  STAKE_BOND: struct({ amountSatang: u64, inputs }),
  STAKE_UNBOND: struct({ amountSatang: u64 }),
  STAKE_WITHDRAW: struct({}),
  GOV_PROPOSE: struct({
    proposalId: id,
    title: note,
    action: governanceAction,
    deadlineHeight: uint,
    effectiveHeight: uint,
  }),
  GOV_VOTE: struct({ proposalId: id, approve: bool }),
  GRID_ZONE_HALT: struct({ zone: zoneId, reason: note }),
  GRID_ZONE_RESUME: struct({ zone: zoneId }),
  GRID_LINK_SET: struct({ from: zoneId, to: zoneId, capacityWh: u64, wheelingTicks: uint }),
  GRID_CONGESTION_SET: struct({ from: zoneId, to: zoneId, congested: bool }),
  REC_ISSUE: struct({
    recId: id,
    owner: address,
    meterId: id,
    zone: zoneId,
    technology,
    periodStartMs: uint,
    periodEndMs: uint,
    backing: list(struct({ intervalStartMs: uint, energyWh: u64 }), 256),
  }),
  REC_TRANSFER: struct({ recId: id, to: address }),
  REC_RETIRE: struct({ recId: id, beneficiary: note }),
  REC_REVOKE: struct({ recId: id, reason: note }),
} as const;

export type TxKind = keyof typeof BODY_CODECS;
export const TX_KINDS = Object.keys(BODY_CODECS) as TxKind[];

export type TxBodies = { [K in TxKind]: Infer<(typeof BODY_CODECS)[K]> };
export type TxBody<K extends TxKind = TxKind> = TxBodies[K];

export function kindCode(kind: TxKind): number {
  return TX_KINDS.indexOf(kind) + 1;
}

export function kindOfCode(code: number): TxKind | undefined {
  return TX_KINDS[code - 1];
}

export function bodyCodec<K extends TxKind>(kind: K): Codec<TxBodies[K]> {
  return BODY_CODECS[kind] as unknown as Codec<TxBodies[K]>;
}

/** Grid-emergency kinds are ordered first in every block (BLK-6). */
export const EMERGENCY_KINDS: ReadonlySet<TxKind> = new Set([
  'GRID_ZONE_HALT',
  'GRID_ZONE_RESUME',
  'GRID_CONGESTION_SET',
]);

/**
 * TX-6: kinds a replay could re-apply (they neither spend a coin nor create a record whose id
 * can never repeat). Only these record their hash in the replay set; every other kind is
 * replay-proof by construction (spent inputs, or a permanently unique id such as a tradeId,
 * meter interval, deposit reference, REC id, proposal id, one vote per authority, or an escrow or
 * REC that changes state one way).
 */
export const REPLAY_KEYED_KINDS: ReadonlySet<TxKind> = new Set<TxKind>([
  'MANDATE_SET',
  'STAKE_UNBOND',
  'STAKE_WITHDRAW',
  'GRID_ZONE_HALT',
  'GRID_ZONE_RESUME',
  'GRID_LINK_SET',
  'GRID_CONGESTION_SET',
  'REC_TRANSFER',
]);
