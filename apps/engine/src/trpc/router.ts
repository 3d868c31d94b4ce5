// The engine's API: assembles the area routers and nothing else.
import { router } from './init.ts';
import { healthProcedure } from './routers/health.ts';

export const appRouter = router({
  health: healthProcedure,
});

export type AppRouter = typeof appRouter;
