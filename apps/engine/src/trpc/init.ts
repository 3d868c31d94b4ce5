// The tRPC layer, created once. Only the procedure builders exported here may be used by the
// routers: each checks the caller's role before the procedure runs. The error formatter
// carries each domain code to the client in `data.domainCode` (and zod issues in `data.issues`).
import { initTRPC, TRPCError } from '@trpc/server';
import { getParseFn } from '@trpc/server/unstable-core-do-not-import';
import superjson from 'superjson';
import { ZodError, type z } from 'zod';
import type { SessionUser } from '../auth/sessions.ts';
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

/** The context of a caller who passed a role check. */
export type SignedInContext = RequestContext & { readonly user: SessionUser };

/**
 * The session and role check of every role-checked procedure, in tRPC's middleware and in the
 * HTTP handler's direct calls alike: the same checks, in the same order, as authedProcedure and
 * then a role check.
 */
export function checkRole(
  ctx: RequestContext,
  roles: readonly Role[],
): asserts ctx is SignedInContext {
  if (!ctx.user) throw domainError('AUTH_REQUIRED', 'Sign in to continue');
  if (!roles.includes(ctx.user.role)) {
    throw domainError('AUTH_FORBIDDEN', `This action needs the ${roles.join(' or ')} role`);
  }
}

// One middleware checks the session and the role, not two: each level of tRPC's middleware
// chain copies the call's options and context. (Orders over HTTP skip the chain: procedureOf.)
function roleProcedure(...roles: Role[]) {
  return t.procedure.use(({ ctx, next }) => {
    checkRole(ctx, roles);
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

/**
 * A role-checked mutation as plain parts. `procedureOf` builds its tRPC procedure from them, and
 * the HTTP handler runs the same parts without tRPC's middleware chain (see http.ts).
 */
export interface RoleMutation<Input extends z.ZodType, Output> {
  readonly roles: readonly Role[];
  readonly input: Input;
  resolve(ctx: SignedInContext, input: z.output<Input>): Promise<Output>;
}

/** Types a mutation's parts, inferring its input from the schema and its output from resolve. */
export function roleMutation<Input extends z.ZodType, Output>(
  parts: RoleMutation<Input, Output>,
): RoleMutation<Input, Output> {
  return parts;
}

/** A mutation run as its tRPC procedure would run it, from the context and the raw input. */
export type DirectCall = (ctx: RequestContext, rawInput: unknown) => Promise<unknown>;

const directCalls = new WeakMap<object, DirectCall>();

/**
 * The mutation's procedure: the role middleware, tRPC's input validator, the resolver. Its
 * direct call takes the same three steps and throws the same errors — checkRole; the parser
 * tRPC derives from the schema (getParseFn), a failure thrown as tRPC's inputValidatorMiddleware
 * throws it (BAD_REQUEST, the ZodError as cause and message); resolve. What it throws the caller
 * turns into a TRPCError with getTRPCErrorFromUnknown, as tRPC's chain does. The resolver gets
 * the request's context itself, where the chain passes a copy with the same fields.
 */
export function procedureOf<Input extends z.ZodType, Output>(parts: RoleMutation<Input, Output>) {
  const procedure = roleProcedure(...parts.roles)
    .input(parts.input)
    .mutation(({ ctx, input }) => parts.resolve(ctx, input as z.output<Input>));
  const parse = getParseFn(parts.input);
  directCalls.set(procedure, async (ctx, rawInput) => {
    checkRole(ctx, parts.roles);
    let input: z.output<Input>;
    try {
      input = (await parse(rawInput)) as z.output<Input>;
    } catch (cause) {
      throw new TRPCError({ code: 'BAD_REQUEST', cause });
    }
    return parts.resolve(ctx, input);
  });
  return procedure;
}

/** The direct call of a procedure built by procedureOf, or undefined for any other. */
export function directCallOf(procedure: object): DirectCall | undefined {
  return directCalls.get(procedure);
}

export { TRPCError };
