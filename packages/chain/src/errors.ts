// The one error type of @gridtokenx/chain and its closed set of codes. Expected rejections are
// returned as `{ ok: false, code }` values; a ChainError is thrown only for broken invariants.

/** Every code the chain can report, expected rejection or broken invariant. */
export const CHAIN_ERROR_CODES = [
  // Transaction shape and admission
  'CHAIN_MALFORMED',
  'CHAIN_TX_TOO_LARGE',
  'CHAIN_BAD_FIELD',
  'CHAIN_BAD_SIGNATURE',
  'CHAIN_TX_EXPIRED',
  'CHAIN_TX_LIFETIME_TOO_LONG',
  'CHAIN_TX_DUPLICATE',
  'CHAIN_POW_REQUIRED',
  'CHAIN_MEMPOOL_FULL',
  'CHAIN_NODE_STOPPED',
  // Authorisation
  'CHAIN_UNAUTHORIZED',
  'CHAIN_NOT_OWNER',
  'CHAIN_NO_MANDATE',
  // Coins and conservation
  'CHAIN_INPUT_UNAVAILABLE',
  'CHAIN_DUPLICATE_INPUT',
  'CHAIN_WRONG_ASSET',
  'CHAIN_INSUFFICIENT_FUNDS',
  'CHAIN_CONSERVATION',
  'CHAIN_BAD_AMOUNT',
  'CHAIN_REF_USED',
  // Grid
  'CHAIN_UNKNOWN_ZONE',
  'CHAIN_ZONE_HALTED',
  'CHAIN_NO_LINK',
  'CHAIN_LINK_CONGESTED',
  'CHAIN_LINK_CAPACITY',
  // Metering
  'CHAIN_BAD_INTERVAL',
  'CHAIN_METER_INTERVAL_USED',
  // Trades and escrow
  'CHAIN_TRADE_EXISTS',
  'CHAIN_ESCROW_NOT_FOUND',
  'CHAIN_ESCROW_CLOSED',
  'CHAIN_DELIVERY_EXCEEDS_TRADE',
  'CHAIN_IMBALANCE_EXCEEDS_RELEASE',
  // Certificates
  'CHAIN_REC_EXISTS',
  'CHAIN_REC_NOT_FOUND',
  'CHAIN_REC_RETIRED',
  'CHAIN_REC_REVOKED',
  'CHAIN_REC_BACKING',
  'CHAIN_REC_NOT_RENEWABLE',
  // Stake and governance
  'CHAIN_STAKE_INSUFFICIENT',
  'CHAIN_NOTHING_TO_WITHDRAW',
  'CHAIN_PROPOSAL_EXISTS',
  'CHAIN_PROPOSAL_NOT_FOUND',
  'CHAIN_PROPOSAL_CLOSED',
  'CHAIN_ALREADY_VOTED',
  'CHAIN_BAD_PROPOSAL',
  // Blocks, consensus, storage (rejections of peers' data, or thrown when our own data is bad)
  'CHAIN_BAD_BLOCK',
  'CHAIN_BAD_COMMIT',
  'CHAIN_BAD_EVIDENCE',
  'CHAIN_BAD_GENESIS',
  'CHAIN_BAD_CONFIG',
  'CHAIN_STORE_CORRUPT',
  // Broken invariants: always thrown, never returned
  'CHAIN_INVARIANT',
  'CHAIN_FORK_DETECTED',
] as const;

export type ChainErrorCode = (typeof CHAIN_ERROR_CODES)[number];

/** A rejected input, as a value. */
export interface Rejection {
  readonly ok: false;
  readonly code: ChainErrorCode;
  readonly message: string;
}

export class ChainError extends Error {
  readonly code: ChainErrorCode;

  constructor(code: ChainErrorCode, message: string) {
    super(`${code}: ${message}`);
    this.name = 'ChainError';
    this.code = code;
  }
}

export function reject(code: ChainErrorCode, message: string): Rejection {
  return { ok: false, code, message };
}

/** Thrown when the chain's own state contradicts itself; the process must stop. */
export function invariant(condition: boolean, message: string): asserts condition {
  if (!condition) throw new ChainError('CHAIN_INVARIANT', message);
}

export function isChainErrorCode(value: string): value is ChainErrorCode {
  return (CHAIN_ERROR_CODES as readonly string[]).includes(value);
}
