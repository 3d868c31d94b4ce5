// The engine joining a real WebSocket devnet (CHAIN_MODE=devnet): four validator processes from
// `bin/devnet.mjs`, the engine following them as a non-voting node. Two traders cross → the
// trade's settlement is final on the devnet and both balances, read from the validators by an
// independent follower, change by exactly the trade; with one validator SIGKILLed the next trade
// still finalizes (three of four); with every validator down the engine is not ready and the
// settlement waits in the outbox, then drains when the devnet is relaunched. A database bound to
// another genesis is refused.
import { genesisToJson } from '@gridtokenx/chain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChainHostError } from '../src/chain/devnet.ts';
import { chainHostingFromEnv } from '../src/chain/mode.ts';
import { createEngine } from '../src/engine.ts';
import { loadEnv } from '../src/env.ts';
import { createLogger } from '../src/log.ts';
import { ManualClock } from '../src/clock.ts';
import { TEST_KEK, type SignedIn } from '../src/testing/engine.ts';
import {
  buildChainDist,
  Devnet,
  engineDatabase,
  Observer,
  startDevnetEngine,
  type DevnetEngine,
} from './support/devnet.ts';
import { refuseWrites } from './support/settlement.ts';
import { crossOneKwh } from './support/traders.ts';
import { until } from './support/process.ts';

/** An interval an hour or more ahead (its real-time book is open, delivery far off). */
const T = new Date(Math.ceil((Date.now() + 3_600_000) / 900_000) * 900_000).toISOString();

describe('engine on a WebSocket devnet (CHAIN_MODE=devnet)', () => {
  let devnet: Devnet | null = null;
  let t: DevnetEngine | null = null;
  let observer: Observer | null = null;
  let seller: SignedIn;
  let buyer: SignedIn;

  beforeAll(async () => {
    await buildChainDist();
    devnet = await Devnet.launch();
    t = await startDevnetEngine(devnet.dir);
    observer = await Observer.start(devnet.dir, t.devnet);
    seller = await t.signUp('seller@example.com');
    buyer = await t.signUp('buyer@example.com');
    const admin = await t.signIn('admin@gridtokenx.local', 'admin-demo-2026');
    await admin.caller.wallet.deposit({
      accountId: buyer.accountId,
      amountSatang: 1_000_000n,
      reference: 'devnet-fund',
    });
    const buyerAddress = await t.engine.services.chain!.addressOf(buyer.accountId);
    await until(
      'deposit and mandates final on the devnet',
      async () =>
        observer!.query.balance(buyerAddress, 'THB') === 1_000_000n &&
        (await t!.db.prisma.settlementOutbox.count({ where: { status: { not: 'FINAL' } } })) === 0,
      30_000,
    );
  }, 90_000);

  afterAll(async () => {
    await observer?.stop();
    await t?.close();
    await devnet?.stop();
  });

  /** Seller offers, buyer takes: one trade of 1 kWh at 3.50 THB in Bangkok. */
  const cross = (): Promise<string> => crossOneKwh(seller, buyer, T);

  const finalTrade = (tradeId: string, timeoutMs: number) =>
    until(
      `trade ${tradeId} final`,
      async () => {
        const row = await t!.db.prisma.trade.findUnique({ where: { id: tradeId } });
        return row?.settlementStatus === 'FINAL' ? row : null;
      },
      timeoutMs,
    );

  it('reports the devnet in the environment path and is ready once a validator is linked', async () => {
    expect(t!.engine.services.chain!.mode).toBe('devnet');
    expect(t!.engine.services.chain!.chainId).toBe(t!.devnet.genesis.chainId);
    expect(t!.devnet.validators.map((v) => v.name)).toEqual(['EGAT', 'MEA', 'PEA', 'ERC']);
    await until('ready', async () => (await t!.ready()).status === 200);
  });

  it('settles a trade on the devnet: both balances on chain change by exactly the trade; survives a SIGKILLed validator', async () => {
    const chain = t!.engine.services.chain!;
    const buyerAddress = await chain.addressOf(buyer.accountId);
    const sellerAddress = await chain.addressOf(seller.accountId);
    const q = observer!.query;
    const before = { buyer: q.balances(buyerAddress), seller: q.balances(sellerAddress) };

    const tradeId = await cross();
    const trade = await finalTrade(tradeId, 20_000);
    const cost = trade.notionalSatang + trade.wheelingSatang + trade.buyerFeeSatang;
    expect(trade.notionalSatang).toBe(350n); // 1 kWh × 3.50 THB
    // The validators (through the independent follower) agree with the engine's record.
    await until('observer at the trade height', () => q.head().height >= Number(trade.chainHeight));
    const onChain = await q.tx(trade.chainTxHash!);
    expect(onChain).toMatchObject({ height: Number(trade.chainHeight) });
    expect(onChain!.tx.kind).toBe('TRADE_SETTLE');
    const after = { buyer: q.balances(buyerAddress), seller: q.balances(sellerAddress) };
    expect(before.buyer.thbSatang - after.buyer.thbSatang).toBe(cost);
    expect(after.buyer.escrowedSatang - before.buyer.escrowedSatang).toBe(cost);
    expect(after.seller).toEqual(before.seller); // paid from the escrow at delivery
    expect(q.escrow(tradeId)).toMatchObject({
      status: 'OPEN',
      buyer: buyerAddress,
      seller: sellerAddress,
      quantityWh: 1_000n,
      amountSatang: cost,
    });
    expect(q.escrows(sellerAddress).filter((e) => e.status === 'OPEN')).toHaveLength(1);
    // The engine's explorer index has the block, as in the in-process mode.
    const block = await t!.db.pool.query<{ tx_count: number }>(
      'SELECT tx_count FROM chain_block WHERE height = $1',
      [Number(trade.chainHeight)],
    );
    expect(block.rows[0]?.tx_count).toBeGreaterThan(0);

    // One validator killed outright: three of four still finalize.
    await devnet!.kill('PEA');
    const second = await cross();
    const secondTrade = await finalTrade(second, 30_000).catch(async (e: unknown) => {
      throw new Error(`${String(e)}\n${await devnet!.diagnostics()}`);
    });
    await until('observer at the second trade', () => q.escrow(second) !== null);
    expect(q.escrow(second)).toMatchObject({ status: 'OPEN', amountSatang: cost });
    expect(q.balances(buyerAddress).thbSatang).toBe(after.buyer.thbSatang - cost);
    expect(secondTrade.chainHeight).toBeGreaterThan(trade.chainHeight!);
    expect((await t!.ready()).status).toBe(200);
  });

  it('is not ready while no validator is reachable; the settlement waits, then drains when the devnet returns', async () => {
    await devnet!.killAll();
    await until('not ready', async () => (await t!.ready()).status === 503);
    expect((await t!.ready()).body.reason).toMatch(/no devnet validator is reachable/);

    const tradeId = await cross();
    await new Promise((r) => setTimeout(r, 1_500));
    const waiting = await t!.db.prisma.trade.findUnique({ where: { id: tradeId } });
    expect(['PENDING', 'SUBMITTED']).toContain(waiting?.settlementStatus);

    await devnet!.start(); // the same folder: the four validators resume their chain
    await until('ready again', async () => (await t!.ready()).status === 200, 20_000);
    const trade = await finalTrade(tradeId, 30_000);
    await until('observer sees the escrow', () => observer!.query.escrow(tradeId) !== null, 20_000);
    expect(observer!.query.escrow(tradeId)).toMatchObject({
      status: 'OPEN',
      amountSatang: trade.notionalSatang + trade.wheelingSatang + trade.buyerFeeSatang,
    });
    const settles = await t!.db.pool.query<{ n: string }>(
      `SELECT count(*)::text AS n FROM chain_tx WHERE kind = 'TRADE_SETTLE'`,
    );
    expect(settles.rows[0]!.n).toBe('3'); // each trade settled once
  });

  it('follows again by itself after the database refused its block writes for a while', async () => {
    const db = t!.db.pool;
    const allow = await refuseWrites(db, ['chain_store_block'], 'INSERT');
    try {
      const tradeId = await cross();
      // The follower stops at its first refused block write and leaves the network.
      await until('not ready', async () => (await t!.ready()).status === 503, 30_000);
      const waiting = await t!.db.prisma.trade.findUnique({ where: { id: tradeId } });
      expect(waiting?.settlementStatus).not.toBe('FINAL');

      await allow();
      await until('ready again', async () => (await t!.ready()).status === 200, 60_000);
      await finalTrade(tradeId, 60_000);
      const settles = await db.query<{ n: string }>(
        `SELECT count(*)::text AS n FROM chain_tx WHERE kind = 'TRADE_SETTLE'`,
      );
      expect(settles.rows[0]!.n).toBe('4'); // each trade settled once
    } finally {
      await allow();
    }
  });

  it('refuses a database bound to another genesis, with a code', async () => {
    const { db, testDb } = await engineDatabase('devnet-bound');
    try {
      const other = { ...t!.devnet.genesis, chainId: 'gridtokenx-other' };
      await db.prisma.engineState.create({
        data: { key: 'chain.genesis', value: { json: genesisToJson(other) } },
      });
      const hosting = await chainHostingFromEnv(
        loadEnv({ CHAIN_MODE: 'devnet', CHAIN_DEVNET_DIR: devnet!.dir }),
      );
      const start = createEngine({
        db,
        logger: createLogger('silent'),
        clock: new ManualClock(Date.now()),
        chain: hosting,
        config: {
          kek: TEST_KEK,
          secureCookies: false,
          ordersPerAccountPerSec: 1,
          ordersPerIpPerSec: 1,
          loginsPerMinute: 1,
          version: 'test',
        },
      });
      await expect(start).rejects.toBeInstanceOf(ChainHostError);
      await expect(start).rejects.toMatchObject({ code: 'ENGINE_CHAIN_GENESIS_MISMATCH' });
    } finally {
      await db.close();
      await testDb.drop();
    }
  });
});
