// The engine's domain codes and the one table that maps each to a tRPC error code. Expected
// rejections travel as `EngineError` (or a package's reject code) to the router boundary, where
// they become TRPCErrors whose `data.domainCode` the browser turns into a sentence.
import { TRPCError } from '@trpc/server';
import type { TRPC_ERROR_CODE_KEY } from '@trpc/server';
import type { RejectCode } from '@gridtokenx/matching';

export type EngineCode =
  | 'AUTH_REQUIRED'
  | 'AUTH_FORBIDDEN'
  | 'AUTH_INVALID_CREDENTIALS'
  | 'AUTH_EMAIL_TAKEN'
  | 'AUTH_ACCOUNT_DISABLED'
  | 'RATE_LIMITED'
  | 'NOT_FOUND'
  | 'NOT_OWNER'
  | 'MARKET_UNKNOWN_ZONE'
  | 'MARKET_UNKNOWN_INTERVAL'
  | 'MARKET_NOT_OPEN'
  | 'MARKET_CLOSED'
  | 'MARKET_ZONE_HALTED'
  | 'MARKET_GATE_CLOSED'
  | 'ORDER_NOT_FOUND'
  | 'ORDER_INSUFFICIENT_FUNDS'
  | 'ORDER_INVALID'
  | 'DAY_AHEAD_INVALID'
  | 'WALLET_INVALID_AMOUNT'
  | 'GRID_UNKNOWN_LINK'
  | 'CHAIN_UNAVAILABLE'
  | 'CHAIN_NOT_FOUND'
  | 'ENGINE_UNAVAILABLE';

export type DomainCode = EngineCode | RejectCode;

export class EngineError extends Error {
  constructor(
    readonly code: DomainCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'EngineError';
  }
}

const ENGINE_TO_TRPC: Record<EngineCode, TRPC_ERROR_CODE_KEY> = {
  AUTH_REQUIRED: 'UNAUTHORIZED',
  AUTH_FORBIDDEN: 'FORBIDDEN',
  AUTH_INVALID_CREDENTIALS: 'UNAUTHORIZED',
  AUTH_EMAIL_TAKEN: 'CONFLICT',
  AUTH_ACCOUNT_DISABLED: 'FORBIDDEN',
  RATE_LIMITED: 'TOO_MANY_REQUESTS',
  NOT_FOUND: 'NOT_FOUND',
  NOT_OWNER: 'FORBIDDEN',
  MARKET_UNKNOWN_ZONE: 'BAD_REQUEST',
  MARKET_UNKNOWN_INTERVAL: 'BAD_REQUEST',
  MARKET_NOT_OPEN: 'PRECONDITION_FAILED',
  MARKET_CLOSED: 'PRECONDITION_FAILED',
  MARKET_ZONE_HALTED: 'PRECONDITION_FAILED',
  MARKET_GATE_CLOSED: 'PRECONDITION_FAILED',
  ORDER_NOT_FOUND: 'NOT_FOUND',
  ORDER_INSUFFICIENT_FUNDS: 'PRECONDITION_FAILED',
  ORDER_INVALID: 'BAD_REQUEST',
  DAY_AHEAD_INVALID: 'BAD_REQUEST',
  WALLET_INVALID_AMOUNT: 'BAD_REQUEST',
  GRID_UNKNOWN_LINK: 'BAD_REQUEST',
  CHAIN_UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  CHAIN_NOT_FOUND: 'NOT_FOUND',
  ENGINE_UNAVAILABLE: 'SERVICE_UNAVAILABLE',
};

const MATCH_TO_TRPC: Record<RejectCode, TRPC_ERROR_CODE_KEY> = {
  MATCH_INVALID_FIELD: 'BAD_REQUEST',
  MATCH_UNKNOWN_ZONE: 'BAD_REQUEST',
  MATCH_PRICE_NOT_ON_TICK: 'BAD_REQUEST',
  MATCH_PRICE_OUT_OF_BAND: 'BAD_REQUEST',
  MATCH_QUANTITY_NOT_ON_LOT: 'BAD_REQUEST',
  MATCH_QUANTITY_TOO_SMALL: 'BAD_REQUEST',
  MATCH_QUANTITY_TOO_LARGE: 'BAD_REQUEST',
  MATCH_DUPLICATE_ORDER_ID: 'CONFLICT',
  MATCH_UNKNOWN_ORDER: 'NOT_FOUND',
  MATCH_ORDER_NOT_OPEN: 'PRECONDITION_FAILED',
  MATCH_NOT_OWNER: 'FORBIDDEN',
  MATCH_POST_ONLY_WOULD_CROSS: 'PRECONDITION_FAILED',
  MATCH_POST_ONLY_NOT_GTC_LIMIT: 'BAD_REQUEST',
  MATCH_FOK_UNFILLABLE: 'PRECONDITION_FAILED',
  MATCH_AMEND_NO_CHANGE: 'BAD_REQUEST',
  MATCH_MARKET_CLOSED: 'PRECONDITION_FAILED',
  MATCH_ZONE_HALTED: 'PRECONDITION_FAILED',
  MATCH_UNKNOWN_LINK: 'BAD_REQUEST',
};

export function trpcCodeFor(code: DomainCode): TRPC_ERROR_CODE_KEY {
  return code.startsWith('MATCH_')
    ? MATCH_TO_TRPC[code as RejectCode]
    : ENGINE_TO_TRPC[code as EngineCode];
}

/** The TRPCError a router throws for a domain rejection; `data.domainCode` carries `code`. */
export function domainError(
  code: DomainCode,
  message: string,
  details?: Record<string, unknown>,
): TRPCError {
  return new TRPCError({
    code: trpcCodeFor(code),
    message,
    cause: new EngineError(code, message, details),
  });
}
