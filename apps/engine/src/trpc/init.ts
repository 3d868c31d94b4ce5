// The tRPC layer, created once. Only the procedure builders exported here may be used by the
// routers; the error formatter carries each domain code to the client in `data.code`.
import { initTRPC } from '@trpc/server';
import superjson from 'superjson';
import type { RequestContext } from '../context.ts';

const t = initTRPC.context<RequestContext>().create({
  transformer: superjson,
  errorFormatter({ shape, error }) {
    const cause = error.cause as { code?: unknown } | undefined;
    const domainCode = typeof cause?.code === 'string' ? cause.code : null;
    return { ...shape, data: { ...shape.data, domainCode } };
  },
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;
export const publicProcedure = t.procedure;
