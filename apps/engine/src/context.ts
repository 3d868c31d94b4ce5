// What every request and stream handler can reach: the engine's long-lived services. Built once
// at start-up; tests build their own around a database of their own.
import type { Database } from './db/index.ts';

export interface EngineServices {
  readonly db: Database;
  /** performance.now() at start-up, for uptime. */
  readonly startedAt: number;
  readonly version: string;
}

export interface RequestContext {
  readonly services: EngineServices;
  readonly requestId: string;
  readonly ip: string | null;
}
