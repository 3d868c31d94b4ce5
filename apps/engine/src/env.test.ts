import { describe, expect, it } from 'vitest';
import { EnvError, loadEnv } from './env.ts';

describe('loadEnv', () => {
  it('gives the documented defaults for an empty environment', () => {
    const env = loadEnv({});
    expect(env.ENGINE_PORT).toBe(4000);
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.SEED).toBe(true);
  });

  it('names every bad variable', () => {
    try {
      loadEnv({ ENGINE_PORT: 'eighty', DATABASE_URL: 'mysql://x', SEED: 'maybe' });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(EnvError);
      const problems = (e as EnvError).problems.join('\n');
      expect(problems).toMatch(/ENGINE_PORT/);
      expect(problems).toMatch(/DATABASE_URL: must be a postgresql:\/\/ URL/);
      expect(problems).toMatch(/SEED/);
    }
  });

  it('treats empty strings as unset', () => {
    expect(loadEnv({ DATABASE_URL: '' }).DATABASE_URL).toBeUndefined();
  });
});
