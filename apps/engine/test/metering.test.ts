// The meter registry and reading intake against the real chain: who may register meters in a
// zone, and each way a reading is refused with its code (bad signature, implausible, early,
// duplicate, out of order, late); an accepted reading is minted on chain once its metering
// window closes, and the owner's GT equals what its meter injected.
import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/clock.ts';
import { generateMeterKey, signReading } from '../src/metering/keys.ts';
import { createTestEngine, type SignedIn, type TestEngine } from '../src/testing/engine.ts';
import { domainCodeOf } from '../src/trpc/init.ts';
import { until } from './support/process.ts';

const MIN = 60_000;
const T0 = Date.parse('2026-12-01T02:00:00Z'); // 09:00 ICT

async function codeOf(p: Promise<unknown>): Promise<string | null> {
  try {
    await p;
    return null;
  } catch (e) {
    if (!(e instanceof TRPCError)) throw e;
    return domainCodeOf(e) ?? e.code;
  }
}

describe('meters and readings', () => {
  let t: TestEngine;
  let clock: ManualClock;
  let owner: SignedIn;
  let admin: SignedIn;
  let chainId: string;
  let meterId: string;
  let secretKey: string;

  const reading = (
    intervalStart: number,
    injectedWh: number,
    withdrawnWh: number,
    key = secretKey,
  ) => ({
    meterId,
    intervalStart: new Date(intervalStart).toISOString(),
    injectedWh,
    withdrawnWh,
    signature: signReading(key, {
      chainId,
      meterId,
      intervalStartMs: intervalStart,
      injectedWh,
      withdrawnWh,
    }),
  });

  beforeAll(async () => {
    clock = new ManualClock(T0 + 16 * MIN);
    t = await createTestEngine({ chain: true, clock, label: 'metering' });
    owner = await t.signUp('rooftop@example.com');
    admin = await t.signIn('admin@gridtokenx.local', 'admin-demo-2026');
    chainId = t.engine.services.chain!.chainId;
  });
  afterAll(async () => t?.close());

  it('lets the zone’s distribution authority or an admin register meters, nobody else', async () => {
    const mea = await t.signIn('mea@gridtokenx.local', 'mea-demo-2026');
    const pea = await t.signIn('pea@gridtokenx.local', 'pea-demo-2026');
    const erc = await t.signIn('authority@gridtokenx.local', 'authority-demo-2026');
    const input = {
      ownerId: owner.accountId,
      zone: 'MEA-BKK',
      kind: 'SOLAR' as const,
      capacityW: 5_000,
    };
    expect(await codeOf(pea.caller.meter.register(input))).toBe('METER_NOT_AUTHORITY');
    expect(await codeOf(erc.caller.meter.register(input))).toBe('METER_NOT_AUTHORITY');
    expect(await codeOf(owner.caller.meter.register(input))).toBe('AUTH_FORBIDDEN');
    const byPea = await pea.caller.meter.register({ ...input, zone: 'PEA-N', kind: 'CONSUMPTION' });
    expect(byPea.secretKey).toMatch(/^[0-9a-f]{64}$/);
    const registered = await mea.caller.meter.register({ ...input, label: 'Rooftop, Bang Na' });
    expect(registered.chainId).toBe(chainId);
    meterId = registered.meterId;
    secretKey = registered.secretKey!;
    // A meter provisioned with its own key: the engine never sees the private half.
    expect(
      await codeOf(admin.caller.meter.register({ ...input, publicKey: registered.publicKey })),
    ).toBe('METER_KEY_IN_USE');
    const own = await admin.caller.meter.register({
      ...input,
      publicKey: generateMeterKey().publicKeyHex,
    });
    expect(own.secretKey).toBeNull();
  });

  it('refuses a bad signature, an implausible reading, an unfinished interval', async () => {
    const other = '11'.repeat(32);
    expect(
      await codeOf(t.caller().then((c) => c.meter.submitReading(reading(T0, 1_000, 0, other)))),
    ).toBe('METER_BAD_SIGNATURE');
    const tampered = { ...reading(T0, 1_000, 0), injectedWh: 1_100 };
    expect(await codeOf((await t.caller()).meter.submitReading(tampered))).toBe(
      'METER_BAD_SIGNATURE',
    );
    // 5 kW for a quarter hour is at most 1,250 Wh in and out together.
    expect(await codeOf((await t.caller()).meter.submitReading(reading(T0, 1_200, 100)))).toBe(
      'METER_READING_IMPLAUSIBLE',
    );
    expect(
      await codeOf((await t.caller()).meter.submitReading(reading(T0 + 15 * MIN, 10, 0))),
    ).toBe('METER_READING_EARLY');
  });

  it('accepts a reading once, refuses duplicates, older intervals and late ones', async () => {
    const anon = await t.caller();
    const ok = await anon.meter.submitReading(reading(T0, 1_000, 200));
    expect(ok.status).toBe('ACCEPTED');
    expect(ok.attestsAt.getTime()).toBe(T0 + 25 * MIN);
    expect(await codeOf(anon.meter.submitReading(reading(T0, 1_000, 200)))).toBe(
      'METER_READING_DUPLICATE',
    );
    expect(await codeOf(anon.meter.submitReading(reading(T0 - 15 * MIN, 500, 0)))).toBe(
      'METER_READING_OUT_OF_ORDER',
    );
    clock.set(T0 + 41 * MIN); // the 09:15 interval's window closed at 09:40 ICT
    expect(await codeOf(anon.meter.submitReading(reading(T0 + 15 * MIN, 10, 0)))).toBe(
      'METER_READING_LATE',
    );
    const mine = await owner.caller.meter.mine();
    expect(mine.map((m) => m.id)).toContain(meterId);
  });

  it('mints the injection to the owner when the window closes; the withdrawal burns it', async () => {
    await t.engine.tick();
    const settled = await until('reading attested', async () => {
      const { readings } = await owner.caller.meter.readings({ meterId, limit: 10 });
      const r = readings.find((x) => x.intervalStart.getTime() === T0);
      return r?.mintTxHash && r.burnTxHash ? r : null;
    });
    // 1,000 Wh minted; the meter's own 200 Wh withdrawal burned from it.
    expect(settled.burnedWh).toBe(200n);
    expect(settled.utilityWh).toBe(0n);
    const balances = await owner.caller.wallet.balances();
    expect(balances.gtWh).toBe(800n);
    const chain = t.engine.services.chain!;
    expect(chain.query.meterReading(meterId, T0)?.energyWh).toBe(1_000n);
    // Operators see readings; another trader does not even learn the meter exists.
    const stranger = await t.signUp('stranger@example.com');
    expect(await codeOf(stranger.caller.meter.readings({ meterId, limit: 5 }))).toBe(
      'METER_NOT_FOUND',
    );
    const list = await admin.caller.meter.list({
      zone: 'MEA-BKK',
      includeRetired: false,
      limit: 10,
    });
    expect(list.find((m) => m.id === meterId)?.owner.email).toBe('rooftop@example.com');
  });
});
