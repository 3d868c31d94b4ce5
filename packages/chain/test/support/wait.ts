// Helpers shared by tests that watch nodes run in real time or count signature checks.
import { verifyFast } from '../../src/internal/crypto/node-ed25519.ts';
import type { VerifyFn } from '../../src/internal/crypto/signature-rule.ts';

/** Polls `cond` every 25 ms until it holds or `ms` pass; its last answer. */
export async function waitFor(cond: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (cond()) return true;
    await new Promise((r) => setTimeout(r, 25));
  }
  return cond();
}

/** The node's verifier, counting its calls. */
export function countingVerifier(): { verify: VerifyFn; calls: () => number } {
  let calls = 0;
  return {
    verify: (k, m, s) => {
      calls++;
      return verifyFast(k, m, s);
    },
    calls: () => calls,
  };
}
