// The engine's API: assembles the area routers and nothing else.
import { router } from './init.ts';
import { adminRouter } from './routers/admin.ts';
import { authRouter } from './routers/auth.ts';
import { chainRouter } from './routers/chain.ts';
import { gridRouter } from './routers/grid.ts';
import { walletRouter } from './routers/wallet.ts';
import { dayAheadRouter } from './routers/day-ahead.ts';
import { marketRouter } from './routers/market.ts';
import { ordersRouter } from './routers/orders.ts';
import { healthProcedure } from './routers/health.ts';
import { meterRouter } from './routers/meter.ts';
import { recRouter } from './routers/rec.ts';
import { govRouter } from './routers/gov.ts';
import { reportsRouter } from './routers/reports.ts';

export const appRouter = router({
  health: healthProcedure,
  auth: authRouter,
  market: marketRouter,
  orders: ordersRouter,
  dayAhead: dayAheadRouter,
  wallet: walletRouter,
  grid: gridRouter,
  meter: meterRouter,
  rec: recRouter,
  gov: govRouter,
  reports: reportsRouter,
  chain: chainRouter,
  admin: adminRouter,
});

export type AppRouter = typeof appRouter;
