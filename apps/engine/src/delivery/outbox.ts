// The delivery settlement's chain transactions. `delivery`: DELIVERY_SETTLE by the clearing
// house — GT seller → buyer for the delivered part, the escrow released to the seller pro rata,
// the rest refunded to the buyer, the imbalance charge (up to the release) to the balancing
// account (EGAT). `delivery.charges`: a TRANSFER signed with the seller's key paying wheeling
// and the rest of the imbalance charge to EGAT and the exchange fees to the clearing house —
// DELIVERY_SETTLE pays the whole release to the seller, so these follow it.
import type { ChainHost } from '../chain/host.ts';
import type { Database } from '../db/index.ts';
import {
  earlierPending,
  previousAttemptOnChain,
  recordAttempt,
} from '../settlement/dependencies.ts';
import type { OutboxBuilder } from '../settlement/worker.ts';
import { reservePaymentBuilder } from '../balancing/outbox.ts';

interface DeliveryPayload {
  tradeId: string;
  sellerId: string;
  buyerId: string;
  intervalStart: number;
  deliveredWh: string;
  imbalanceChargeSatang: string;
}

interface ChargesPayload {
  sellerId: string;
  intervalStart: number;
  toGridSatang: string;
  toExchangeSatang: string;
}

export function deliveryBuilder(
  db: Database,
  clearingAccountId: () => string | null,
): OutboxBuilder {
  const addressOf = (chain: ChainHost, accountId: string) =>
    accountId === clearingAccountId()
      ? Promise.resolve(chain.addressOfRole('clearing'))
      : chain.addressOf(accountId);
  return {
    async build(record, chain) {
      const p = record.payload as unknown as DeliveryPayload;
      const deliveredWh = BigInt(p.deliveredWh);
      let inputs: { txHash: string; index: number }[] = [];
      if (deliveredWh > 0n) {
        const coins = chain.query.selectCoins(
          await addressOf(chain, p.sellerId),
          'GT',
          deliveredWh,
        );
        if (!coins) {
          return (await earlierPending(db, record, ['meter.mint', 'delivery'], [p.sellerId]))
            ? { code: 'ENGINE_WAIT_EARLIER', message: 'the seller’s GT is still being attested' }
            : { code: 'ENGINE_NO_COINS', message: `seller holds less than ${deliveredWh} Wh GT` };
        }
        inputs = coins.map((c) => ({ txHash: c.txHash, index: c.index }));
      }
      return chain.sign({ role: 'clearing' }, 'DELIVERY_SETTLE', {
        tradeId: p.tradeId,
        deliveredWh,
        imbalanceChargeSatang: BigInt(p.imbalanceChargeSatang),
        imbalanceAccount: chain.addressOfRole('EGAT'),
        inputs,
      });
    },
    async alreadyOnChain(record, chain) {
      const p = record.payload as unknown as DeliveryPayload;
      const escrow = chain.query.escrow(p.tradeId);
      if (!escrow || escrow.status !== 'SETTLED') return null;
      const found = await chain.query.block(escrow.closedHeight);
      const tx = found?.block.txs.find(
        (t) => t.kind === 'DELIVERY_SETTLE' && t.body.tradeId === p.tradeId,
      );
      return tx ? { hash: tx.hash, height: escrow.closedHeight } : null;
    },
  };
}

export function chargesBuilder(db: Database, chain: ChainHost): OutboxBuilder {
  return {
    async build(record) {
      const p = record.payload as unknown as ChargesPayload;
      const earlier = await previousAttemptOnChain(db, chain, record);
      if (earlier) return { skip: `already on chain in ${earlier.hash}` };
      const seller = await chain.addressOf(p.sellerId);
      const toGrid = BigInt(p.toGridSatang);
      const toExchange = BigInt(p.toExchangeSatang);
      const total = toGrid + toExchange;
      const coins = chain.query.selectCoins(seller, 'THB', total);
      if (!coins) {
        return (await earlierPending(db, record, ['delivery'], [p.sellerId]))
          ? { code: 'ENGINE_WAIT_EARLIER', message: 'the seller’s releases are still settling' }
          : { code: 'ENGINE_NO_COINS', message: `seller cannot cover ${total} satang of charges` };
      }
      const held = coins.reduce((s, c) => s + c.amount, 0n);
      const outputs = [
        { owner: chain.addressOfRole('EGAT'), asset: 'THB' as const, amount: toGrid },
        { owner: chain.addressOfRole('clearing'), asset: 'THB' as const, amount: toExchange },
        { owner: seller, asset: 'THB' as const, amount: held - total },
      ].filter((o) => o.amount > 0n);
      const tx = await chain.sign({ accountId: p.sellerId }, 'TRANSFER', {
        inputs: coins.map((c) => ({ txHash: c.txHash, index: c.index })),
        outputs,
      });
      await recordAttempt(db, record, tx.hash);
      return tx;
    },
    alreadyOnChain(record) {
      return previousAttemptOnChain(db, chain, record);
    },
    onSettled(record) {
      const p = record.payload as unknown as ChargesPayload;
      chain.settled(p.sellerId, BigInt(p.toGridSatang) + BigInt(p.toExchangeSatang));
    },
  };
}

/** Registers the delivery kinds (and the reserve payments they fund) with the worker. */
export function registerDeliveryOutbox(
  worker: { register(kind: string, builder: OutboxBuilder): void },
  db: Database,
  chain: ChainHost,
  clearingAccountId: () => string | null,
): void {
  worker.register('delivery', deliveryBuilder(db, clearingAccountId));
  worker.register('delivery.charges', chargesBuilder(db, chain));
  worker.register('reserve.payment', reservePaymentBuilder(db, chain));
}
