// End-to-end pipeline against a real database and the real in-process chain: crossing orders
// → fill → settlement final on chain → both balances changed by exactly the trade; a cross-zone
// fill consumes link capacity and charges wheeling; the chain explorer shows the transaction
// with a Merkle proof that verifies.
import { verifyTxInclusion } from '@gridtokenx/chain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/clock.ts';
import { LOCAL_MIN_BLOCK_INTERVAL_MS } from '../src/chain/host.ts';
import {
  createTestEngine,
  TEST_PASSWORD,
  type SignedIn,
  type TestEngine,
} from '../src/testing/engine.ts';

const T = new Date('2026-12-01T06:00:00Z').toISOString();

async function until<T>(
  what: string,
  probe: () => Promise<T | null | undefined | false>,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('order → fill → settlement on chain', () => {
  let t: TestEngine;
  let seller: SignedIn;
  let buyer: SignedIn;
  let admin: SignedIn;

  beforeAll(async () => {
    t = await createTestEngine({
      chain: true,
      clock: new ManualClock(Date.parse('2026-12-01T03:00:00Z')),
      label: 'pipeline',
    });
    seller = await t.signUp('seller@example.com');
    buyer = await t.signUp('buyer@example.com');
    admin = await t.signIn('admin@gridtokenx.local', 'admin-demo-2026');
    await admin.caller.wallet.deposit({
      accountId: buyer.accountId,
      amountSatang: 1_000_000n,
      reference: 'bank-001',
    });
    await until(
      'deposit credited',
      async () => (await buyer.caller.wallet.balances()).thbSatang === 1_000_000n,
    );
    await until(
      'mandates on chain',
      async () =>
        (await t.db.prisma.settlementOutbox.count({
          where: { kind: 'mandate', status: { not: 'FINAL' } },
        })) === 0,
    );
  });
  afterAll(async () => t?.close());

  it('settles a same-zone trade: the buyer’s THB moves into escrow, exactly the trade amount', async () => {
    const before = await buyer.caller.wallet.balances();
    await seller.caller.orders.place({
      zone: 'MEA-BKK',
      intervalStart: T,
      side: 'sell',
      type: 'limit',
      priceTicks: 35_000,
      quantityWh: 5_000,
      tif: 'GTC',
    });
    const take = await buyer.caller.orders.place({
      zone: 'MEA-BKK',
      intervalStart: T,
      side: 'buy',
      type: 'limit',
      priceTicks: 35_000,
      quantityWh: 5_000,
      tif: 'IOC',
    });
    const tradeId = take.trades[0]!.id;
    const trade = await until('trade final', async () => {
      const row = await t.db.prisma.trade.findUnique({ where: { id: tradeId } });
      return row?.settlementStatus === 'FINAL' ? row : null;
    });
    const cost = trade.notionalSatang + trade.wheelingSatang + trade.buyerFeeSatang;
    expect(trade.notionalSatang).toBe(1_750n); // 5 kWh × 3.50 THB
    const after = await buyer.caller.wallet.balances();
    expect(before.thbSatang - after.thbSatang).toBe(cost);
    expect(after.escrowedSatang - before.escrowedSatang).toBe(cost);
    expect(after.unsettledSatang).toBe(0n);
    const escrow = t.engine.services.chain!.query.escrow(tradeId);
    expect(escrow).toMatchObject({ status: 'OPEN', quantityWh: 5_000n, amountSatang: cost });

    // The explorer finds the transaction, and its inclusion proof verifies against the block.
    const anon = await t.caller();
    const tx = await anon.chain.tx({ hash: trade.chainTxHash! });
    expect(tx.kind).toBe('TRADE_SETTLE');
    expect(tx.height).toBe(Number(trade.chainHeight));
    const found = await t.engine.services.chain!.query.tx(trade.chainTxHash!);
    expect(
      verifyTxInclusion(found!.tx.bytes, found!.proof, {
        txRoot: found!.txRoot,
        txCount: found!.txCount,
      }),
    ).toBe(true);
    // A tampered transaction does not verify.
    const tampered = Uint8Array.from(found!.tx.bytes);
    tampered[10] = tampered[10]! ^ 1;
    expect(
      verifyTxInclusion(tampered, found!.proof, { txRoot: found!.txRoot, txCount: found!.txCount }),
    ).toBe(false);

    const history = await buyer.caller.wallet.history();
    expect(history.find((h) => h.tradeId === tradeId)).toMatchObject({
      status: 'FINAL',
      side: 'buy',
      amountSatang: -cost,
    });
  });

  it('settles a cross-zone trade with wheeling and consumes link capacity on chain too', async () => {
    await seller.caller.orders.place({
      zone: 'PEA-C',
      intervalStart: T,
      side: 'sell',
      type: 'limit',
      priceTicks: 30_000,
      quantityWh: 2_000,
      tif: 'GTC',
    });
    const take = await buyer.caller.orders.place({
      zone: 'MEA-BKK',
      intervalStart: T,
      side: 'buy',
      type: 'limit',
      priceTicks: 33_000,
      quantityWh: 2_000,
      tif: 'IOC',
    });
    const tradeId = take.trades[0]!.id;
    expect(take.trades[0]).toMatchObject({
      wheelingTicks: 1_500,
      sellZone: 'PEA-C',
      buyZone: 'MEA-BKK',
    });
    await until(
      'cross-zone trade final',
      async () =>
        (await t.db.prisma.trade.findUnique({ where: { id: tradeId } }))?.settlementStatus ===
        'FINAL',
    );
    const escrow = t.engine.services.chain!.query.escrow(tradeId)!;
    expect(escrow.amountSatang).toBe(600n + 30n); // 2 kWh × 3.00 + 2 kWh × 0.15 wheeling
    expect(t.engine.services.chain!.query.linkUsageWh('PEA-C', 'MEA-BKK', Date.parse(T))).toBe(
      2_000n,
    );
  });

  it('signs a new account up with a chain key and a mandate on chain', async () => {
    const fresh = await t.signIn('seller@example.com', TEST_PASSWORD);
    const me = await fresh.caller.auth.me();
    expect(me?.chainPublicKey).toMatch(/^[0-9a-f]{64}$/);
    const account = t.engine.services.chain!.query.account(me!.chainPublicKey!);
    expect(account?.mandates).toContain(t.engine.services.chain!.addressOfRole('clearing'));
  });

  it('paces blocks carrying settlements at least the block interval apart (BLK-5)', async () => {
    const blocks = await t.db.prisma.chainBlock.findMany({ orderBy: { height: 'asc' } });
    let paced = 0;
    for (let i = 1; i < blocks.length; i++) {
      const [parent, block] = [blocks[i - 1]!, blocks[i]!];
      if (block.txCount === 0 || block.round !== 0) continue;
      expect(block.time.getTime() - parent.time.getTime()).toBeGreaterThanOrEqual(
        LOCAL_MIN_BLOCK_INTERVAL_MS,
      );
      paced += 1;
    }
    expect(paced).toBeGreaterThanOrEqual(3); // deposits, mandates and trades went into blocks
  });

  it('shows the validators and a head that moves', async () => {
    const anon = await t.caller();
    const validators = await anon.chain.validators();
    expect(validators.map((v) => v.name).sort()).toEqual(['EGAT', 'ERC', 'MEA', 'PEA']);
    const head = await anon.chain.head();
    expect(head.height).toBeGreaterThan(0);
  });
});
