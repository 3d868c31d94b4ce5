// Balancing on a manual clock against the real chain: battery owners offer reserve for an hour,
// the operator activates it pay-as-clear (merit order, marginal price for all); a seller's big
// shortfall is then priced at the reserve price, pays the providers, and drives the frequency
// out of its band — the engine halts the zone by itself (EGAT-signed, alert on the grid room)
// until an operator resumes it. An overloaded link halts both its zones the same way.
import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/clock.ts';
import { signReading } from '../src/metering/keys.ts';
import { createTestEngine, type SignedIn, type TestEngine } from '../src/testing/engine.ts';
import { domainCodeOf } from '../src/trpc/init.ts';
import { until } from './support/process.ts';
import { tapStreams, type StreamTap } from './support/streams.ts';

const MIN = 60_000;
const H = Date.parse('2026-12-01T04:00:00Z'); // 11:00 ICT
const T = H + 15 * MIN; // the 11:15 ICT interval
const iso = (ms: number) => new Date(ms).toISOString();

async function codeOf(p: Promise<unknown>): Promise<string | null> {
  try {
    await p;
    return null;
  } catch (e) {
    if (!(e instanceof TRPCError)) throw e;
    return domainCodeOf(e) ?? e.code;
  }
}

describe('reserves and the emergency protocol', () => {
  let t: TestEngine;
  let clock: ManualClock;
  let chainId: string;
  let operator: SignedIn;
  const meters: Record<string, { who: SignedIn; meterId: string; secretKey: string }> = {};
  let streams: StreamTap;
  const alerts = () =>
    streams.messages.filter((m) => m.room === 'grid' && m.type === 'alert').map((m) => m.data);

  beforeAll(async () => {
    clock = new ManualClock(Date.parse('2026-12-01T03:00:00Z'));
    t = await createTestEngine({ chain: true, clock, label: 'balancing' });
    chainId = t.engine.services.chain!.chainId;
    const pea = await t.signIn('pea@gridtokenx.local', 'pea-demo-2026');
    const admin = await t.signIn('admin@gridtokenx.local', 'admin-demo-2026');
    operator = await t.signIn('operator@gridtokenx.local', 'operator-demo-2026');
    for (const [name, kind, capacityW, deposit] of [
      ['b1', 'BATTERY', 10_000, 0n],
      ['b2', 'BATTERY', 10_000, 0n],
      ['b3', 'BATTERY', 10_000, 0n],
      ['seller', 'SOLAR', 3_000_000, 500_000n],
      ['plant', 'CONSUMPTION', 3_000_000, 1_000_000n],
    ] as const) {
      const who = await t.signUp(`${name}@example.com`);
      const m = await pea.caller.meter.register({
        ownerId: who.accountId,
        zone: 'PEA-C',
        kind,
        capacityW,
      });
      if (deposit > 0n) {
        await admin.caller.wallet.deposit({
          accountId: who.accountId,
          amountSatang: deposit,
          reference: `bal-${name}`,
        });
      }
      meters[name] = { who, meterId: m.meterId, secretKey: m.secretKey! };
    }
    await until(
      'funds',
      async () => (await meters.plant!.who.caller.wallet.balances()).thbSatang === 1_000_000n,
    );
    streams = tapStreams(t.engine.services.hub);
  });
  afterAll(async () => t?.close());

  const read = async (name: string, injectedWh: number, withdrawnWh: number) => {
    const m = meters[name]!;
    await (
      await t.caller()
    ).meter.submitReading({
      meterId: m.meterId,
      intervalStart: iso(T),
      injectedWh,
      withdrawnWh,
      signature: signReading(m.secretKey, {
        chainId,
        meterId: m.meterId,
        intervalStartMs: T,
        injectedWh,
        withdrawnWh,
      }),
    });
  };

  it('takes battery offers for a future hour within the battery’s power', async () => {
    const offer = (
      name: string,
      direction: 'UP' | 'DOWN',
      powerW: number,
      priceTicks: number,
      hourStart = H,
    ) =>
      meters[name]!.who.caller.grid.offerReserve({
        meterId: meters[name]!.meterId,
        hourStart: iso(hourStart),
        direction,
        powerW,
        priceTicks,
      });
    await offer('b1', 'UP', 5_000, 60_000);
    await offer('b2', 'UP', 8_000, 50_000);
    await offer('b3', 'UP', 4_000, 70_000);
    await offer('b3', 'DOWN', 4_000, 10_000);
    expect(await codeOf(offer('b1', 'UP', 6_000, 55_000))).toBe('RESERVE_OVER_CAPACITY');
    expect(await codeOf(offer('b1', 'UP', 1_000, 55_000, H - 3_600_000))).toBe(
      'RESERVE_HOUR_INVALID',
    );
    expect(await codeOf(offer('plant', 'UP', 1_000, 55_000))).toBe('RESERVE_INVALID_METER');
    const mine = await meters.b3!.who.caller.grid.reserves({ hourStart: iso(H) });
    expect(mine.offers).toHaveLength(2);
  });

  it('activates upward reserve pay-as-clear: merit order, the marginal offer’s price for all', async () => {
    // The seller sells 600 kWh at 11:15 it will not deliver; the plant buys it.
    await meters.seller!.who.caller.orders.place({
      zone: 'PEA-C',
      intervalStart: iso(T),
      side: 'sell',
      type: 'limit',
      priceTicks: 40_000,
      quantityWh: 600_000,
      tif: 'GTC',
    });
    await meters.plant!.who.caller.orders.place({
      zone: 'PEA-C',
      intervalStart: iso(T),
      side: 'buy',
      type: 'limit',
      priceTicks: 40_000,
      quantityWh: 600_000,
      tif: 'GTC',
    });
    clock.set(H + 5 * MIN);
    const a = await operator.caller.grid.activateReserve({
      zone: 'PEA-C',
      hourStart: iso(H),
      direction: 'UP',
      requestedW: 10_000,
      reason: 'frequency support',
    });
    expect(a.activatedW).toBe(10_000n);
    expect(a.clearingPriceTicks).toBe(60_000);
    expect(a.awards.map((w) => [w.offerId.length > 0, w.powerW, w.offerPriceTicks])).toEqual([
      [true, 8_000n, 50_000],
      [true, 2_000n, 60_000],
    ]);
    const view = await operator.caller.grid.reserves({ hourStart: iso(H) });
    expect(view.offers.map((o) => o.status).sort()).toEqual([
      'ACTIVATED',
      'ACTIVATED',
      'OFFERED',
      'OFFERED',
    ]);
    expect(view.activations[0]!.awards.every((w) => w.priceTicks === 60_000)).toBe(true);
    expect(
      await codeOf(
        operator.caller.grid.activateReserve({
          zone: 'PEA-S',
          hourStart: iso(H),
          direction: 'UP',
          requestedW: 1_000,
          reason: 'none there',
        }),
      ),
    ).toBe('RESERVE_NO_OFFERS');
  });

  it('prices the shortfall at the reserve price, pays the batteries, and halts the zone on the excursion', async () => {
    clock.set(T + 16 * MIN);
    await read('plant', 0, 600_000);
    await read('b2', 2_000, 0);
    await read('b1', 1_000, 0);
    clock.set(T + 26 * MIN);
    await until('interval settled and zone halted', async () => {
      await t.engine.tick();
      return (await t.db.prisma.zone.findUniqueOrThrow({ where: { code: 'PEA-C' } })).halted;
    });
    const price = await t.db.prisma.imbalancePrice.findUniqueOrThrow({
      where: { intervalStart_zone: { intervalStart: new Date(T), zone: 'PEA-C' } },
    });
    expect(price).toMatchObject({ priceTicks: 60_000, basis: 'reserve-up' });
    const [d] = await t.db.prisma.deliverySettlement.findMany({
      where: { intervalStart: new Date(T) },
    });
    expect(d).toMatchObject({
      deliveredWh: 0n,
      shortfallWh: 600_000n,
      imbalanceChargeSatang: 360_000n,
    });
    // Providers are paid for what their meters delivered, up to the award: b2 2 kWh, b1 0.5 kWh.
    const awards = await t.db.prisma.reserveAward.findMany({ orderBy: { powerW: 'desc' } });
    expect(awards.map((w) => [w.deliveredWh, w.paidSatang])).toEqual([
      [2_000n, 1_200n],
      [500n, 300n],
    ]);
    await until(
      'payments final',
      async () =>
        (await t.db.prisma.settlementOutbox.count({
          where: { kind: 'reserve.payment', status: 'FINAL' },
        })) === 2,
    );
    const chain = t.engine.services.chain!;
    expect(chain.query.balance(await chain.addressOf(meters.b2!.who.accountId), 'THB')).toBe(
      1_200n,
    );

    // 600 kWh short in a quarter hour: 49.4 Hz, outside the band. The engine halted PEA-C itself.
    const view = await (await t.caller()).grid.imbalance({ intervalStart: iso(T) });
    expect(view.frequency).toMatchObject({ mhz: 49_400, state: 'EMERGENCY' });
    expect(view.zones.find((z) => z.zone === 'PEA-C')).toMatchObject({
      imbalanceWh: -600_000n,
      halted: true,
    });
    expect(view.trend.at(-1)).toMatchObject({ frequencyMhz: 49_400 });
    const events = await (await t.caller()).grid.events({ limit: 10 });
    expect(events.find((e) => e.kind === 'FREQUENCY_EXCURSION')).toBeDefined();
    const halt = events.find((e) => e.kind === 'HALT')!;
    expect(halt).toMatchObject({ zone: 'PEA-C', actorId: null });
    expect(alerts()).toContainEqual(
      expect.objectContaining({
        level: 'EMERGENCY',
        cause: 'FREQUENCY_EXCURSION',
        zones: ['PEA-C'],
      }),
    );
    await until(
      'halt on chain',
      () => chain.query.grid().zones.find((z) => z.id === 'PEA-C')?.halted === true,
    );
    const next = iso(T + 60 * MIN);
    expect(
      await codeOf(
        meters.plant!.who.caller.orders.place({
          zone: 'PEA-C',
          intervalStart: next,
          side: 'buy',
          type: 'limit',
          priceTicks: 30_000,
          quantityWh: 1_000,
          tif: 'GTC',
        }),
      ),
    ).toBe('MATCH_ZONE_HALTED');

    // Until an operator resumes it.
    await operator.caller.grid.resume({ zone: 'PEA-C', reason: 'frequency restored' });
    await until(
      'resume on chain',
      () => chain.query.grid().zones.find((z) => z.id === 'PEA-C')?.halted === false,
    );
    const resumed = await meters.plant!.who.caller.orders.place({
      zone: 'PEA-C',
      intervalStart: next,
      side: 'buy',
      type: 'limit',
      priceTicks: 30_000,
      quantityWh: 1_000,
      tif: 'GTC',
    });
    expect(resumed.order.status).toBe('OPEN');
    const resume = (await (await t.caller()).grid.events({ kind: 'RESUME', limit: 1 }))[0]!;
    expect(resume.actorId).toBe(operator.accountId);
  });

  it('halts both zones of a link whose scheduled flow exceeds a cut capacity', async () => {
    const when = T + 75 * MIN; // 12:30 ICT
    await meters.seller!.who.caller.orders.place({
      zone: 'PEA-C',
      intervalStart: iso(when),
      side: 'sell',
      type: 'limit',
      priceTicks: 30_000,
      quantityWh: 5_000,
      tif: 'GTC',
    });
    const cross = await t.signUp('bangkok@example.com');
    const admin = await t.signIn('admin@gridtokenx.local', 'admin-demo-2026');
    await admin.caller.wallet.deposit({
      accountId: cross.accountId,
      amountSatang: 100_000n,
      reference: 'bal-bkk',
    });
    await until('funds', async () => (await cross.caller.wallet.balances()).thbSatang === 100_000n);
    const filled = await cross.caller.orders.place({
      zone: 'MEA-BKK',
      intervalStart: iso(when),
      side: 'buy',
      type: 'limit',
      priceTicks: 40_000,
      quantityWh: 5_000,
      tif: 'GTC',
    });
    expect(filled.trades).toHaveLength(1);
    await operator.caller.grid.setLinkCapacity({
      from: 'PEA-C',
      to: 'MEA-BKK',
      capacityWh: 1_000,
      reason: 'line fault',
    });
    clock.set(when + MIN);
    await until(
      'link overload halts',
      async () => {
        await t.engine.services.emergency.checkLinks();
        const zones = await t.db.prisma.zone.findMany({
          where: { code: { in: ['PEA-C', 'MEA-BKK'] } },
        });
        return zones.every((z) => z.halted);
      },
      10_000,
    );
    const overload = (
      await (await t.caller()).grid.events({ kind: 'LINK_OVERLOAD', limit: 1 })
    )[0]!;
    // Every stream message (deliveries, reserve, alerts, zones) went out as JSON.
    expect(streams.failures).toEqual([]);
    expect(streams.messages.some((m) => m.type === 'reserve')).toBe(true);
    expect(overload.details).toMatchObject({
      from: 'PEA-C',
      to: 'MEA-BKK',
      scheduledWh: '5000',
      capacityWh: '1000',
    });
  });
});
