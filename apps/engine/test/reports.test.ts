// The regulator's daily report over a real day on the chain: trades in and across zones, a halt
// and its resumption, a REC issued and retired, every interval delivered (with shortfalls and
// imbalances). The report is refused until the day has settled, is read by ERC and admins only,
// verifies under the published key (and fails after a one-byte change), comes back byte for
// byte on a later download, and its totals equal the database's.
import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/clock.ts';
import { WATERMARK_KEY } from '../src/delivery/window.ts';
import { dayStartMs } from '../src/market/calendar.ts';
import type { DailyReportData } from '../src/reports/daily.ts';
import { verifyReport } from '../src/reports/signature.ts';
import { createTestEngine, type SignedIn, type TestEngine } from '../src/testing/engine.ts';
import { domainCodeOf } from '../src/trpc/init.ts';
import { until } from './support/process.ts';
import { meteredGeneration } from './support/renewables.ts';

const DAY = '2026-12-01';
const FROM = new Date(dayStartMs(DAY));
const TO = new Date(dayStartMs(DAY) + 86_400_000);
const NOON = Date.parse(`${DAY}T12:00:00+07:00`);

async function codeOf(p: Promise<unknown>): Promise<string | null> {
  try {
    await p;
    return null;
  } catch (e) {
    if (!(e instanceof TRPCError)) throw e;
    return domainCodeOf(e) ?? e.code;
  }
}

describe('regulator daily reports', () => {
  let t: TestEngine;
  let clock: ManualClock;
  let admin: SignedIn;
  let erc: SignedIn;
  let mea: SignedIn;
  let farm: SignedIn;
  let bkk: SignedIn;
  let central: SignedIn;

  beforeAll(async () => {
    clock = new ManualClock(Date.parse(`${DAY}T10:00:00+07:00`));
    t = await createTestEngine({ chain: true, clock, label: 'reports' });
    admin = await t.signIn('admin@gridtokenx.local', 'admin-demo-2026');
    erc = await t.signIn('authority@gridtokenx.local', 'authority-demo-2026');
    mea = await t.signIn('mea@gridtokenx.local', 'mea-demo-2026');
    farm = await t.signUp('farm@example.com');
    bkk = await t.signUp('bkk@example.com');
    central = await t.signUp('central@example.com');
    for (const who of [bkk, central]) {
      await admin.caller.wallet.deposit({
        accountId: who.accountId,
        amountSatang: 500_000n,
        reference: `report-${who.accountId}`,
      });
    }
    await until(
      'deposits',
      async () => (await central.caller.wallet.balances()).thbSatang === 500_000n,
    );
  }, 60_000);
  afterAll(async () => t?.close());

  it(
    'lives through a day: trades, a halt, a REC issued and retired, every interval delivered',
    { timeout: 240_000 },
    async () => {
      const operator = await t.signIn('operator@gridtokenx.local', 'operator-demo-2026');
      const egat = await t.signIn('egat@gridtokenx.local', 'egat-demo-2026');
      // 1 MWh of solar in the 10:00–10:45 quarter hours, minted on chain.
      const { meterId } = await meteredGeneration(t, clock, mea, farm, {
        zone: 'MEA-BKK',
        kind: 'SOLAR',
        capacityW: 4_000_000,
        firstIntervalMs: Date.parse(`${DAY}T10:00:00+07:00`),
        injectedWh: [250_000, 250_000, 250_000, 250_000],
      });
      const { certificates } = await farm.caller.rec.request({
        meterId,
        periodStart: `${DAY}T03:00:00Z`,
        periodEnd: `${DAY}T04:00:00Z`,
        mwh: 1,
      });
      const recId = certificates[0]!.id;
      await egat.caller.rec.issue({ certificateIds: [recId] });
      await until('issued', async () => (await farm.caller.rec.mine())[0]?.status === 'ISSUED');
      await farm.caller.rec.retire({
        certificateId: recId,
        beneficiary: 'Bangkok Mass Transit Authority',
        claimPeriod: '2026-12',
      });
      await until('retired', async () => (await farm.caller.rec.mine())[0]?.status === 'RETIRED');

      // Noon trades: one within Bangkok, one from Bangkok into the Central zone.
      const interval = new Date(NOON).toISOString();
      await farm.caller.orders.place({
        zone: 'MEA-BKK',
        intervalStart: interval,
        side: 'sell',
        type: 'limit',
        priceTicks: 40_000,
        quantityWh: 3_000,
        tif: 'GTC',
      });
      for (const [who, zone, priceTicks] of [
        [bkk, 'MEA-BKK', 40_000],
        [central, 'PEA-C', 45_000],
      ] as const) {
        const placed = await who.caller.orders.place({
          zone,
          intervalStart: interval,
          side: 'buy',
          type: 'limit',
          priceTicks,
          quantityWh: 1_000,
          tif: 'IOC',
        });
        expect(placed.trades.length).toBe(1);
      }
      await operator.caller.grid.halt({ zone: 'PEA-S', reason: 'substation fire drill' });
      await operator.caller.grid.resume({ zone: 'PEA-S', reason: 'drill over' });

      // Still the same day: its report cannot be final yet.
      expect(await codeOf(erc.caller.reports.daily({ day: DAY }))).toBe('REPORT_NOT_READY');

      // Past midnight and the last metering window: every interval of the day settles.
      clock.set(TO.getTime() + 11 * 60_000);
      await until(
        'the day delivered',
        async () => {
          await t.engine.tick();
          const row = await t.db.prisma.engineState.findUnique({ where: { key: WATERMARK_KEY } });
          return Number((row?.value as { ms?: number } | undefined)?.ms ?? 0) >= TO.getTime();
        },
        180_000,
      );
    },
  );

  it('is read by ERC and admins only; its signatures verify, and fail after one byte', async () => {
    const trader = bkk;
    expect(await codeOf(trader.caller.reports.daily({ day: DAY }))).toBe('AUTH_FORBIDDEN');
    expect(await codeOf(mea.caller.reports.daily({ day: DAY }))).toBe('REPORT_NOT_REGULATOR');
    const report = await erc.caller.reports.daily({ day: DAY });
    const { publicKey } = await (await t.caller()).reports.publicKey();
    expect(report.publicKey).toBe(publicKey);
    for (const format of ['json', 'csv'] as const) {
      const file = { day: DAY, format, signature: report[format].signature, publicKey };
      expect(verifyReport({ ...file, content: report[format].content })).toBe(true);
      const bytes = Buffer.from(report[format].content, 'utf8');
      bytes[Math.floor(bytes.length / 2)] = bytes[Math.floor(bytes.length / 2)]! ^ 0x20;
      expect(verifyReport({ ...file, content: new Uint8Array(bytes) })).toBe(false);
    }
    // A later download (by an admin, the clock moved on) returns the very same bytes.
    clock.advance(3_600_000);
    const again = await admin.caller.reports.daily({ day: DAY });
    expect(again.json).toEqual(report.json);
    expect(again.csv).toEqual(report.csv);
    expect((await erc.caller.reports.list()).map((r) => r.day)).toEqual([DAY]);
  });

  it('totals what the database holds for the day', async () => {
    const report = await erc.caller.reports.daily({ day: DAY });
    const r = JSON.parse(report.json.content) as DailyReportData;
    const { prisma } = t.db;
    const inDay = { gte: FROM, lt: TO };
    const trades = await prisma.trade.findMany({ where: { intervalStart: inDay } });
    const continuous = trades.filter((x) => x.market === 'CONTINUOUS');
    expect(continuous.length).toBe(2);
    expect(r.totals.continuous).toMatchObject({
      trades: continuous.length,
      volumeWh: String(continuous.reduce((s, x) => s + x.quantityWh, 0n)),
      valueSatang: String(continuous.reduce((s, x) => s + x.notionalSatang, 0n)),
      wheelingSatang: String(continuous.reduce((s, x) => s + x.wheelingSatang, 0n)),
      feesSatang: String(continuous.reduce((s, x) => s + x.buyerFeeSatang + x.sellerFeeSatang, 0n)),
    });
    for (const z of r.zones) {
      const bought = continuous.filter((x) => x.buyZone === z.zone);
      expect(z.continuous.bought.volumeWh).toBe(
        String(bought.reduce((s, x) => s + x.quantityWh, 0n)),
      );
      const sold = continuous.filter((x) => x.sellZone === z.zone);
      expect(z.continuous.sold.trades).toBe(sold.length);
    }
    expect(r.zones.find((z) => z.zone === 'PEA-C')?.continuous.bought.vwapTicks).toBe(40_000);
    const delivered = await prisma.deliverySettlement.aggregate({
      where: { intervalStart: inDay },
      _sum: { deliveredWh: true, shortfallWh: true, imbalanceChargeSatang: true },
      _count: true,
    });
    expect(delivered._count).toBe(2);
    expect(r.totals.delivery).toEqual({
      trades: delivered._count,
      deliveredWh: String(delivered._sum.deliveredWh ?? 0n),
      shortfallWh: String(delivered._sum.shortfallWh ?? 0n),
      imbalanceChargeSatang: String(delivered._sum.imbalanceChargeSatang ?? 0n),
    });
    const positions = await prisma.imbalancePosition.findMany({ where: { intervalStart: inDay } });
    expect(positions.length).toBeGreaterThan(0);
    expect(r.totals.imbalance).toEqual({
      positions: positions.length,
      chargedSatang: String(
        positions.reduce((s, p) => s + (p.chargeSatang > 0n ? p.chargeSatang : 0n), 0n),
      ),
      paidSatang: String(
        positions.reduce((s, p) => s + (p.chargeSatang < 0n ? -p.chargeSatang : 0n), 0n),
      ),
    });
    expect(r.totals.certificates).toEqual({
      issued: 1,
      issuedWh: '1000000',
      retired: 1,
      retiredWh: '1000000',
    });
    expect(r.certificatesRetired[0]).toMatchObject({
      beneficiary: 'Bangkok Mass Transit Authority',
      claimPeriod: '2026-12',
    });
    const events = await prisma.gridEvent.findMany({
      where: { at: inDay },
      orderBy: { at: 'asc' },
    });
    expect(r.totals.gridEvents).toBe(events.length);
    expect(r.gridEvents.filter((e) => e.zone === 'PEA-S').map((e) => e.kind)).toEqual([
      'HALT',
      'RESUME',
    ]);
    // The CSV carries the same figures.
    const csv = report.csv.content.split('\r\n');
    expect(csv[0]).toBe('section,market,zone,metric,value,note');
    expect(csv).toContain(`totals,continuous,,volume_wh,${r.totals.continuous.volumeWh},`);
    expect(csv).toContain(`totals,,,recs_retired_wh,1000000,`);
  });
});
