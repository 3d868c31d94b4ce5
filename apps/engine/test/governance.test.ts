// Governance against the real chain: authorities propose and vote for the authority they act
// for; proposals are checked before submission (heights, bounds, applicability); a passed change
// takes effect at its stated height and not before; an unvoted proposal expires at its deadline.
import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/clock.ts';
import { applyMarketChange } from '../src/governance/apply.ts';
import { createTestEngine, type SignedIn, type TestEngine } from '../src/testing/engine.ts';
import { domainCodeOf } from '../src/trpc/init.ts';
import { untilHeight } from './support/blocks.ts';
import { until } from './support/process.ts';

async function codeOf(p: Promise<unknown>): Promise<string | null> {
  try {
    await p;
    return null;
  } catch (e) {
    if (!(e instanceof TRPCError)) throw e;
    return domainCodeOf(e) ?? e.code;
  }
}

describe('governance by the grid authorities', () => {
  let t: TestEngine;
  let admin: SignedIn;
  let trader: SignedIn;
  let egat: SignedIn;
  let mea: SignedIn;
  let pea: SignedIn;
  let erc: SignedIn;

  const head = () => t.engine.services.chain!.query.head().height;
  const row = (id: string) => t.db.prisma.proposal.findUniqueOrThrow({ where: { id } });
  const onChain = (id: string) =>
    until(`proposal ${id} on chain`, () => t.engine.services.chain!.query.proposal(id));

  beforeAll(async () => {
    t = await createTestEngine({
      chain: true,
      clock: new ManualClock(Date.parse('2026-12-01T03:00:00Z')),
      label: 'governance',
    });
    admin = await t.signIn('admin@gridtokenx.local', 'admin-demo-2026');
    trader = await t.signUp('voter@example.com');
    egat = await t.signIn('egat@gridtokenx.local', 'egat-demo-2026');
    mea = await t.signIn('mea@gridtokenx.local', 'mea-demo-2026');
    pea = await t.signIn('pea@gridtokenx.local', 'pea-demo-2026');
    erc = await t.signIn('authority@gridtokenx.local', 'authority-demo-2026');
  });
  afterAll(async () => t?.close());

  it('checks a proposal before it goes on chain', async () => {
    const h = head();
    const action = {
      type: 'PARAM_SET' as const,
      name: 'maxTxLifetimeBlocks' as const,
      value: 1_500,
    };
    expect(
      await codeOf(
        egat.caller.gov.propose({
          title: 'Deadline in the past',
          action,
          deadlineHeight: Math.max(1, h),
          effectiveHeight: h + 10,
        }),
      ),
    ).toBe('GOV_BAD_HEIGHTS');
    expect(
      await codeOf(
        egat.caller.gov.propose({
          title: 'Effective before the deadline',
          action,
          deadlineHeight: h + 10,
          effectiveHeight: h + 10,
        }),
      ),
    ).toBe('GOV_BAD_HEIGHTS');
    expect(
      await codeOf(
        egat.caller.gov.propose({
          title: 'Quorum out of bounds',
          action: { type: 'PARAM_SET', name: 'proposalQuorumBps', value: 4_000 },
          deadlineHeight: h + 10,
          effectiveHeight: h + 20,
        }),
      ),
    ).toBe('GOV_INVALID_ACTION');
    expect(
      await codeOf(
        egat.caller.gov.propose({
          title: 'Revoke a stranger',
          action: { type: 'AUTHORITY_REVOKE', address: '11'.repeat(32) },
          deadlineHeight: h + 10,
          effectiveHeight: h + 20,
        }),
      ),
    ).toBe('GOV_INVALID_ACTION');
    expect(
      await codeOf(
        egat.caller.gov.propose({
          title: 'A price cap the floor exceeds',
          action: { type: 'MARKET_PARAM_SET', name: 'price_cap_ticks', value: 0 },
          deadlineHeight: h + 10,
          effectiveHeight: h + 20,
        }),
      ),
    ).toMatch(/^GOV_(INVALID_ACTION|ACTION_UNSUPPORTED)$/);
    expect(
      await codeOf(trader.caller.gov.vote({ proposalId: 'GOV-0000000000', approve: true })),
    ).toBe('AUTH_FORBIDDEN');
    expect(await codeOf(egat.caller.gov.vote({ proposalId: 'GOV-NOPE', approve: true }))).toBe(
      'GOV_PROPOSAL_NOT_FOUND',
    );
  });

  it('passes with more than 2/3 of the power and takes effect at its height, not before', async () => {
    const chain = t.engine.services.chain!;
    const before = chain.query.params().maxTxLifetimeBlocks;
    const h = head();
    const { proposalId } = await egat.caller.gov.propose({
      title: 'Longer transaction lifetime for slow meters',
      action: { type: 'PARAM_SET', name: 'maxTxLifetimeBlocks', value: before + 300 },
      deadlineHeight: h + 8,
      effectiveHeight: h + 14,
    });
    await onChain(proposalId);
    await egat.caller.gov.vote({ proposalId, approve: true });
    await mea.caller.gov.vote({ proposalId, approve: true });
    expect(await codeOf(egat.caller.gov.vote({ proposalId, approve: false }))).toBe(
      'GOV_ALREADY_VOTED',
    );
    await pea.caller.gov.vote({ proposalId, approve: true });
    const passed = await until('proposal passed', async () => {
      const r = await row(proposalId);
      return r.status === 'PASSED' ? r : null;
    });
    expect(passed.yesPower).toBe(75);
    expect(passed.totalPower).toBe(100);
    // Passed before its effective height: nothing has changed yet.
    expect(head()).toBeLessThan(Number(passed.effectiveHeight));
    expect(chain.query.params().maxTxLifetimeBlocks).toBe(before);
    expect(await codeOf(erc.caller.gov.vote({ proposalId, approve: false }))).toBe(
      'GOV_PROPOSAL_CLOSED',
    );
    const listed = (await (await t.caller()).gov.list()).proposals.find(
      (p) => p.id === proposalId,
    )!;
    expect(listed).toMatchObject({ status: 'PASSED', requiredPower: 67, progressBps: 10_000 });
    expect(listed.votes.map((v) => [v.authority, v.status]).sort()).toEqual([
      ['EGAT', 'COUNTED'],
      ['MEA', 'COUNTED'],
      ['PEA', 'COUNTED'],
    ]);

    await untilHeight(t, admin, trader.accountId, Number(passed.effectiveHeight) - 1);
    expect(chain.query.params().maxTxLifetimeBlocks).toBe(before);
    await untilHeight(t, admin, trader.accountId, Number(passed.effectiveHeight));
    expect(chain.query.params().maxTxLifetimeBlocks).toBe(before + 300);
    const executed = await until('proposal executed', async () => {
      const r = await row(proposalId);
      return r.status === 'EXECUTED' ? r : null;
    });
    expect(executed.outcome).toContain(`executed at height ${passed.effectiveHeight}`);
  });

  it('expires at its deadline without a quorum', async () => {
    const h = head();
    const { proposalId } = await mea.caller.gov.propose({
      title: 'Grant PEA the regulator role',
      action: {
        type: 'ROLE_GRANT',
        address: t.engine.services.chain!.addressOfRole('PEA'),
        role: 'REGULATOR',
      },
      deadlineHeight: h + 4,
      effectiveHeight: h + 6,
    });
    await onChain(proposalId);
    await mea.caller.gov.vote({ proposalId, approve: true });
    await erc.caller.gov.vote({ proposalId, approve: false });
    await untilHeight(t, admin, trader.accountId, h + 5);
    const expired = await until('proposal expired', async () => {
      const r = await row(proposalId);
      return r.status === 'EXPIRED' ? r : null;
    });
    expect(expired).toMatchObject({ yesPower: 25, noPower: 25 });
    expect(await codeOf(pea.caller.gov.vote({ proposalId, approve: true }))).toBe(
      'GOV_PROPOSAL_CLOSED',
    );
  });

  it('applies an executed market change once, with its audit row; open books enforce it', async () => {
    const services = t.engine.services;
    const deps = {
      db: t.db,
      markets: services.markets,
      dayAhead: services.dayAhead,
      clock: services.clock,
      logger: services.logger,
      publish: services.hub.publish,
    };
    const sell = (priceTicks: number) =>
      trader.caller.orders.place({
        zone: 'MEA-BKK',
        intervalStart: '2026-12-01T06:00:00Z',
        side: 'sell',
        type: 'limit',
        priceTicks,
        quantityWh: 1_000,
        tif: 'GTC',
      });
    // The book for 13:00 ICT opened under the seeded cap (20 THB/kWh).
    const resting = await sell(150_000);
    // The index row a passed proposal leaves once the chain executed it.
    await t.db.prisma.proposal.create({
      data: {
        id: 'GOV-CAP-120000',
        proposerId: egat.accountId,
        proposerAuthority: 'EGAT',
        title: 'Lower the price cap to 12 THB/kWh',
        action: { type: 'MARKET_PARAM_SET', name: 'price_cap_ticks', value: '120000' },
        deadlineHeight: 1n,
        effectiveHeight: 2n,
        status: 'EXECUTED',
      },
    });
    const cap = { type: 'MARKET_PARAM_SET' as const, name: 'price_cap_ticks', value: 120_000 };
    await applyMarketChange(deps, 'GOV-CAP-120000', cap, {
      effectiveHeight: 2,
      outcome: 'executed at height 2',
    });
    expect(await codeOf(sell(150_000))).toBe('MATCH_PRICE_OUT_OF_BAND');
    expect(
      await codeOf(trader.caller.orders.amend({ orderId: resting.order.id, priceTicks: 130_000 })),
    ).toBe('MATCH_PRICE_OUT_OF_BAND');
    expect((await sell(120_000)).order.status).toBe('OPEN');
    expect(services.markets.referenceData.params.priceCapTicks).toBe(120_000);
    const applied = await row('GOV-CAP-120000');
    expect(applied.appliedHeight).toBe(2n);
    expect(applied.outcome).toContain('applied by the engine');
    const trail = await t.db.prisma.auditLog.findFirstOrThrow({
      where: { action: 'gov.apply', target: 'GOV-CAP-120000' },
    });
    expect(trail.details).toMatchObject({ name: 'price_cap_ticks', from: '200000', to: '120000' });

    // A change that would leave the market inconsistent is recorded, not applied.
    await t.db.prisma.proposal.create({
      data: {
        id: 'GOV-FLOOR-130000',
        proposerId: egat.accountId,
        proposerAuthority: 'EGAT',
        title: 'A floor above the cap',
        action: { type: 'MARKET_PARAM_SET', name: 'price_floor_ticks', value: '130000' },
        deadlineHeight: 1n,
        effectiveHeight: 2n,
        status: 'EXECUTED',
      },
    });
    await applyMarketChange(
      deps,
      'GOV-FLOOR-130000',
      { type: 'MARKET_PARAM_SET', name: 'price_floor_ticks', value: 130_000 },
      { effectiveHeight: 2, outcome: 'executed at height 2' },
    );
    expect((await row('GOV-FLOOR-130000')).outcome).toContain('not applied by the engine');
    expect(services.markets.referenceData.params.priceFloorTicks).toBe(0);
  });
});
