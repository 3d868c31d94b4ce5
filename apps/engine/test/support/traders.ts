// Two traders for settlement scenarios: a seller, and a buyer whose THB deposit is final on
// chain; and the one trade most of those scenarios need (1 kWh at 3.50 THB in Bangkok).
import { ManualClock } from '../../src/clock.ts';
import { createTestEngine, type SignedIn, type TestEngine } from '../../src/testing/engine.ts';
import { until } from './process.ts';

/** The delivery interval the chain scenarios trade in (13:00 ICT, open all morning). */
export const SCENARIO_INTERVAL = new Date('2026-12-01T06:00:00Z').toISOString();

/**
 * An engine hosting the chain in-process, its clock at 10:00 ICT on the scenario day, with a
 * seller and a buyer whose deposit of `fundSatang` is final on chain.
 */
export async function chainScenario(
  label: string,
  fundSatang: bigint,
): Promise<{ t: TestEngine; seller: SignedIn; buyer: SignedIn }> {
  const t = await createTestEngine({
    chain: true,
    clock: new ManualClock(Date.parse('2026-12-01T03:00:00Z')),
    label,
  });
  return { t, ...(await sellerAndFundedBuyer(t, fundSatang, `${label}-fund`)) };
}

export async function sellerAndFundedBuyer(
  t: TestEngine,
  amountSatang: bigint,
  reference: string,
): Promise<{ seller: SignedIn; buyer: SignedIn }> {
  const seller = await t.signUp('seller@example.com');
  const buyer = await t.signUp('buyer@example.com');
  const admin = await t.signIn('admin@gridtokenx.local', 'admin-demo-2026');
  await admin.caller.wallet.deposit({ accountId: buyer.accountId, amountSatang, reference });
  await until(
    'the deposit on chain',
    async () => (await buyer.caller.wallet.balances()).thbSatang === amountSatang,
  );
  return { seller, buyer };
}

/** The seller rests 1 kWh at 3.50 THB in MEA-BKK, the buyer takes it; returns the trade id. */
export async function crossOneKwh(
  seller: SignedIn,
  buyer: SignedIn,
  intervalStart: string,
): Promise<string> {
  const order = {
    zone: 'MEA-BKK',
    intervalStart,
    type: 'limit',
    priceTicks: 35_000,
    quantityWh: 1_000,
  } as const;
  await seller.caller.orders.place({ ...order, side: 'sell', tif: 'GTC' });
  const take = await buyer.caller.orders.place({ ...order, side: 'buy', tif: 'IOC' });
  return take.trades[0]!.id;
}
