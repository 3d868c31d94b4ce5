// Every procedure, through createCaller against a real database: who may call it (anonymous,
// wrong role → refused with a code), what malformed input gets (VALIDATION_FAILED), and that
// the table below covers every procedure the router has, so a new one cannot slip in untested.
import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/clock.ts';
import {
  createTestEngine,
  type AppCaller,
  type SignedIn,
  type TestEngine,
} from '../src/testing/engine.ts';
import { domainCodeOf } from '../src/trpc/init.ts';
import { appRouter } from '../src/trpc/router.ts';

/**
 * REGISTRY: the meter registry, for admins and grid authorities (AUTHORITY). AUTHORITY_OR_ADMIN:
 * an authority's desk (REC issuer, regulator) or an admin acting for it — the same role check.
 * CONTROL_ROOM: operators, admins and authorities.
 */
type Access =
  | 'public'
  | 'authed'
  | 'TRADER'
  | 'OPERATOR'
  | 'ADMIN'
  | 'REGISTRY'
  | 'AUTHORITY'
  | 'AUTHORITY_OR_ADMIN'
  | 'CONTROL_ROOM';

interface Case {
  access: Access;
  /** Input that is well-formed (may still fail later for business reasons). */
  valid?: unknown;
  /** Malformed input; omitted for procedures without input. */
  malformed?: unknown;
}

const T = '2026-12-01T06:00:00.000Z';
const uuid = '00000000-0000-4000-8000-000000000000';

const CASES: Record<string, Case> = {
  health: { access: 'public' },
  'auth.register': {
    access: 'public',
    malformed: { email: 'not-an-email', password: 'short', name: '' },
  },
  'auth.login': { access: 'public', malformed: { email: 42, password: '' } },
  'auth.logout': { access: 'authed' },
  'auth.me': { access: 'public' },
  'market.zones': { access: 'public' },
  'market.intervals': { access: 'public' },
  'market.book': { access: 'public', malformed: { zone: 'mea', intervalStart: 'yesterday' } },
  'market.trades': {
    access: 'public',
    malformed: { zone: 'MEA-BKK', intervalStart: T, limit: 100000 },
  },
  'market.candles': {
    access: 'public',
    malformed: { zone: 'MEA-BKK', intervalStart: T, resolution: '7m' },
  },
  'market.overview': { access: 'public' },
  'market.hashes': { access: 'public' },
  'orders.place': {
    access: 'TRADER',
    valid: {
      zone: 'MEA-BKK',
      intervalStart: T,
      side: 'sell',
      type: 'limit',
      priceTicks: 35_000,
      quantityWh: 1_000,
      tif: 'GTC',
    },
    malformed: {
      zone: 'MEA-BKK',
      intervalStart: T,
      side: 'hold',
      type: 'limit',
      priceTicks: 1.5,
      quantityWh: 0,
    },
  },
  'orders.cancel': {
    access: 'TRADER',
    valid: { orderId: 'O1' },
    malformed: { orderId: 'DROP TABLE' },
  },
  'orders.amend': {
    access: 'TRADER',
    valid: { orderId: 'O1', quantityWh: 100 },
    malformed: { orderId: 'O1' },
  },
  'orders.mine': { access: 'TRADER', malformed: { status: 'some' } },
  'orders.fills': { access: 'TRADER', malformed: { limit: -1 } },
  'dayAhead.submit': {
    access: 'TRADER',
    valid: {
      orders: [
        {
          kind: 'simple',
          zone: 'MEA-BKK',
          side: 'buy',
          intervalStart: '2026-12-02T06:00:00Z',
          priceTicks: 30_000,
          quantityWh: 1_000,
        },
      ],
    },
    malformed: {
      orders: [
        {
          kind: 'simple',
          zone: 'MEA-BKK',
          side: 'buy',
          intervalStart: 'soon',
          priceTicks: 30_000,
          quantityWh: 1_000,
        },
      ],
    },
  },
  'dayAhead.cancel': { access: 'TRADER', valid: { orderId: 'D1' }, malformed: { orderId: '' } },
  'dayAhead.mine': { access: 'TRADER', malformed: { day: '2026-13-45' } },
  'dayAhead.results': { access: 'public', malformed: { day: 'tomorrow' } },
  'dayAhead.calendar': { access: 'public', malformed: { day: '2026-02-30' } },
  'wallet.balances': { access: 'authed' },
  'wallet.history': { access: 'authed', malformed: { limit: 0 } },
  'wallet.deposit': {
    access: 'ADMIN',
    valid: { accountId: uuid, amountSatang: 100n, reference: 'ref-1' },
    malformed: { accountId: uuid, amountSatang: -5n, reference: 'x' },
  },
  'grid.state': { access: 'public' },
  'grid.setLinkCapacity': {
    access: 'OPERATOR',
    valid: { from: 'MEA-BKK', to: 'PEA-C', capacityWh: 1_000_000, reason: 'maintenance' },
    malformed: { from: 'MEA-BKK', to: 'PEA-C', capacityWh: -1, reason: 'x' },
  },
  'grid.halt': {
    access: 'OPERATOR',
    valid: { zone: 'PEA-S', reason: 'frequency excursion' },
    malformed: { zone: 'PEA-S' },
  },
  'grid.resume': {
    access: 'OPERATOR',
    valid: { zone: 'PEA-S', reason: 'restored' },
    malformed: { zone: 7, reason: 'ok!' },
  },
  'chain.head': { access: 'public' },
  'chain.blocks': { access: 'public', malformed: { limit: 5000 } },
  'chain.block': { access: 'public', malformed: { hash: 'zz' } },
  'chain.tx': { access: 'public', malformed: { hash: '12' } },
  'chain.validators': { access: 'public' },
  'chain.consensus': { access: 'CONTROL_ROOM' },
  'admin.accounts': { access: 'ADMIN', malformed: { role: 'KING' } },
  'admin.setRole': {
    access: 'ADMIN',
    valid: { accountId: uuid, role: 'OPERATOR' },
    malformed: { accountId: 'me', role: 'OPERATOR' },
  },
  'admin.setDisabled': {
    access: 'ADMIN',
    valid: { accountId: uuid, disabled: true },
    malformed: { accountId: uuid },
  },
  'admin.audit': { access: 'ADMIN', malformed: { actorId: 'nobody' } },
  'meter.register': {
    access: 'REGISTRY',
    valid: { ownerId: uuid, zone: 'MEA-BKK', kind: 'SOLAR', capacityW: 5_000 },
    malformed: { ownerId: 'me', zone: 'MEA-BKK', kind: 'NUCLEAR', capacityW: -1 },
  },
  'meter.retire': {
    access: 'REGISTRY',
    valid: { meterId: 'MTR-0000000000' },
    malformed: { meterId: '' },
  },
  'meter.list': { access: 'REGISTRY', malformed: { kind: 'COAL' } },
  'meter.mine': { access: 'TRADER' },
  'meter.readings': {
    access: 'authed',
    valid: { meterId: 'MTR-0000000000', limit: 10 },
    malformed: { meterId: 'x y', limit: 10 },
  },
  'meter.submitReading': {
    access: 'public',
    malformed: {
      meterId: 'MTR-0000000000',
      intervalStart: 'soon',
      injectedWh: -1,
      withdrawnWh: 0,
      signature: 'zz',
    },
  },
  'grid.imbalance': { access: 'public', malformed: { intervalStart: 'noon' } },
  'grid.events': { access: 'public', malformed: { kind: 'EXPLOSION' } },
  'grid.reserves': { access: 'authed', malformed: { hourStart: '2026-12-01T06:30:00Z' } },
  'grid.offerReserve': {
    access: 'TRADER',
    valid: {
      meterId: 'MTR-0000000000',
      hourStart: '2026-12-01T06:00:00Z',
      direction: 'UP',
      powerW: 1_000,
      priceTicks: 50_000,
    },
    malformed: {
      meterId: 'MTR-0000000000',
      hourStart: '2026-12-01T06:00:00Z',
      direction: 'SIDEWAYS',
      powerW: 1_000,
      priceTicks: 50_000,
    },
  },
  'grid.withdrawReserve': {
    access: 'TRADER',
    valid: { offerId: 'RSV-00' },
    malformed: { offerId: 'x' },
  },
  'rec.request': {
    access: 'TRADER',
    valid: { meterId: 'MTR-0000000000', periodStart: T, periodEnd: T, mwh: 1 },
    malformed: { meterId: 'MTR-0000000000', periodStart: T, periodEnd: T, mwh: 0.5 },
  },
  'rec.issue': {
    access: 'AUTHORITY_OR_ADMIN',
    valid: { certificateIds: ['REC-000000000000'] },
    malformed: { certificateIds: [] },
  },
  'rec.reject': {
    access: 'AUTHORITY_OR_ADMIN',
    valid: { certificateIds: ['REC-000000000000'], reason: 'not metered' },
    malformed: { certificateIds: ['REC-000000000000'] },
  },
  'rec.transfer': {
    access: 'TRADER',
    valid: { certificateId: 'REC-000000000000', toEmail: 'someone@example.com' },
    malformed: { certificateId: 'REC-000000000000', toEmail: 'nobody' },
  },
  'rec.retire': {
    access: 'TRADER',
    valid: { certificateId: 'REC-000000000000', beneficiary: 'Siam Co.', claimPeriod: '2026' },
    malformed: { certificateId: 'REC 1', beneficiary: '', claimPeriod: '2026' },
  },
  'rec.mine': { access: 'TRADER', malformed: { status: 'SOLD' } },
  'rec.registry': { access: 'public', malformed: { technology: 'COAL' } },
  'rec.requests': { access: 'AUTHORITY_OR_ADMIN', malformed: { limit: 0 } },
  'rec.carbon': { access: 'TRADER' },
  'gov.propose': {
    access: 'AUTHORITY',
    valid: {
      title: 'Raise the price cap',
      action: { type: 'PARAM_SET', name: 'maxTxLifetimeBlocks', value: 1_500 },
      deadlineHeight: 100,
      effectiveHeight: 200,
    },
    malformed: {
      title: 'Raise the price cap',
      action: { type: 'PRINT_MONEY', value: 1 },
      deadlineHeight: 100,
      effectiveHeight: 200,
    },
  },
  'gov.vote': {
    access: 'AUTHORITY',
    valid: { proposalId: 'GOV-0000000000', approve: true },
    malformed: { proposalId: 'GOV-0000000000', approve: 'yes' },
  },
  'gov.list': { access: 'public', malformed: { status: 'MAYBE' } },
  'gov.parameters': { access: 'public' },
  'reports.daily': {
    access: 'AUTHORITY_OR_ADMIN',
    valid: { day: '2026-11-30' },
    malformed: { day: '2026-02-30' },
  },
  'reports.list': { access: 'AUTHORITY_OR_ADMIN', malformed: { limit: 1000 } },
  'reports.publicKey': { access: 'public' },
  'grid.activateReserve': {
    access: 'OPERATOR',
    valid: {
      zone: 'PEA-C',
      hourStart: '2026-12-01T03:00:00Z',
      direction: 'UP',
      requestedW: 1_000,
      reason: 'frequency low',
    },
    malformed: {
      zone: 'PEA-C',
      hourStart: '2026-12-01T03:00:00Z',
      direction: 'UP',
      requestedW: 0,
      reason: 'x',
    },
  },
};

function call(caller: AppCaller, path: string, input: unknown): Promise<unknown> {
  const [area = '', name] = path.split('.');
  const target =
    name === undefined
      ? (caller as unknown as Record<string, (i: unknown) => Promise<unknown>>)[area]!
      : (caller as unknown as Record<string, Record<string, (i: unknown) => Promise<unknown>>>)[
          area
        ]![name]!;
  return target(input);
}

async function codeOf(p: Promise<unknown>): Promise<string | null> {
  try {
    await p;
    return null;
  } catch (e) {
    if (!(e instanceof TRPCError)) throw e;
    return domainCodeOf(e) ?? e.code;
  }
}

describe('every procedure checks role and input', () => {
  let t: TestEngine;
  const as: Partial<Record<Access, AppCaller>> = {};
  let trader: SignedIn;
  let authority: AppCaller;

  beforeAll(async () => {
    t = await createTestEngine({
      clock: new ManualClock(Date.parse('2026-12-01T03:00:00Z')),
      label: 'routers',
    });
    trader = await t.signUp('someone@example.com');
    as.public = await t.caller();
    as.TRADER = trader.caller;
    as.OPERATOR = (await t.signIn('operator@gridtokenx.local', 'operator-demo-2026')).caller;
    as.ADMIN = (await t.signIn('admin@gridtokenx.local', 'admin-demo-2026')).caller;
    as.REGISTRY = as.ADMIN;
    as.AUTHORITY_OR_ADMIN = as.ADMIN;
    as.CONTROL_ROOM = as.OPERATOR;
    authority = (await t.signIn('mea@gridtokenx.local', 'mea-demo-2026')).caller;
    as.AUTHORITY = authority;
  });
  afterAll(async () => t?.close());

  it('covers every procedure of the router', () => {
    const paths = Object.keys(
      (appRouter as unknown as { _def: { procedures: Record<string, unknown> } })._def.procedures,
    ).sort();
    expect(Object.keys(CASES).sort()).toEqual(paths);
  });

  for (const [path, c] of Object.entries(CASES)) {
    if (c.access !== 'public') {
      it(`${path}: anonymous callers are refused with AUTH_REQUIRED`, async () => {
        expect(await codeOf(call(as.public!, path, c.valid))).toBe('AUTH_REQUIRED');
      });
    }
    if (c.access === 'TRADER' || c.access === 'OPERATOR' || c.access === 'ADMIN') {
      const others = (['TRADER', 'OPERATOR', 'ADMIN'] as const).filter((r) => r !== c.access);
      it(`${path}: other roles (${others.join(', ')}, AUTHORITY) are refused with AUTH_FORBIDDEN`, async () => {
        for (const role of others)
          expect(await codeOf(call(as[role]!, path, c.valid))).toBe('AUTH_FORBIDDEN');
        expect(await codeOf(call(authority, path, c.valid))).toBe('AUTH_FORBIDDEN');
      });
    }
    if (c.access === 'AUTHORITY') {
      it(`${path}: traders, operators and admins are refused with AUTH_FORBIDDEN`, async () => {
        for (const role of ['TRADER', 'OPERATOR', 'ADMIN'] as const)
          expect(await codeOf(call(as[role]!, path, c.valid))).toBe('AUTH_FORBIDDEN');
      });
    }
    if (c.access === 'REGISTRY' || c.access === 'AUTHORITY_OR_ADMIN') {
      it(`${path}: traders and operators are refused with AUTH_FORBIDDEN; authorities pass the role check`, async () => {
        for (const role of ['TRADER', 'OPERATOR'] as const)
          expect(await codeOf(call(as[role]!, path, c.valid))).toBe('AUTH_FORBIDDEN');
        expect(await codeOf(call(authority, path, c.valid))).not.toBe('AUTH_FORBIDDEN');
      });
    }
    if (c.access === 'CONTROL_ROOM') {
      it(`${path}: traders are refused with AUTH_FORBIDDEN; operators, admins and authorities pass the role check`, async () => {
        expect(await codeOf(call(as.TRADER!, path, c.valid))).toBe('AUTH_FORBIDDEN');
        for (const who of [as.OPERATOR!, as.ADMIN!, authority])
          expect(await codeOf(call(who, path, c.valid))).not.toBe('AUTH_FORBIDDEN');
      });
    }
    if (c.malformed !== undefined) {
      it(`${path}: malformed input is refused with VALIDATION_FAILED`, async () => {
        const who = c.access === 'public' || c.access === 'authed' ? as.TRADER! : as[c.access]!;
        expect(await codeOf(call(who, path, c.malformed))).toBe('VALIDATION_FAILED');
      });
    }
  }

  it('dayAhead.cancel: another trader’s order looks like no order at all', async () => {
    const other = await t.signUp('other@example.com');
    t.engine.services.reservations.put(other.accountId, 'x', 0n);
    const { orderIds } = await other.caller.dayAhead.submit({
      orders: [
        {
          kind: 'simple',
          zone: 'PEA-N',
          side: 'sell',
          intervalStart: '2026-12-02T06:00:00Z',
          priceTicks: 30_000,
          quantityWh: 1_000,
        },
      ],
    });
    expect(await codeOf(trader.caller.dayAhead.cancel({ orderId: orderIds[0]! }))).toBe(
      'ORDER_NOT_FOUND',
    );
    expect((await trader.caller.dayAhead.mine()).orders.some((o) => o.id === orderIds[0])).toBe(
      false,
    );
    await other.caller.dayAhead.cancel({ orderId: orderIds[0]! });
  });

  it('auth: wrong password and duplicate email are refused with codes; logout ends the session', async () => {
    const anon = await t.caller();
    expect(
      await codeOf(anon.auth.login({ email: 'someone@example.com', password: 'wrong password' })),
    ).toBe('AUTH_INVALID_CREDENTIALS');
    expect(
      await codeOf(anon.auth.login({ email: 'nobody@example.com', password: 'whatever123' })),
    ).toBe('AUTH_INVALID_CREDENTIALS');
    expect(
      await codeOf(
        anon.auth.register({ email: 'SOMEONE@example.com', password: 'long enough pw', name: 'x' }),
      ),
    ).toBe('AUTH_EMAIL_TAKEN');
    const session = await t.signUp('leaving@example.com');
    expect(await session.caller.auth.me()).toMatchObject({
      email: 'leaving@example.com',
      role: 'TRADER',
      authority: null,
    });
    const erc = await t.signIn('authority@gridtokenx.local', 'authority-demo-2026');
    expect(await erc.caller.auth.me()).toMatchObject({ role: 'AUTHORITY', authority: 'ERC' });
    await session.caller.auth.logout();
    const after = await t.caller(session.token);
    expect(await after.auth.me()).toBeNull();
    expect(await codeOf(after.orders.mine())).toBe('AUTH_REQUIRED');
  });

  it('auth: logins are rate limited per account and per IP, with a retry hint', async () => {
    const limited = await createTestEngine({
      label: 'ratelimit',
      config: { loginsPerMinute: 6, ordersPerAccountPerSec: 2 },
    });
    try {
      const codes: (string | null)[] = [];
      for (let i = 0; i < 5; i++) {
        const anon = await limited.caller(null, `10.0.0.${i}`); // a different IP each time
        codes.push(
          await codeOf(
            anon.auth.login({ email: 'victim@example.com', password: `guess-${i}-xxxx` }),
          ),
        );
      }
      // Per account: 3 attempts a burst, then refused even from fresh IPs.
      expect(codes.slice(0, 3)).toEqual([
        'AUTH_INVALID_CREDENTIALS',
        'AUTH_INVALID_CREDENTIALS',
        'AUTH_INVALID_CREDENTIALS',
      ]);
      expect(codes.slice(3)).toEqual(['RATE_LIMITED', 'RATE_LIMITED']);
      // Per IP: 6 a burst across different accounts.
      const ipCodes: (string | null)[] = [];
      const same = await limited.caller(null, '10.9.9.9');
      for (let i = 0; i < 8; i++)
        ipCodes.push(
          await codeOf(same.auth.login({ email: `p${i}@example.com`, password: 'whatever-123' })),
        );
      expect(ipCodes.filter((c) => c === 'RATE_LIMITED')).toHaveLength(2);
      // Order entry: 2/s per account, burst 4.
      const sel = await limited.signUp('fast@example.com');
      const orderCodes: (string | null)[] = [];
      for (let i = 0; i < 6; i++) orderCodes.push(await codeOf(sel.caller.orders.mine()));
      for (let i = 0; i < 6; i++)
        orderCodes.push(await codeOf(sel.caller.orders.cancel({ orderId: `O${i + 1000}` })));
      expect(orderCodes.filter((c) => c === 'RATE_LIMITED').length).toBeGreaterThanOrEqual(2);
    } finally {
      await limited.close();
    }
  });

  it('admin: a role change takes effect at once and revokes the account’s sessions', async () => {
    const promoted = await t.signUp('promoted@example.com');
    await as.ADMIN!.admin.setRole({ accountId: promoted.accountId, role: 'OPERATOR' });
    const stale = await t.caller(promoted.token);
    expect(await stale.auth.me()).toBeNull();
    const audit = await as.ADMIN!.admin.audit({ action: 'admin.setRole', limit: 5 });
    expect(audit[0]).toMatchObject({ target: promoted.accountId, action: 'admin.setRole' });
  });
});
