// A settlement the chain drops is rebuilt, not lost (local chain mode). The engine's own node (the
// follower its submissions go to) is cut off from the validators' thread; while it is, the buyer
// spends the very coin its pending trade settlement spends, straight at MEA, and the validators
// commit that. When the engine's node rejoins and catches up, its mempool re-check drops the
// settlement (its input is gone); the outbox row goes back to PENDING with the chain's code, the
// worker builds it again from the buyer's new coin, and the trade settles exactly once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SignedIn, TestEngine } from '../src/testing/engine.ts';
import { until } from './support/process.ts';
import { chainScenario, crossOneKwh, SCENARIO_INTERVAL as T } from './support/traders.ts';

describe('a settlement the chain drops', () => {
  let t: TestEngine;
  let seller: SignedIn;
  let buyer: SignedIn;

  beforeAll(async () => {
    ({ t, seller, buyer } = await chainScenario('dropped', 5_000_000n));
  });
  afterAll(async () => t?.close());

  it('goes back to pending with the chain code and settles once, rebuilt', async () => {
    const chain = t.engine.services.chain!;
    const validators = chain.validatorThread;
    await validators.isolate('engine');

    const tradeId = await crossOneKwh(seller, buyer, T);
    const outboxRow = () =>
      t.db.pool.query<{ status: string; last_error: string | null; tx_hash: string | null }>(
        `SELECT status, last_error, tx_hash FROM settlement_outbox
          WHERE kind = 'trade' AND payload->>'tradeId' = $1`,
        [tradeId],
      );
    await until(
      'the settlement submitted to the cut-off node',
      async () => (await outboxRow()).rows[0]?.status === 'SUBMITTED',
    );
    const firstHash = (await outboxRow()).rows[0]!.tx_hash;

    // The buyer moves every THB coin it has to itself (same total), at the validators directly.
    const buyerAddress = await chain.addressOf(buyer.accountId);
    const coins = chain.query.coins(buyerAddress, { asset: 'THB' });
    expect(coins.length).toBeGreaterThan(0);
    const total = coins.reduce((s, c) => s + c.amount, 0n);
    const transfer = await chain.sign({ accountId: buyer.accountId }, 'TRANSFER', {
      inputs: coins.map((c) => ({ txHash: c.txHash, index: c.index })),
      outputs: [{ owner: buyerAddress, asset: 'THB', amount: total }],
    });
    expect((await validators.submitTo('MEA', transfer)).ok).toBe(true);
    await until(
      'the validators commit the transfer',
      () => validators.hasTx('MEA', transfer.hash),
      30_000,
    );
    expect(await chain.query.tx(transfer.hash)).toBeNull(); // the engine's node has not seen it

    await validators.heal();
    await until(
      'the rebuilt settlement is final',
      async () =>
        (await t.db.prisma.trade.findUnique({ where: { id: tradeId } }))?.settlementStatus ===
        'FINAL',
      60_000,
    );
    const row = (await outboxRow()).rows[0]!;
    expect(row.status).toBe('FINAL');
    expect(row.tx_hash).not.toBe(firstHash);
    expect(row.last_error).toMatch(/^CHAIN_[A-Z_]+: /);
    const settles = await t.db.prisma.chainTx.count({ where: { kind: 'TRADE_SETTLE' } });
    expect(settles).toBe(1);
    expect(chain.query.escrow(tradeId)?.status).toBe('OPEN');
  }, 120_000);
});
