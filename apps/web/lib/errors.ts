// Every failure the browser can meet, reduced to one code the dictionaries turn into a sentence:
// the engine's domain codes (apps/engine/src/errors.ts), the matcher's reject codes
// (packages/matching/src/errors.ts), and two of the browser's own (engine unreachable, unknown).
// e2e/tests/error-codes.spec.ts checks this list against the engine's sources.
import { TRPCClientError } from '@trpc/client';

export const ENGINE_CODES = [
  'AUTH_REQUIRED',
  'AUTH_FORBIDDEN',
  'AUTH_INVALID_CREDENTIALS',
  'AUTH_EMAIL_TAKEN',
  'AUTH_ACCOUNT_DISABLED',
  'RATE_LIMITED',
  'NOT_FOUND',
  'NOT_OWNER',
  'MARKET_UNKNOWN_ZONE',
  'MARKET_UNKNOWN_INTERVAL',
  'MARKET_NOT_OPEN',
  'MARKET_CLOSED',
  'MARKET_ZONE_HALTED',
  'MARKET_GATE_CLOSED',
  'ORDER_NOT_FOUND',
  'ORDER_INSUFFICIENT_FUNDS',
  'ORDER_INVALID',
  'DAY_AHEAD_INVALID',
  'WALLET_INVALID_AMOUNT',
  'GRID_UNKNOWN_LINK',
  'METER_NOT_FOUND',
  'METER_NOT_AUTHORITY',
  'METER_OWNER_INVALID',
  'METER_KEY_IN_USE',
  'METER_RETIRED',
  'METER_BAD_SIGNATURE',
  'METER_READING_INVALID',
  'METER_READING_EARLY',
  'METER_READING_LATE',
  'METER_READING_DUPLICATE',
  'METER_READING_OUT_OF_ORDER',
  'METER_READING_IMPLAUSIBLE',
  'RESERVE_INVALID_METER',
  'RESERVE_HOUR_INVALID',
  'RESERVE_OVER_CAPACITY',
  'RESERVE_NO_OFFERS',
  'RESERVE_OFFER_NOT_FOUND',
  'RESERVE_OFFER_CLOSED',
  'REC_NOT_RENEWABLE',
  'REC_PERIOD_INVALID',
  'REC_INSUFFICIENT_GENERATION',
  'REC_BACKING_TOO_SPREAD',
  'REC_NOT_ISSUER',
  'REC_NOT_FOUND',
  'REC_NOT_REQUESTED',
  'REC_NOT_ACTIVE',
  'REC_RETIRED',
  'REC_PENDING',
  'REC_RECIPIENT_INVALID',
  'GOV_NOT_VALIDATOR',
  'GOV_INVALID_ACTION',
  'GOV_ACTION_UNSUPPORTED',
  'GOV_BAD_HEIGHTS',
  'GOV_PROPOSAL_NOT_FOUND',
  'GOV_PROPOSAL_PENDING',
  'GOV_PROPOSAL_CLOSED',
  'GOV_ALREADY_VOTED',
  'REPORT_NOT_REGULATOR',
  'REPORT_NOT_READY',
  'CHAIN_UNAVAILABLE',
  'CHAIN_NOT_FOUND',
  'ENGINE_UNAVAILABLE',
  'VALIDATION_FAILED',
] as const;

export const MATCH_CODES = [
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
] as const;

/** Failures the browser names itself: the engine did not answer, or answered unexpectedly. */
export const CLIENT_CODES = ['ENGINE_UNREACHABLE', 'UNKNOWN'] as const;

export type ErrorCode =
  (typeof ENGINE_CODES)[number] | (typeof MATCH_CODES)[number] | (typeof CLIENT_CODES)[number];

export const ERROR_CODES: readonly ErrorCode[] = [...ENGINE_CODES, ...MATCH_CODES, ...CLIENT_CODES];

const KNOWN = new Set<string>(ERROR_CODES);

export interface AppError {
  code: ErrorCode;
  /** The field problems of VALIDATION_FAILED (engine wording; paths are shown translated). */
  issues: { path: string; message: string }[];
  details: Record<string, unknown>;
  /** The raw message, for the console and for codes the browser does not know yet. */
  raw: string;
  /** A domain code this browser has no sentence for (newer engine): shown verbatim. */
  unknownCode: string | null;
}

interface ErrorData {
  domainCode?: string | null;
  issues?: { path: string; message: string }[];
  details?: Record<string, unknown>;
  httpStatus?: number;
}

export function toAppError(error: unknown): AppError {
  const raw = error instanceof Error ? error.message : String(error);
  const base = { issues: [], details: {}, raw, unknownCode: null };
  if (error instanceof TRPCClientError) {
    const data = (error as TRPCClientError<never>).data as ErrorData | undefined;
    const domainCode = data?.domainCode;
    if (domainCode) {
      return {
        ...base,
        code: KNOWN.has(domainCode) ? (domainCode as ErrorCode) : 'UNKNOWN',
        issues: data.issues ?? [],
        details: data.details ?? {},
        unknownCode: KNOWN.has(domainCode) ? null : domainCode,
      };
    }
    // No tRPC answer at all: the web server's proxy error page, or a dropped connection.
    if (!data || /fetch|network|transform|JSON|Unexpected token/i.test(raw)) {
      return { ...base, code: 'ENGINE_UNREACHABLE' };
    }
  }
  if (error instanceof TypeError && /fetch|network/i.test(raw)) {
    return { ...base, code: 'ENGINE_UNREACHABLE' };
  }
  return { ...base, code: 'UNKNOWN' };
}

export function errorCodeOf(error: unknown): ErrorCode {
  return toAppError(error).code;
}
