// Renewable energy certificates against the real chain: a solar farm's minted generation backs
// whole MWh; the same generation never backs two RECs (engine and chain both refuse); EGAT
// issues or rejects; a REC the chain refuses shows as FAILED; issue → transfer → retire leaves
// the chain's records and the database in step; a retired REC never moves; carbon is counted.
import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/clock.ts';
import { TGO_GRID_EMISSION_FACTOR } from '../src/certificates/carbon.ts';
import { createTestEngine, type SignedIn, type TestEngine } from '../src/testing/engine.ts';
import { domainCodeOf } from '../src/trpc/init.ts';
import { until } from './support/process.ts';
import { meteredGeneration } from './support/renewables.ts';

const MIN = 60_000;
const T0 = Date.parse('2026-12-01T02:00:00Z'); // 09:00 ICT
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

describe('renewable energy certificates', () => {
  let t: TestEngine;
  let clock: ManualClock;
  let farm: SignedIn;
  let buyer: SignedIn;
  let egat: SignedIn;
  let mea: SignedIn;
  let meterId: string;
  const ids: Record<'first' | 'second' | 'third', string> = { first: '', second: '', third: '' };

  const certificate = (id: string) =>
    t.db.prisma.certificate.findUniqueOrThrow({ where: { id }, include: { backing: true } });
  const settled = (id: string) =>
    until(`certificate ${id} settled`, async () => {
      const c = await certificate(id);
      return c.pendingAction === null && c.status !== 'REQUESTED' ? c : null;
    });

  beforeAll(async () => {
    clock = new ManualClock(T0);
    t = await createTestEngine({ chain: true, clock, label: 'certificates' });
    farm = await t.signUp('farm@example.com');
    buyer = await t.signUp('buyer@example.com');
    egat = await t.signIn('egat@gridtokenx.local', 'egat-demo-2026');
    mea = await t.signIn('mea@gridtokenx.local', 'mea-demo-2026');
    // A 4 MW solar farm: 0.6, 0.7, 0.8 and 0.4 MWh in four quarter hours (2.5 MWh minted).
    ({ meterId } = await meteredGeneration(t, clock, mea, farm, {
      zone: 'MEA-BKK',
      kind: 'SOLAR',
      capacityW: 4_000_000,
      firstIntervalMs: T0,
      injectedWh: [600_000, 700_000, 800_000, 400_000],
    }));
  }, 120_000);
  afterAll(async () => t?.close());

  it('refuses requests without renewable, minted, ended generation behind them', async () => {
    const period = { periodStart: iso(T0), periodEnd: iso(T0 + 45 * MIN) };
    expect(await codeOf(buyer.caller.rec.request({ meterId, ...period, mwh: 1 }))).toBe(
      'METER_NOT_FOUND',
    );
    const { meterId: battery } = await meteredGeneration(t, clock, mea, farm, {
      zone: 'MEA-BKK',
      kind: 'BATTERY',
      capacityW: 4_000_000,
      firstIntervalMs: T0 + 60 * MIN,
      injectedWh: [0],
    });
    expect(await codeOf(farm.caller.rec.request({ meterId: battery, ...period, mwh: 1 }))).toBe(
      'REC_NOT_RENEWABLE',
    );
    expect(await codeOf(farm.caller.rec.request({ meterId, ...period, mwh: 3 }))).toBe(
      'REC_INSUFFICIENT_GENERATION',
    );
    expect(
      await codeOf(
        farm.caller.rec.request({
          meterId,
          periodStart: iso(T0),
          periodEnd: iso(clock.now() + 60 * MIN),
          mwh: 1,
        }),
      ),
    ).toBe('REC_PERIOD_INVALID');
  });

  it('cuts whole MWh from the generation; the same generation cannot back a second REC', async () => {
    const period = { periodStart: iso(T0), periodEnd: iso(T0 + 45 * MIN) };
    const { certificates } = await farm.caller.rec.request({ meterId, ...period, mwh: 2 });
    expect(certificates).toHaveLength(2);
    ids.first = certificates[0]!.id;
    ids.second = certificates[1]!.id;
    const first = await certificate(ids.first);
    const second = await certificate(ids.second);
    const parts = (c: typeof first) =>
      c.backing
        .map((b) => [b.intervalStart.getTime(), b.energyWh] as const)
        .sort((a, b) => a[0] - b[0]);
    expect(parts(first)).toEqual([
      [T0, 600_000n],
      [T0 + 15 * MIN, 400_000n],
    ]);
    expect(parts(second)).toEqual([
      [T0 + 15 * MIN, 300_000n],
      [T0 + 30 * MIN, 700_000n],
    ]);
    expect(first.periodStart.getTime()).toBe(T0);
    expect(first.periodEnd.getTime()).toBe(T0 + 30 * MIN);
    // 0.1 MWh is left in the period: asking for the same generation again is refused.
    expect(await codeOf(farm.caller.rec.request({ meterId, ...period, mwh: 1 }))).toBe(
      'REC_INSUFFICIENT_GENERATION',
    );
  });

  it('lets only EGAT (or an admin) decide; a rejection frees the generation', async () => {
    expect(await codeOf(mea.caller.rec.issue({ certificateIds: [ids.first] }))).toBe(
      'REC_NOT_ISSUER',
    );
    expect(await codeOf(farm.caller.rec.issue({ certificateIds: [ids.first] }))).toBe(
      'AUTH_FORBIDDEN',
    );
    const queue = await egat.caller.rec.requests();
    expect(queue.map((c) => c.id).sort()).toEqual([ids.first, ids.second].sort());
    // The issuer sees the device behind each request.
    for (const c of queue) expect(c.meter).toMatchObject({ capacityW: 4_000_000n });
    await egat.caller.rec.reject({
      certificateIds: [ids.second],
      reason: 'Metering audit pending for this site',
    });
    expect(await codeOf(egat.caller.rec.issue({ certificateIds: [ids.second] }))).toBe(
      'REC_NOT_REQUESTED',
    );
    const mine = await farm.caller.rec.mine();
    expect(mine.find((c) => c.id === ids.second)).toMatchObject({
      status: 'REJECTED',
      rejectionReason: 'Metering audit pending for this site',
    });
    const again = await farm.caller.rec.request({
      meterId,
      periodStart: iso(T0),
      periodEnd: iso(T0 + 45 * MIN),
      mwh: 1,
    });
    ids.third = again.certificates[0]!.id;
  });

  it('issues on chain; the chain refuses a second REC on the same generation', async () => {
    await egat.caller.rec.issue({ certificateIds: [ids.first] });
    const issued = await settled(ids.first);
    expect(issued.status).toBe('ISSUED');
    const chain = t.engine.services.chain!;
    const rec = chain.query.rec(ids.first)!;
    expect(rec).toMatchObject({
      status: 'ACTIVE',
      owner: await chain.addressOf(farm.accountId),
      amountWh: 1_000_000n,
      meterId,
      technology: 'SOLAR',
    });
    expect(BigInt(rec.issuedHeight)).toBe(issued.issuedHeight);
    // Straight to the chain, bypassing the engine: the same Wh again is CHAIN_REC_BACKING.
    const twice = await chain.sign({ role: 'EGAT' }, 'REC_ISSUE', {
      recId: 'REC-TWICE',
      owner: await chain.addressOf(farm.accountId),
      meterId,
      zone: 'MEA-BKK',
      technology: 'SOLAR',
      periodStartMs: T0,
      periodEndMs: T0 + 30 * MIN,
      backing: [
        { intervalStartMs: T0, energyWh: 600_000n },
        { intervalStartMs: T0 + 15 * MIN, energyWh: 400_000n },
      ],
    });
    expect(chain.submit(twice)).toMatchObject({ ok: false, code: 'CHAIN_REC_BACKING' });
  });

  it('shows a REC the chain refuses as FAILED, with the chain’s code', async () => {
    const chain = t.engine.services.chain!;
    // Another issuance claims 0.2 MWh of the 09:30 interval on chain first (outside the engine).
    const claim = await chain.sign({ role: 'EGAT' }, 'REC_ISSUE', {
      recId: 'REC-ELSEWHERE',
      owner: await chain.addressOf(farm.accountId),
      meterId,
      zone: 'MEA-BKK',
      technology: 'SOLAR',
      periodStartMs: T0 + 30 * MIN,
      periodEndMs: T0 + 45 * MIN,
      backing: [{ intervalStartMs: T0 + 30 * MIN, energyWh: 200_000n }],
    });
    expect(chain.submit(claim).ok).toBe(true);
    await until('outside claim committed', () => chain.query.rec('REC-ELSEWHERE'));
    await egat.caller.rec.issue({ certificateIds: [ids.third] });
    const failed = await settled(ids.third);
    expect(failed).toMatchObject({ status: 'FAILED', chainError: 'CHAIN_REC_BACKING' });
    expect(chain.query.rec(ids.third)).toBeNull();
    expect((await farm.caller.rec.mine()).find((c) => c.id === ids.third)?.status).toBe('FAILED');
  });

  it('transfers and retires; the chain and the database agree; a retired REC never moves', async () => {
    const chain = t.engine.services.chain!;
    expect(
      await codeOf(
        farm.caller.rec.transfer({ certificateId: ids.first, toEmail: 'farm@example.com' }),
      ),
    ).toBe('REC_RECIPIENT_INVALID');
    await farm.caller.rec.transfer({ certificateId: ids.first, toEmail: 'buyer@example.com' });
    expect(
      await codeOf(
        farm.caller.rec.retire({ certificateId: ids.first, beneficiary: 'x', claimPeriod: '2026' }),
      ),
    ).toBe('REC_PENDING');
    const moved = await until('transfer final', async () => {
      const c = await certificate(ids.first);
      return c.pendingAction === null && c.ownerId === buyer.accountId ? c : null;
    });
    expect(chain.query.rec(ids.first)?.owner).toBe(await chain.addressOf(buyer.accountId));
    expect((await farm.caller.rec.mine()).some((c) => c.id === ids.first)).toBe(false);
    expect(moved.status).toBe('ISSUED');

    await buyer.caller.rec.retire({
      certificateId: ids.first,
      beneficiary: 'Chiang Mai Coffee Roasters Co., Ltd.',
      claimPeriod: '2026',
    });
    const retired = await settled(ids.first).then(() =>
      until('retirement final', async () => {
        const c = await certificate(ids.first);
        return c.status === 'RETIRED' ? c : null;
      }),
    );
    expect(retired).toMatchObject({
      beneficiary: 'Chiang Mai Coffee Roasters Co., Ltd.',
      claimPeriod: '2026',
      ownerId: buyer.accountId,
    });
    const onChain = chain.query.rec(ids.first)!;
    expect(onChain.status).toBe('RETIRED');
    expect(onChain.statusNote).toContain('Chiang Mai Coffee Roasters');
    expect(BigInt(onChain.statusHeight)).toBe(retired.statusHeight);

    // Never moves again: the engine refuses, and so does the chain when asked directly.
    expect(
      await codeOf(
        buyer.caller.rec.transfer({ certificateId: ids.first, toEmail: 'farm@example.com' }),
      ),
    ).toBe('REC_RETIRED');
    expect(
      await codeOf(
        buyer.caller.rec.retire({
          certificateId: ids.first,
          beneficiary: 'y',
          claimPeriod: '2027',
        }),
      ),
    ).toBe('REC_RETIRED');
    const sneak = await chain.sign({ accountId: buyer.accountId }, 'REC_TRANSFER', {
      recId: ids.first,
      to: await chain.addressOf(farm.accountId),
    });
    expect(chain.submit(sneak)).toMatchObject({ ok: false, code: 'CHAIN_REC_RETIRED' });

    // Every certificate the chain holds matches its database row.
    const rows = await t.db.prisma.certificate.findMany({
      where: { status: { in: ['ISSUED', 'RETIRED'] } },
    });
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      const r = chain.query.rec(row.id)!;
      expect(r.owner).toBe(await chain.addressOf(row.ownerId));
      expect(r.status).toBe(row.status === 'ISSUED' ? 'ACTIVE' : 'RETIRED');
      expect(r.amountWh).toBe(row.amountWh);
    }
  });

  it('follows a revocation the regulator signs on chain', async () => {
    const chain = t.engine.services.chain!;
    const { certificates } = await farm.caller.rec.request({
      meterId,
      periodStart: iso(T0),
      periodEnd: iso(T0 + 60 * MIN),
      mwh: 1,
    });
    const id = certificates[0]!.id;
    await egat.caller.rec.issue({ certificateIds: [id] });
    expect((await settled(id)).status).toBe('ISSUED');
    const revoke = await chain.sign({ role: 'ERC' }, 'REC_REVOKE', {
      recId: id,
      reason: 'meter found miscalibrated',
    });
    expect(chain.submit(revoke).ok).toBe(true);
    const revoked = await until('revocation followed', async () => {
      const c = await certificate(id);
      return c.status === 'REVOKED' ? c : null;
    });
    expect(revoked.rejectionReason).toBe('meter found miscalibrated');
    expect(
      await codeOf(farm.caller.rec.transfer({ certificateId: id, toEmail: 'buyer@example.com' })),
    ).toBe('REC_NOT_ACTIVE');
  });

  it('lists the public registry and counts the emissions retired RECs avoided', async () => {
    const registry = await (await t.caller()).rec.registry({ status: 'RETIRED', limit: 10 });
    expect(registry.map((c) => c.id)).toEqual([ids.first]);
    expect(registry[0]).toMatchObject({ beneficiary: 'Chiang Mai Coffee Roasters Co., Ltd.' });
    const carbon = await buyer.caller.rec.carbon();
    expect(carbon.factor.mgPerKwh).toBe(TGO_GRID_EMISSION_FACTOR.mgPerKwh);
    expect(carbon.factor.source).toContain('TGO');
    // 1 MWh × 0.4750 kgCO2e/kWh = 475 kg.
    expect(carbon.retired).toEqual({ certificates: 1, wh: 1_000_000n, avoidedGrams: 475_000n });
    expect(carbon.totalAvoidedGrams).toBe(475_000n + carbon.purchases.avoidedGrams);
  });
});
