// Codes of @gridtokenx/matching: expected rejections are values carrying a `RejectCode`; a broken
// invariant throws the package's single error class with a `MatchingErrorCode`. Both sets are
// closed unions so the engine can map every code to a user message in one exhaustive table.

/** Why a command was refused. Returned in `rejected` events, never thrown. */
export type RejectCode =
  | 'MATCH_INVALID_FIELD'
  | 'MATCH_UNKNOWN_ZONE'
  | 'MATCH_PRICE_NOT_ON_TICK'
  | 'MATCH_PRICE_OUT_OF_BAND'
  | 'MATCH_QUANTITY_NOT_ON_LOT'
  | 'MATCH_QUANTITY_TOO_SMALL'
  | 'MATCH_QUANTITY_TOO_LARGE'
  | 'MATCH_DUPLICATE_ORDER_ID'
  | 'MATCH_UNKNOWN_ORDER'
  | 'MATCH_ORDER_NOT_OPEN'
  | 'MATCH_NOT_OWNER'
  | 'MATCH_POST_ONLY_WOULD_CROSS'
  | 'MATCH_POST_ONLY_NOT_GTC_LIMIT'
  | 'MATCH_FOK_UNFILLABLE'
  | 'MATCH_AMEND_NO_CHANGE'
  | 'MATCH_MARKET_CLOSED'
  | 'MATCH_ZONE_HALTED'
  | 'MATCH_UNKNOWN_LINK';

/** Every reject code, for exhaustive tables and validation. */
export const REJECT_CODES: readonly RejectCode[] = [
  'MATCH_INVALID_FIELD',
  'MATCH_UNKNOWN_ZONE',
  'MATCH_PRICE_NOT_ON_TICK',
  'MATCH_PRICE_OUT_OF_BAND',
  'MATCH_QUANTITY_NOT_ON_LOT',
  'MATCH_QUANTITY_TOO_SMALL',
  'MATCH_QUANTITY_TOO_LARGE',
  'MATCH_DUPLICATE_ORDER_ID',
  'MATCH_UNKNOWN_ORDER',
  'MATCH_ORDER_NOT_OPEN',
  'MATCH_NOT_OWNER',
  'MATCH_POST_ONLY_WOULD_CROSS',
  'MATCH_POST_ONLY_NOT_GTC_LIMIT',
  'MATCH_FOK_UNFILLABLE',
  'MATCH_AMEND_NO_CHANGE',
  'MATCH_MARKET_CLOSED',
  'MATCH_ZONE_HALTED',
  'MATCH_UNKNOWN_LINK',
];

/** Codes of conditions that must never happen with valid use; they throw `MatchingError`. */
export type MatchingErrorCode =
  | 'MATCH_INVALID_CONFIG'
  | 'MATCH_INVALID_SNAPSHOT'
  | 'MATCH_INVARIANT_CROSSED_BOOK'
  | 'MATCH_INVARIANT_NEGATIVE_CAPACITY'
  | 'MATCH_INVARIANT_CONSERVATION'
  | 'MATCH_INVARIANT_UNSAFE_INTEGER'
  | 'MATCH_AUCTION_SOLVER_FAILED'
  | 'MATCH_AUCTION_PRICE_RULES';

/** The one error class of this package: thrown only for broken invariants and caller bugs. */
export class MatchingError extends Error {
  readonly code: MatchingErrorCode;

  constructor(code: MatchingErrorCode, message: string) {
    super(`${code}: ${message}`);
    this.name = 'MatchingError';
    this.code = code;
  }
}
