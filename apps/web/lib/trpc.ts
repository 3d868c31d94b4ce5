// The browser's tRPC client: same-origin /trpc (the web server proxies it to the engine), with
// the engine's router type imported as a type only, so no engine code reaches the bundle.
import { createTRPCClient, httpBatchLink } from '@trpc/client';
import type { AppRouter } from '@gridtokenx/engine';
import superjson from 'superjson';

export const trpc = createTRPCClient<AppRouter>({
  links: [httpBatchLink({ url: '/trpc', transformer: superjson })],
});
