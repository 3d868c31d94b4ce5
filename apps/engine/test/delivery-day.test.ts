// A whole delivery day on a manual clock against the real chain, compressed to hourly meter
// readings: day-ahead and real-time trades (in-zone, cross-zone, against the clearing house),
// signed readings, and each interval settled once its metering window closes. At the end GT
// minted equals metered injection, burned never exceeds withdrawal, every trade's delivery and
// imbalance settled exactly once (on chain and in the database), and THB is conserved.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/clock.ts';
import { signReading } from '../src/metering/keys.ts';
import { INTERVAL_MS } from '../src/market/calendar.ts';
import { WATERMARK_KEY } from '../src/delivery/window.ts';
import { createTestEngine, type SignedIn, type TestEngine } from '../src/testing/engine.ts';
import { until } from './support/process.ts';
import { tapStreams, type StreamTap } from './support/streams.ts';

const MIN = 60_000;
const DAY = '2026-12-02';
const at = (hhmm: string) => Date.parse(`${DAY}T${hhmm}:00+07:00`);
const iso = (ms: number) => new Date(ms).toISOString();

interface Participant {
  who: SignedIn;
  meterId: string;
  secretKey: string;
  /** Wh injected and withdrawn per hour of the day (ICT), reported for the :00 interval. */
  profile: (hour: number) => [number, number];
}

describe('a delivery day, end to end', () => {
  let t: TestEngine;
  let clock: ManualClock;
  let chainId: string;
  const people: Record<string, Participant> = {};
  let thbBefore: bigint;
  let streams: StreamTap;

  const thbHoldings = async (): Promise<bigint> => {
    const chain = t.engine.services.chain!;
    const accounts = await t.db.prisma.account.findMany({
      where: { chainPublicKey: { not: null } },
    });
    const addresses = new Set([
      ...accounts.map((a) => Buffer.from(a.chainPublicKey!).toString('hex')),
      ...(['clearing', 'bank', 'EGAT', 'MEA', 'PEA', 'ERC'] as const).map((r) =>
        chain.addressOfRole(r),
      ),
    ]);
    let sum = 0n;
    for (const a of addresses) {
      const b = chain.query.balances(a);
      sum += b.thbSatang + b.escrowedSatang + b.bondedSatang + b.unbondingSatang;
    }
    return sum;
  };

  const outboxDrained = () =>
    until(
      'outbox drained',
      async () =>
        (await t.db.prisma.settlementOutbox.count({
          where: { status: { in: ['PENDING', 'SUBMITTED'] } },
        })) === 0,
      60_000,
    );

  const watermark = async () =>
    Number(
      (
        (await t.db.prisma.engineState.findUnique({ where: { key: WATERMARK_KEY } }))?.value as {
          ms: number;
        }
      )?.ms ?? 0,
    );

  beforeAll(async () => {
    clock = new ManualClock(Date.parse('2026-12-01T03:00:00Z')); // 10:00 ICT the day before
    t = await createTestEngine({ chain: true, clock, label: 'delivery-day' });
    chainId = t.engine.services.chain!.chainId;
    streams = tapStreams(t.engine.services.hub);
    const admin = await t.signIn('admin@gridtokenx.local', 'admin-demo-2026');
    const specs: [
      string,
      string,
      'SOLAR' | 'HYDRO' | 'CONSUMPTION',
      number,
      bigint,
      Participant['profile'],
    ][] = [
      // A business rooftop in Bangkok: a noon bell, 4 kWh in the noon quarter hour.
      [
        'sol',
        'MEA-BKK',
        'SOLAR',
        20_000,
        50_000n,
        (h) => (h >= 6 && h <= 18 ? [Math.max(0, 4_000 - Math.abs(12 - h) * 600), 0] : [0, 300]),
      ],
      // A run-of-river plant in the North: steady 15 kWh, short at 13:00.
      [
        'hydro',
        'PEA-N',
        'HYDRO',
        200_000,
        100_000n,
        (h) => [h === 13 ? 12_000 : h === 9 ? 20_000 : 15_000, 0],
      ],
      ['home', 'MEA-BKK', 'CONSUMPTION', 10_000, 500_000n, (h) => [0, h === 12 ? 2_500 : 1_000]],
      ['shop', 'PEA-C', 'CONSUMPTION', 20_000, 500_000n, (h) => [0, h === 12 ? 1_000 : 0]],
      [
        'factory',
        'PEA-C',
        'CONSUMPTION',
        100_000,
        2_000_000n,
        (h) => [0, h === 9 ? 25_000 : h === 13 ? 20_000 : h === 18 ? 8_000 : 0],
      ],
    ];
    for (const [name, zone, kind, capacityW, deposit, profile] of specs) {
      const who = await t.signUp(`${name}@example.com`);
      const m = await admin.caller.meter.register({
        ownerId: who.accountId,
        zone,
        kind,
        capacityW,
      });
      await admin.caller.wallet.deposit({
        accountId: who.accountId,
        amountSatang: deposit,
        reference: `day-${name}`,
      });
      people[name] = { who, meterId: m.meterId, secretKey: m.secretKey!, profile };
    }
    await until(
      'deposits',
      async () => (await people.factory!.who.caller.wallet.balances()).thbSatang === 2_000_000n,
    );
  });
  afterAll(async () => t?.close());

  it(
    'trades the day ahead and in real time, then settles every interval of the day',
    { timeout: 240_000 },
    async () => {
      const { sol, hydro, home, shop, factory } = people as Required<typeof people> &
        Record<string, Participant>;
      // Day-ahead (gate D-1 12:00 ICT): hydro sells 20 kWh at 09:00 and 13:00, the factory buys them.
      for (const hh of ['09:00', '13:00']) {
        await hydro!.who.caller.dayAhead.submit({
          orders: [
            {
              kind: 'simple',
              zone: 'PEA-N',
              side: 'sell',
              intervalStart: iso(at(hh)),
              priceTicks: 20_000,
              quantityWh: 20_000,
            },
          ],
        });
        await factory!.who.caller.dayAhead.submit({
          orders: [
            {
              kind: 'simple',
              zone: 'PEA-C',
              side: 'buy',
              intervalStart: iso(at(hh)),
              priceTicks: 40_000,
              quantityWh: 20_000,
            },
          ],
        });
      }
      clock.set(Date.parse('2026-12-01T05:00:00Z'));
      await t.engine.tick();
      // Real time (opens D-1 16:00 ICT): the rooftop sells 5 kWh at noon in two orders, to a home
      // in its zone and across the link to a shop; hydro sells 10 kWh at 18:00 to the factory.
      clock.set(Date.parse('2026-12-01T09:00:00Z'));
      await t.engine.tick();
      const noon = iso(at('12:00'));
      const place = (
        p: Participant,
        zone: string,
        side: 'buy' | 'sell',
        intervalStart: string,
        priceTicks: number,
        quantityWh: number,
      ) =>
        p.who.caller.orders.place({
          zone,
          intervalStart,
          side,
          type: 'limit',
          priceTicks,
          quantityWh,
          tif: 'GTC',
        });
      await place(sol!, 'MEA-BKK', 'sell', noon, 35_000, 3_000);
      await place(sol!, 'MEA-BKK', 'sell', noon, 35_000, 2_000);
      expect((await place(home!, 'MEA-BKK', 'buy', noon, 36_000, 3_000)).trades).toHaveLength(1);
      expect((await place(shop!, 'PEA-C', 'buy', noon, 40_000, 2_000)).trades).toHaveLength(1);
      await place(hydro!, 'PEA-N', 'sell', iso(at('18:00')), 30_000, 10_000);
      expect(
        (await place(factory!, 'PEA-C', 'buy', iso(at('18:00')), 35_000, 10_000)).trades,
      ).toHaveLength(1);
      await until(
        'trades final',
        async () =>
          (await t.db.prisma.trade.count({ where: { settlementStatus: { not: 'FINAL' } } })) === 0,
      );
      const trades = await t.db.prisma.trade.findMany();
      expect(trades.filter((x) => x.market === 'DAY_AHEAD')).toHaveLength(4);
      await outboxDrained();
      thbBefore = await thbHoldings();

      // The day: each hour's :00 interval is metered, then settled when its window closes.
      for (let hour = 0; hour < 24; hour++) {
        const t0 = at(`${String(hour).padStart(2, '0')}:00`);
        clock.set(t0 + INTERVAL_MS + MIN);
        const anon = await t.caller();
        for (const p of Object.values(people)) {
          const [injectedWh, withdrawnWh] = p.profile(hour);
          if (injectedWh === 0 && withdrawnWh === 0) continue;
          await anon.meter.submitReading({
            meterId: p.meterId,
            intervalStart: iso(t0),
            injectedWh,
            withdrawnWh,
            signature: signReading(p.secretKey, {
              chainId,
              meterId: p.meterId,
              intervalStartMs: t0,
              injectedWh,
              withdrawnWh,
            }),
          });
        }
        clock.set(t0 + 26 * MIN);
        await until(
          `interval ${hour}:00 settled`,
          async () => {
            await t.engine.tick();
            return (await watermark()) > t0;
          },
          30_000,
        );
      }
      await outboxDrained();
      expect(await t.db.prisma.settlementOutbox.count({ where: { status: 'FAILED' } })).toBe(0);
      // Deliveries and interval summaries went out on the streams, as JSON.
      expect(streams.failures).toEqual([]);
      expect(streams.messages.filter((m) => m.type === 'interval')).toHaveLength(24);
      expect(streams.messages.some((m) => m.type === 'delivery')).toBe(true);
    },
  );

  it('delivered the noon rooftop energy pro rata and charged its shortfall', async () => {
    const noon = await t.db.prisma.deliverySettlement.findMany({
      where: { intervalStart: new Date(at('12:00')) },
      orderBy: { deliveredWh: 'desc' },
    });
    // Sold 5 kWh, metered 4 kWh: 3/5 and 2/5 of it, and 1 kWh short at the interval's price.
    expect(noon.map((d) => d.deliveredWh)).toEqual([2_400n, 1_600n]);
    expect(noon.map((d) => d.shortfallWh)).toEqual([600n, 400n]);
    const price = await t.db.prisma.imbalancePrice.findUniqueOrThrow({
      where: { intervalStart_zone: { intervalStart: new Date(at('12:00')), zone: 'MEA-BKK' } },
    });
    expect(price.basis).toBe('rt-vwap');
    expect(price.priceTicks).toBe(35_000);
    expect(noon.map((d) => d.imbalanceChargeSatang)).toEqual([210n, 140n]);
    // Hydro's day-ahead sale at 13:00 was 8 kWh short: charged at the day-ahead price, and the
    // clearing house passed on to the factory only what it received.
    const one = await t.db.prisma.deliverySettlement.findMany({
      where: { intervalStart: new Date(at('13:00')) },
    });
    const bought = await t.db.prisma.trade.findMany({
      where: { intervalStart: new Date(at('13:00')) },
    });
    const hydroSale = one.find(
      (d) => bought.find((x) => x.id === d.tradeId)!.sellerId === people.hydro!.who.accountId,
    )!;
    expect(hydroSale.deliveredWh).toBe(12_000n);
    expect(hydroSale.imbalanceChargeSatang).toBeGreaterThan(0n);
    const passOn = one.find((d) => d.tradeId !== hydroSale.tradeId)!;
    expect(passOn.deliveredWh).toBe(12_000n);
    expect(passOn.imbalanceChargeSatang).toBe(0n);
  });

  it('shows each party its deliveries, charges and meter mints in the wallet history', async () => {
    const settlements = await t.db.prisma.deliverySettlement.findMany();
    const trades = await t.db.prisma.trade.findMany();
    for (const person of Object.values(people)) {
      const id = person.who.accountId;
      const history = await person.who.caller.wallet.history({ limit: 500 });
      for (const s of settlements) {
        const trade = trades.find((x) => x.id === s.tradeId)!;
        if (trade.buyerId !== id && trade.sellerId !== id) continue;
        const row = history.find((h) => h.kind === 'delivery' && h.tradeId === s.tradeId);
        const buyer = trade.buyerId === id;
        expect(row).toMatchObject({
          status: 'FINAL',
          side: buyer ? 'buy' : 'sell',
          intervalStart: s.intervalStart,
          energyWh: buyer ? s.deliveredWh : -s.deliveredWh,
          delivery: {
            deliveredWh: s.deliveredWh,
            shortfallWh: s.shortfallWh,
            imbalancePriceTicks: s.imbalancePriceTicks,
            imbalanceChargeSatang: buyer ? 0n : s.imbalanceChargeSatang,
          },
        });
        if (buyer) expect(row!.amountSatang).toBe(s.refundedSatang);
        else expect(row!.amountSatang).toBeLessThanOrEqual(s.releasedSatang);
      }
      const mints = await t.db.prisma.settlementOutbox.findMany({ where: { kind: 'meter.mint' } });
      const mine = mints.filter((m) => (m.payload as { ownerId: string }).ownerId === id);
      const shown = history.filter((h) => h.kind === 'meter.mint');
      expect(shown).toHaveLength(mine.length);
      const mintedWh = mine.reduce(
        (sum, m) => sum + BigInt((m.payload as { energyWh: string }).energyWh),
        0n,
      );
      expect(shown.reduce((sum, h) => sum + h.energyWh!, 0n)).toBe(mintedWh);
    }
    // Another trader sees none of it.
    const stranger = await t.signUp('stranger@example.com');
    expect(await stranger.caller.wallet.history()).toEqual(
      expect.not.arrayContaining([expect.objectContaining({ kind: 'delivery' })]),
    );
  });

  it('minted exactly the metered injection and burned no more than the withdrawal', async () => {
    const chain = t.engine.services.chain!;
    const readings = await t.db.prisma.meterReading.findMany();
    const injected = readings.reduce((s, r) => s + r.injectedWh, 0n);
    const withdrawn = readings.reduce((s, r) => s + r.withdrawnWh, 0n);
    const burned = readings.reduce((s, r) => s + (r.burnedWh ?? 0n), 0n);
    const supply = chain.query.supply('GT');
    expect(supply.minted).toBe(injected);
    expect(supply.burned).toBe(burned);
    expect(burned).toBeLessThanOrEqual(withdrawn);
    for (const r of readings) {
      expect(r.burnedWh).not.toBeNull();
      expect(r.burnedWh! + r.utilityWh!).toBe(r.withdrawnWh);
      if (r.injectedWh > 0n) {
        expect(chain.query.meterReading(r.meterId, r.intervalStart.getTime())?.energyWh).toBe(
          r.injectedWh,
        );
      }
    }
    // Per zone and interval: what was minted there is what its meters injected.
    const minted = await t.db.pool.query<{ zone: string; t: Date; wh: string }>(
      `SELECT payload->>'zone' AS zone, to_timestamp((payload->>'intervalStart')::bigint / 1000.0) AS t,
              sum((payload->>'energyWh')::bigint)::text AS wh
         FROM settlement_outbox WHERE kind = 'meter.mint' AND status = 'FINAL' GROUP BY 1, 2`,
    );
    const metered = await t.db.pool.query<{ zone: string; t: Date; wh: string }>(
      `SELECT m.zone, r.interval_start AS t, sum(r.injected_wh)::text AS wh FROM meter_reading r
         JOIN meter m ON m.id = r.meter_id WHERE r.injected_wh > 0 GROUP BY 1, 2`,
    );
    const key = (r: { zone: string; t: Date; wh: string }) => `${r.zone}|${r.t.getTime()}|${r.wh}`;
    expect(minted.rows.map(key).sort()).toEqual(metered.rows.map(key).sort());
  });

  it('settled every trade’s delivery and imbalance exactly once, and conserved THB', async () => {
    const chain = t.engine.services.chain!;
    const trades = await t.db.prisma.trade.findMany();
    const settlements = await t.db.prisma.deliverySettlement.findMany();
    expect(settlements.map((s) => s.tradeId).sort()).toEqual(trades.map((x) => x.id).sort());
    const rows = await t.db.prisma.settlementOutbox.findMany({ where: { kind: 'delivery' } });
    expect(rows).toHaveLength(trades.length);
    for (const s of settlements) {
      const trade = trades.find((x) => x.id === s.tradeId)!;
      const escrow = chain.query.escrow(s.tradeId)!;
      expect(escrow.status).toBe('SETTLED');
      expect(escrow.deliveredWh).toBe(s.deliveredWh);
      expect(s.releasedSatang + s.refundedSatang).toBe(
        trade.notionalSatang + trade.wheelingSatang + trade.buyerFeeSatang,
      );
      expect(escrow.releasedSatang).toBe(s.releasedSatang);
      expect(s.deliveredWh + s.shortfallWh).toBe(trade.quantityWh);
    }
    const positions = await t.db.prisma.imbalancePosition.findMany();
    const charged = positions.reduce((s, p) => s + p.chargeSatang, 0n);
    expect(charged).toBe(settlements.reduce((s, d) => s + d.imbalanceChargeSatang, 0n));
    // Sum over all accounts, escrows and the clearing house: before the day = after it.
    expect(await thbHoldings()).toBe(thbBefore);
    expect(chain.query.supply('THB').outstanding).toBe(thbBefore);
    // Fees reached the exchange and imbalance and wheeling the balancing account, by transfers
    // the sellers' releases paid for.
    const transfers = await t.db.prisma.settlementOutbox.findMany({
      where: { kind: 'delivery.charges' },
    });
    expect(transfers.length).toBeGreaterThan(0);
    for (const x of transfers) expect(x).toMatchObject({ status: 'FINAL' });
    const egatIn = settlements.reduce((s, d) => s + d.imbalanceChargeSatang + d.wheelingSatang, 0n);
    expect(chain.query.balance(chain.addressOfRole('EGAT'), 'THB')).toBe(egatIn);
    const samples = await t.db.prisma.frequencySample.count();
    expect(samples).toBe(24);
  });
});
