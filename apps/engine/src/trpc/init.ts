// The tRPC layer, created once. Only the procedure builders exported here may be used by the
// routers: each checks the caller's role before the procedure runs. The error formatter
// carries each domain code to the client in `data.domainCode` (and zod issues in `data.issues`).
import { initTRPC, TRPCError } from '@trpc/server';
import superjson from 'superjson';
import { ZodError } from 'zod';
import type { RequestContext } from '../context.ts';
import type { Role } from '../db/generated/enums.ts';
import { domainError, EngineError } from '../errors.ts';

/** The domain code a client sees for an error: the engine's, VALIDATION_FAILED, or none. */
export function domainCodeOf(error: TRPCError): string | null {
  const cause = error.cause;
  if (cause instanceof EngineError) return cause.code;
  if (cause instanceof ZodError) return 'VALIDATION_FAILED';
  return null;
}

const t = initTRPC.context<RequestContext>().create({
  transformer: superjson,
  // Stack traces stay in the engine's logs; clients get codes and sentences.
  isDev: false,
  errorFormatter({ shape, error }) {
    const cause = error.cause;
    const domainCode = domainCodeOf(error);
    const issues =
      cause instanceof ZodError
        ? cause.issues.map((i) => ({ path: i.path.join('.'), message: i.message }))
        : undefined;
    const details = cause instanceof EngineError ? cause.details : undefined;
    return { ...shape, data: { ...shape.data, domainCode, issues, details } };
  },
});

export const router = t.router;
export const mergeRouters = t.mergeRouters;
export const createCallerFactory = t.createCallerFactory;

/** Anyone, signed in or not. */
export const publicProcedure = t.procedure;

/** Any signed-in account; `ctx.user` is set. */
export const authedProcedure = t.procedure.use(({ ctx, next }) => {
  if (!ctx.user) throw domainError('AUTH_REQUIRED', 'Sign in to continue');
  return next({ ctx: { ...ctx, user: ctx.user } });
});

// One middleware checks the session and the role (the same checks, in the same order, as
// authedProcedure and then a role check): each middleware level copies the call's options and
// context, and every order passes through here.
function roleProcedure(...roles: Role[]) {
  return t.procedure.use(({ ctx, next }) => {
    if (!ctx.user) throw domainError('AUTH_REQUIRED', 'Sign in to continue');
    if (!roles.includes(ctx.user.role)) {
      throw domainError('AUTH_FORBIDDEN', `This action needs the ${roles.join(' or ')} role`);
    }
    return next({ ctx: { user: ctx.user } });
  });
}

/** Market participants placing orders and holding balances. */
export const traderProcedure = roleProcedure('TRADER');
/** Grid operators (EGAT/MEA/PEA control rooms). */
export const operatorProcedure = roleProcedure('OPERATOR');
/** Market administrators. */
export const adminProcedure = roleProcedure('ADMIN');
/** Grid authorities (EGAT, MEA, PEA, ERC) acting on chain. */
export const authorityProcedure = roleProcedure('AUTHORITY');
/** The meter registry: market administrators and the zones' distribution authorities. */
export const registryProcedure = roleProcedure('ADMIN', 'AUTHORITY');
/** The control room's view of the chain: operators, administrators and the authorities. */
export const controlRoomProcedure = roleProcedure('OPERATOR', 'ADMIN', 'AUTHORITY');
/**
 * An authority's own desk, or an admin acting for it: REC issuance (EGAT) and the regulator's
 * reports (ERC). The procedure checks which authority an AUTHORITY account acts for.
 */
export const authorityOrAdminProcedure = roleProcedure('ADMIN', 'AUTHORITY');

export { TRPCError };
