// Field codecs shared by transaction bodies and state records: addresses, identifiers, zones,
// assets, technologies, roles, outpoints. Identifiers are restricted so state keys stay injective.
import { hex32, oneOf, struct, text, u16 } from '../encoding.ts';
import type { Infer } from '../encoding.ts';

export const address = hex32;
export const hash32 = hex32;

/** Trade ids, meter ids, REC ids, references: 1–64 characters of [A-Za-z0-9._:-] (TX-7). */
export const ID_PATTERN = /^[A-Za-z0-9._:-]{1,64}$/;
export const id = text(64, ID_PATTERN);

/** Zone codes such as MEA-BKK or PEA-NE. */
export const ZONE_PATTERN = /^[A-Z0-9-]{1,16}$/;
export const zoneId = text(16, ZONE_PATTERN);

/** Free text (reasons, titles, beneficiaries, names), at most 256 bytes of UTF-8. */
export const note = text(256);

export const FUNGIBLE_ASSETS = ['GT', 'THB'] as const;
export type FungibleAsset = (typeof FUNGIBLE_ASSETS)[number];
export const fungibleAsset = oneOf(FUNGIBLE_ASSETS);

export const TECHNOLOGIES = ['SOLAR', 'WIND', 'HYDRO', 'BIOMASS', 'BATTERY', 'OTHER'] as const;
export type Technology = (typeof TECHNOLOGIES)[number];
export const technology = oneOf(TECHNOLOGIES);
/** Technologies whose metered generation may back a REC (REC-3). */
export const RENEWABLE: ReadonlySet<Technology> = new Set(['SOLAR', 'WIND', 'HYDRO', 'BIOMASS']);

export const ROLES = [
  'GRID_OPERATOR',
  'METERING',
  'REC_ISSUER',
  'REGULATOR',
  'SETTLEMENT_BANK',
  'CLEARING',
  'BALANCING',
] as const;
export type Role = (typeof ROLES)[number];
export const role = oneOf(ROLES);

export const outpoint = struct({ txHash: hash32, index: u16 });
export type Outpoint = Infer<typeof outpoint>;

export function outpointKey(op: Outpoint): string {
  return `${op.txHash}:${op.index}`;
}
