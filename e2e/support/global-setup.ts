// Playwright global setup: one running system for the whole browser suite; its URL reaches the
// tests through the environment, and the teardown stops it and drops its database.
import type { FullConfig } from '@playwright/test';
import { startSystem } from './system.ts';

export default async function globalSetup(_config: FullConfig) {
  const system = await startSystem();
  process.env.E2E_BASE_URL = system.baseUrl;
  process.env.E2E_ENGINE_URL = system.engineUrl;
  return async () => {
    await system.stop();
  };
}
