// What other workspaces may import from the engine: its API types (the web app imports these
// as types only) and the pieces tests and tools build an engine from.
export type { AppRouter } from './trpc/router.ts';
export type { Heartbeat } from './streams/heartbeat.ts';
