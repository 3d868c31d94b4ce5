// Test support: move the embedded chain forward. A block comes as soon as a transaction waits,
// so a small deposit by the settlement bank (through wallet.deposit and the outbox) makes one.
import { randomBytes } from 'node:crypto';
import type { SignedIn, TestEngine } from '../../src/testing/engine.ts';
import { until } from './process.ts';

/** Deposits 1 satang at a time until the chain's head reaches `height`. */
export async function untilHeight(
  t: TestEngine,
  admin: SignedIn,
  accountId: string,
  height: number,
): Promise<void> {
  const chain = t.engine.services.chain!;
  while (chain.query.head().height < height) {
    const before = chain.query.head().height;
    await admin.caller.wallet.deposit({
      accountId,
      amountSatang: 1n,
      reference: `tick-${randomBytes(6).toString('hex')}`,
    });
    await t.engine.services.settlement!.kick();
    await until('a new block', () => chain.query.head().height > before, 30_000);
  }
  await chain.settledIndex();
}
