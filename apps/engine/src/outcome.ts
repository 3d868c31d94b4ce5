// Expected outcomes of the engine's services as values: a result, or a domain code with a
// sentence (and optional details) that the routers turn into a tRPC error. Also who acts.
import type { Role } from './db/generated/enums.ts';
import type { EngineCode } from './errors.ts';

export type Result<T> =
  | { ok: true; value: T }
  | { ok: false; code: EngineCode; message: string; details?: Record<string, unknown> };

export function rejected<T>(
  code: EngineCode,
  message: string,
  details?: Record<string, unknown>,
): Result<T> {
  return details === undefined
    ? { ok: false, code, message }
    : { ok: false, code, message, details };
}

export function accepted<T>(value: T): Result<T> {
  return { ok: true, value };
}

/** A signed-in caller acting through a procedure (for checks and the audit trail). */
export interface Caller {
  accountId: string;
  role: Role;
  ip: string | null;
  requestId: string | null;
}
