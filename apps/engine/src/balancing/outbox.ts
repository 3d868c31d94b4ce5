// Reserve payments on chain: `reserve.payment`, a TRANSFER from the balancing account (EGAT,
// signed with the key the engine holds for it) to the battery owner, for the reserve energy its
// meter delivered at the pay-as-clear price. Transfers carry no unique reference, so each
// attempt's hash is recorded before it is submitted.
import type { ChainHost } from '../chain/host.ts';
import type { Database } from '../db/index.ts';
import {
  earlierPending,
  previousAttemptOnChain,
  recordAttempt,
} from '../settlement/dependencies.ts';
import type { OutboxBuilder } from '../settlement/worker.ts';

interface PaymentPayload {
  accountId: string;
  amountSatang: string;
}

export function reservePaymentBuilder(db: Database, chain: ChainHost): OutboxBuilder {
  return {
    async build(record) {
      const p = record.payload as unknown as PaymentPayload;
      const earlier = await previousAttemptOnChain(db, chain, record);
      if (earlier) return { skip: `already on chain in ${earlier.hash}` };
      const from = chain.addressOfRole('EGAT');
      const amount = BigInt(p.amountSatang);
      const coins = chain.query.selectCoins(from, 'THB', amount);
      if (!coins) {
        return (await earlierPending(db, record, ['delivery', 'delivery.charges'], null))
          ? { code: 'ENGINE_WAIT_EARLIER', message: 'imbalance charges are still settling' }
          : { code: 'ENGINE_NO_COINS', message: `the balancing account lacks ${amount} satang` };
      }
      const held = coins.reduce((s, c) => s + c.amount, 0n);
      const outputs = [
        { owner: await chain.addressOf(p.accountId), asset: 'THB' as const, amount },
        { owner: from, asset: 'THB' as const, amount: held - amount },
      ].filter((o) => o.amount > 0n);
      const tx = await chain.sign({ role: 'EGAT' }, 'TRANSFER', {
        inputs: coins.map((c) => ({ txHash: c.txHash, index: c.index })),
        outputs,
      });
      await recordAttempt(db, record, tx.hash);
      return tx;
    },
    alreadyOnChain(record) {
      return previousAttemptOnChain(db, chain, record);
    },
  };
}
