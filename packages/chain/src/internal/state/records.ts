// Every kind of record the state holds, each under its own key prefix with its own canonical
// codec. The state root hashes key ‖ encoded value, so these codecs are consensus-critical
// (STATE-1): change one and every root changes.
import { bool, list, oneOf, struct, u32, u64, uint } from '../encoding.ts';
import type { Codec, Infer } from '../encoding.ts';
import { address, fungibleAsset, id, note, role, technology, zoneId } from '../tx/fields.ts';
import { governanceAction } from '../tx/kinds.ts';
import { paramsCodec } from './params.ts';

export const utxoCodec = struct({
  owner: address,
  asset: fungibleAsset,
  amount: u64,
  height: uint,
});
export type UtxoRecord = Infer<typeof utxoCodec>;

export const accountCodec = struct({
  name: note,
  roles: list(role, 16),
  mandates: list(address, 16),
  bondedSatang: u64,
  unbonding: list(struct({ amountSatang: u64, releaseHeight: uint }), 64),
});
export type AccountRecord = Infer<typeof accountCodec>;

export const validatorCodec = struct({
  name: note,
  weight: u32,
  active: bool,
  jailed: bool,
  slashedSatang: u64,
});
export type ValidatorRecord = Infer<typeof validatorCodec>;

/** Liveness, kept apart from the validator record: it changes every block and affects nothing else. */
export const livenessCodec = struct({ lastSignedHeight: uint });
export type LivenessRecord = Infer<typeof livenessCodec>;

export const ESCROW_STATUSES = ['OPEN', 'SETTLED', 'REFUNDED'] as const;
export const escrowCodec = struct({
  buyer: address,
  seller: address,
  clearing: address,
  buyerZone: zoneId,
  sellerZone: zoneId,
  intervalStartMs: uint,
  quantityWh: u64,
  priceTicks: u64,
  amountSatang: u64,
  status: oneOf(ESCROW_STATUSES),
  createdHeight: uint,
  closedHeight: uint,
  deliveredWh: u64,
  releasedSatang: u64,
  imbalanceChargeSatang: u64,
});
export type EscrowRecord = Infer<typeof escrowCodec>;

export const readingCodec = struct({
  owner: address,
  zone: zoneId,
  technology,
  energyWh: u64,
  recBackedWh: u64,
  height: uint,
});
export type ReadingRecord = Infer<typeof readingCodec>;

export const consumptionCodec = struct({
  owner: address,
  zone: zoneId,
  energyWh: u64,
  height: uint,
});
export type ConsumptionRecord = Infer<typeof consumptionCodec>;

export const REC_STATUSES = ['ACTIVE', 'RETIRED', 'REVOKED'] as const;
export const recCodec = struct({
  owner: address,
  amountWh: u64,
  meterId: id,
  zone: zoneId,
  technology,
  periodStartMs: uint,
  periodEndMs: uint,
  issuer: address,
  issuedHeight: uint,
  status: oneOf(REC_STATUSES),
  statusHeight: uint,
  statusNote: note,
});
export type RecRecord = Infer<typeof recCodec>;

export const refCodec = struct({ account: address, amountSatang: u64, height: uint });
export type RefRecord = Infer<typeof refCodec>;

export const zoneCodec = struct({
  id: zoneId,
  name: note,
  operator: address,
  halted: bool,
  haltReason: note,
});
export const linkCodec = struct({
  from: zoneId,
  to: zoneId,
  capacityWh: u64,
  wheelingTicks: uint,
  congested: bool,
});
export const gridCodec = struct({ zones: list(zoneCodec, 64), links: list(linkCodec, 512) });
export type ZoneRecord = Infer<typeof zoneCodec>;
export type LinkRecord = Infer<typeof linkCodec>;
export type GridRecord = Infer<typeof gridCodec>;

export const linkUseCodec = struct({ usedWh: u64 });
export type LinkUseRecord = Infer<typeof linkUseCodec>;

export const PROPOSAL_STATUSES = ['OPEN', 'PASSED', 'REJECTED', 'EXECUTED', 'FAILED'] as const;
export const proposalCodec = struct({
  proposer: address,
  title: note,
  action: governanceAction,
  createdHeight: uint,
  deadlineHeight: uint,
  effectiveHeight: uint,
  status: oneOf(PROPOSAL_STATUSES),
  yesPower: uint,
  noPower: uint,
  votes: list(struct({ voter: address, approve: bool, power: uint }), 256),
  outcome: note,
});
export type ProposalRecord = Infer<typeof proposalCodec>;

export const govIndexCodec = struct({ open: list(id, 4096), scheduled: list(id, 4096) });
export type GovIndexRecord = Infer<typeof govIndexCodec>;

export const supplyCodec = struct({ minted: u64, burned: u64 });
export type SupplyRecord = Infer<typeof supplyCodec>;

export const replayCodec = struct({ validUntilHeight: uint });
export type ReplayRecord = Infer<typeof replayCodec>;

export const evidenceRecordCodec = struct({
  validator: address,
  height: uint,
  round: u32,
  voteType: oneOf(['PREVOTE', 'PRECOMMIT'] as const),
  slashedSatang: u64,
  includedHeight: uint,
});
export type EvidenceRecord = Infer<typeof evidenceRecordCodec>;

export const validatorSetCodec = struct({
  members: list(struct({ address, power: uint }), 256),
});
export type ValidatorSetRecord = Infer<typeof validatorSetCodec>;

export const validatorSetsCodec = struct({
  /** The set that validates the next height. */
  next: validatorSetCodec,
  /** The set that validated heights before `changedAtHeight`. */
  previous: validatorSetCodec,
  changedAtHeight: uint,
});
export type ValidatorSetsRecord = Infer<typeof validatorSetsCodec>;

export const paramsRecordCodec = paramsCodec;

export const authoritiesCodec = struct({ addresses: list(address, 256) });
export type AuthoritiesRecord = Infer<typeof authoritiesCodec>;

/** Table definitions: key prefix → codec. */
export const TABLES = {
  utxo: { prefix: 'u', codec: utxoCodec },
  account: { prefix: 'a', codec: accountCodec },
  validator: { prefix: 'v', codec: validatorCodec },
  liveness: { prefix: 'ls', codec: livenessCodec },
  escrow: { prefix: 'e', codec: escrowCodec },
  reading: { prefix: 'm', codec: readingCodec },
  consumption: { prefix: 'c', codec: consumptionCodec },
  rec: { prefix: 'r', codec: recCodec },
  deposit: { prefix: 'd', codec: refCodec },
  withdrawal: { prefix: 'w', codec: refCodec },
  grid: { prefix: 'grid', codec: gridCodec },
  linkUse: { prefix: 'lu', codec: linkUseCodec },
  proposal: { prefix: 'p', codec: proposalCodec },
  govIndex: { prefix: 'gov', codec: govIndexCodec },
  supply: { prefix: 's', codec: supplyCodec },
  replay: { prefix: 'x', codec: replayCodec },
  evidence: { prefix: 'ev', codec: evidenceRecordCodec },
  validatorSets: { prefix: 'vs', codec: validatorSetsCodec },
  params: { prefix: 'params', codec: paramsRecordCodec },
  authorities: { prefix: 'auth', codec: authoritiesCodec },
} as const;

export type Tables = typeof TABLES;
export type TableName = keyof Tables;
export type RecordOf<T extends TableName> = Infer<Tables[T]['codec']>;
export interface Table<T> {
  readonly prefix: string;
  readonly codec: Codec<T>;
}

const byPrefix = new Map<string, Codec<unknown>>(
  Object.values(TABLES).map((t) => [t.prefix, t.codec as Codec<unknown>]),
);

export function keyOf(table: { readonly prefix: string }, recordId: string): string {
  return `${table.prefix}:${recordId}`;
}

/** The codec of a state key, from its prefix (the text before the first ':'). */
export function codecForKey(key: string): Codec<unknown> {
  const prefix = key.slice(0, key.indexOf(':'));
  const codec = byPrefix.get(prefix);
  if (codec === undefined) throw new TypeError(`no table for state key ${key}`);
  return codec;
}

export const SINGLETON = '_';
