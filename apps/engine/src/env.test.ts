import path from 'node:path';
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

  describe('chain mode', () => {
    const problemsOf = (source: Record<string, string>): string => {
      try {
        loadEnv(source);
      } catch (e) {
        expect(e).toBeInstanceOf(EnvError);
        return (e as EnvError).problems.join('\n');
      }
      return expect.unreachable();
    };

    it('hosts the validators in-process by default', () => {
      const env = loadEnv({});
      expect(env.CHAIN_MODE).toBe('local');
      expect(env.CHAIN_DEVNET_DIR).toBeUndefined();
      expect(env.CHAIN_PEERS).toBeUndefined();
    });

    it('joins a devnet from its folder (made absolute), validators optionally located by CHAIN_PEERS', () => {
      const env = loadEnv({
        CHAIN_MODE: 'devnet',
        CHAIN_DEVNET_DIR: 'rel/devnet',
        CHAIN_PEERS: 'EGAT=ws://10.0.0.1:26650, MEA=ws://10.0.0.2:26651',
      });
      expect(env.CHAIN_MODE).toBe('devnet');
      expect(env.CHAIN_DEVNET_DIR).toBe(path.resolve('rel/devnet'));
      expect(env.CHAIN_PEERS).toEqual([
        { name: 'EGAT', url: 'ws://10.0.0.1:26650' },
        { name: 'MEA', url: 'ws://10.0.0.2:26651' },
      ]);
    });

    it('refuses devnet mode without its folder, with a code', () => {
      expect(problemsOf({ CHAIN_MODE: 'devnet' })).toMatch(
        /^CHAIN_DEVNET_DIR: ENV_CHAIN_DEVNET_DIR_MISSING: /m,
      );
    });

    it('refuses devnet settings while the chain mode is local, with a code', () => {
      const problems = problemsOf({
        CHAIN_DEVNET_DIR: '/tmp/devnet',
        CHAIN_PEERS: 'EGAT=ws://a:1',
      });
      expect(problems).toMatch(/^CHAIN_DEVNET_DIR: ENV_CHAIN_MODE_MISMATCH: /m);
      expect(problems).toMatch(/^CHAIN_PEERS: ENV_CHAIN_MODE_MISMATCH: /m);
    });

    it('paces in-process blocks as set, refusing the setting on a devnet and out of range', () => {
      expect(loadEnv({}).CHAIN_VALIDATOR_THREAD).toBeUndefined(); // the host's default (worker)
      expect(loadEnv({ CHAIN_VALIDATOR_THREAD: 'main' }).CHAIN_VALIDATOR_THREAD).toBe('main');
      expect(problemsOf({ CHAIN_VALIDATOR_THREAD: 'both' })).toMatch(/^CHAIN_VALIDATOR_THREAD: /m);
      expect(loadEnv({}).CHAIN_BLOCK_INTERVAL_MS).toBeUndefined(); // the host's default (150 ms)
      expect(loadEnv({ CHAIN_BLOCK_INTERVAL_MS: '0' }).CHAIN_BLOCK_INTERVAL_MS).toBe(0);
      expect(loadEnv({ CHAIN_BLOCK_INTERVAL_MS: '250' }).CHAIN_BLOCK_INTERVAL_MS).toBe(250);
      expect(problemsOf({ CHAIN_BLOCK_INTERVAL_MS: '-1' })).toMatch(/^CHAIN_BLOCK_INTERVAL_MS: /m);
      expect(problemsOf({ CHAIN_BLOCK_INTERVAL_MS: 'soon' })).toMatch(
        /^CHAIN_BLOCK_INTERVAL_MS: /m,
      );
      expect(
        problemsOf({
          CHAIN_MODE: 'devnet',
          CHAIN_DEVNET_DIR: '/tmp/devnet',
          CHAIN_BLOCK_INTERVAL_MS: '100',
        }),
      ).toMatch(/^CHAIN_BLOCK_INTERVAL_MS: ENV_CHAIN_MODE_MISMATCH: /m);
      expect(
        problemsOf({
          CHAIN_MODE: 'devnet',
          CHAIN_DEVNET_DIR: '/tmp/devnet',
          CHAIN_VALIDATOR_THREAD: 'worker',
        }),
      ).toMatch(/^CHAIN_VALIDATOR_THREAD: ENV_CHAIN_MODE_MISMATCH: /m);
    });

    it("takes the validators' thread's nice value in 0–19, refusing it on a devnet", () => {
      expect(loadEnv({}).CHAIN_VALIDATOR_NICE).toBeUndefined(); // the host's default (10)
      expect(loadEnv({ CHAIN_VALIDATOR_NICE: '0' }).CHAIN_VALIDATOR_NICE).toBe(0);
      expect(loadEnv({ CHAIN_VALIDATOR_NICE: '19' }).CHAIN_VALIDATOR_NICE).toBe(19);
      for (const bad of ['-1', '20', '2.5', 'low']) {
        expect(problemsOf({ CHAIN_VALIDATOR_NICE: bad })).toMatch(/^CHAIN_VALIDATOR_NICE: /m);
      }
      expect(
        problemsOf({
          CHAIN_MODE: 'devnet',
          CHAIN_DEVNET_DIR: '/tmp/devnet',
          CHAIN_VALIDATOR_NICE: '5',
        }),
      ).toMatch(/^CHAIN_VALIDATOR_NICE: ENV_CHAIN_MODE_MISMATCH: /m);
      expect(problemsOf({ CHAIN_VALIDATOR_THREAD: 'main', CHAIN_VALIDATOR_NICE: '5' })).toMatch(
        /^CHAIN_VALIDATOR_NICE: ENV_CHAIN_MODE_MISMATCH: /m,
      );
      expect(
        loadEnv({ CHAIN_VALIDATOR_THREAD: 'worker', CHAIN_VALIDATOR_NICE: '5' })
          .CHAIN_VALIDATOR_NICE,
      ).toBe(5);
    });

    it('refuses a simulated clock on a devnet, with a code', () => {
      expect(
        problemsOf({ CHAIN_MODE: 'devnet', CHAIN_DEVNET_DIR: '/tmp/devnet', CLOCK: 'sim' }),
      ).toMatch(/^CLOCK: ENV_CHAIN_DEVNET_SIM_CLOCK: /m);
    });

    it('names malformed peers and unknown modes', () => {
      const base = { CHAIN_MODE: 'devnet', CHAIN_DEVNET_DIR: '/tmp/devnet' };
      expect(problemsOf({ ...base, CHAIN_PEERS: 'EGAT=http://a:1' })).toMatch(/^CHAIN_PEERS: /m);
      expect(problemsOf({ ...base, CHAIN_PEERS: 'BOB=ws://a:1' })).toMatch(/BOB=ws:\/\/a:1/);
      expect(problemsOf({ ...base, CHAIN_PEERS: 'MEA=ws://a:1,MEA=ws://b:2' })).toMatch(
        /MEA is listed twice/,
      );
      expect(problemsOf({ CHAIN_MODE: 'remote' })).toMatch(/^CHAIN_MODE: /m);
    });
  });
});
