// Test support for certificates and reports: a renewable meter registered by the zone's
// authority through meter.register, readings signed with the meter's key and submitted through
// meter.submitReading as each interval ends, and the engine ticked until the chain minted them.
import type { ManualClock } from '../../src/clock.ts';
import { INTERVAL_MS } from '../../src/market/calendar.ts';
import { signReading } from '../../src/metering/keys.ts';
import type { SignedIn, TestEngine } from '../../src/testing/engine.ts';
import { until } from './process.ts';

export interface MeteredGeneration {
  meterId: string;
  secretKey: string;
}

/**
 * Registers a meter of `kind` for `owner` (signed in as `registrar`) and reports
 * `injectedWh[i]` for the i-th interval from `firstIntervalMs`, each one minute after it ends.
 * Returns once every injection is minted on chain (the clock ends past the last window).
 */
export async function meteredGeneration(
  t: TestEngine,
  clock: ManualClock,
  registrar: SignedIn,
  owner: SignedIn,
  options: {
    zone: string;
    kind: 'SOLAR' | 'WIND' | 'HYDRO' | 'BIOMASS' | 'BATTERY' | 'CONSUMPTION';
    capacityW: number;
    firstIntervalMs: number;
    injectedWh: number[];
  },
): Promise<MeteredGeneration> {
  const chain = t.engine.services.chain!;
  const registered = await registrar.caller.meter.register({
    ownerId: owner.accountId,
    zone: options.zone,
    kind: options.kind,
    capacityW: options.capacityW,
  });
  const meterId = registered.meterId;
  const secretKey = registered.secretKey!;
  const anon = await t.caller();
  for (const [i, injectedWh] of options.injectedWh.entries()) {
    const start = options.firstIntervalMs + i * INTERVAL_MS;
    if (clock.now() < start + INTERVAL_MS + 60_000) clock.set(start + INTERVAL_MS + 60_000);
    await anon.meter.submitReading({
      meterId,
      intervalStart: new Date(start).toISOString(),
      injectedWh,
      withdrawnWh: 0,
      signature: signReading(secretKey, {
        chainId: chain.chainId,
        meterId,
        intervalStartMs: start,
        injectedWh,
        withdrawnWh: 0,
      }),
    });
  }
  const lastStart = options.firstIntervalMs + (options.injectedWh.length - 1) * INTERVAL_MS;
  // Past the last interval's metering window (10 minutes after it ends).
  clock.set(Math.max(clock.now(), lastStart + INTERVAL_MS + 11 * 60_000));
  await until(
    `meter ${meterId} minted`,
    async () => {
      await t.engine.tick();
      return options.injectedWh.every(
        (wh, i) =>
          wh === 0 ||
          chain.query.meterReading(meterId, options.firstIntervalMs + i * INTERVAL_MS) !== null,
      );
    },
    60_000,
  );
  return { meterId, secretKey };
}
