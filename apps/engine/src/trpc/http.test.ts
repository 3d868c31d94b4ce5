// The engine's tRPC HTTP handler answers single JSON mutations itself, and runs the order
// mutations without tRPC's middleware chain: differential test against tRPC's standard adapter
// over the same services — same status, same body bytes (superjson envelope, error shape with
// domain code, zod issues and details), same content-type, vary and cookies — for successes,
// refusals of every kind (domain, zod, session, role, rate limit, a failing procedure) of each
// order mutation, malformed bodies, and requests the direct path hands on; and the same onError.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHTTPHandler } from '@trpc/server/adapters/standalone';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ManualClock } from '../clock.ts';
import type { RequestContext } from '../context.ts';
import { sessionTokenFromCookieHeader } from '../auth/sessions.ts';
import {
  createTestEngine,
  MemoryBalances,
  TEST_PASSWORD,
  type SignedIn,
  type TestEngine,
} from '../testing/engine.ts';
import { createTrpcHttpHandler } from './http.ts';
import { directCallOf, TRPCError } from './init.ts';
import { appRouter } from './router.ts';

const iso = '2026-12-01T06:00:00.000Z';

interface Answer {
  status: number;
  /** The body as sent: key order and escapes count. */
  text: string;
  cookies: string[];
  contentType: string | undefined;
  vary: string | undefined;
}

async function post(
  base: string,
  path: string,
  body: string,
  headers: Record<string, string> = {},
): Promise<Answer> {
  const res = await fetch(`${base}/trpc/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
  return {
    status: res.status,
    text: await res.text(),
    cookies: res.headers.getSetCookie().map((c) => c.split('=')[0] ?? ''),
    contentType: res.headers.get('content-type') ?? undefined,
    vary: res.headers.get('vary') ?? undefined,
  };
}

/** The status and domain code of an answer, to check that a case exercises what it says. */
function outcome(a: Answer): [status: number, domainCode: string | null] {
  const json = JSON.parse(a.text) as { error?: { json?: { data?: { domainCode?: string } } } };
  return [a.status, json.error?.json?.data?.domainCode ?? null];
}

/** Order ids and session-dependent values differ between two calls; nothing else may. */
function normalise(a: Answer): Answer {
  return {
    ...a,
    text: a.text
      .replace(/"O\d+"/g, '"O#"')
      .replace(/"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"/g, '"uuid"')
      .replace(/"createdAt":"[^"]+"/g, '"createdAt":"t"'),
  };
}

describe('tRPC over HTTP: direct mutations answer as the standard adapter does', () => {
  let t: TestEngine;
  let standard: http.Server;
  let direct: string;
  let reference: string;
  let trader: SignedIn;
  let cookie: string;
  /** Session cookies of the seeded operator and admin: no order mutation is theirs. */
  let operatorCookie: string;
  let adminCookie: string;
  /** A sell of the trader's that a second trader's buy filled: cancelling it is refused. */
  let filledOrderId: string;
  /** An open buy of another trader's: the trader may neither cancel nor amend it. */
  let othersOrderId: string;

  beforeAll(async () => {
    const balances = new MemoryBalances();
    t = await createTestEngine({
      clock: new ManualClock(Date.parse('2026-12-01T03:00:00Z')),
      balances,
      http: true,
      label: 'trpc-http',
    });
    trader = await t.signUp('http-trader@example.com');
    balances.thb.set(trader.accountId, 1_000_000n);
    cookie = `gtx_session=${trader.token}`;
    const buyer = await t.signUp('http-buyer@example.com');
    balances.thb.set(buyer.accountId, 1_000_000n);
    // 1 kWh at 36,000 ticks: the trader's resting sell, filled by the buyer's IOC.
    const place = (who: typeof trader, side: 'buy' | 'sell', tif: 'GTC' | 'IOC') =>
      who.caller.orders.place({
        zone: 'MEA-BKK',
        intervalStart: iso,
        side,
        type: 'limit',
        priceTicks: 36_000,
        quantityWh: 1_000,
        tif,
      });
    const sell = await place(trader, 'sell', 'GTC');
    const buy = await place(buyer, 'buy', 'IOC');
    expect(buy.trades).toHaveLength(1);
    filledOrderId = sell.order.id;
    const others = await buyer.caller.orders.place({
      zone: 'MEA-BKK',
      intervalStart: iso,
      side: 'buy',
      type: 'limit',
      priceTicks: 1_000,
      quantityWh: 1_000,
    });
    othersOrderId = others.order.id;
    operatorCookie = `gtx_session=${(await t.signIn('operator@gridtokenx.local', 'operator-demo-2026')).token}`;
    adminCookie = `gtx_session=${(await t.signIn('admin@gridtokenx.local', 'admin-demo-2026')).token}`;
    direct = `http://127.0.0.1:${t.server!.port}`;
    const services = t.engine.services;
    const handler = createHTTPHandler({
      router: appRouter,
      basePath: '/trpc/',
      createContext: async ({ req, res }): Promise<RequestContext> => ({
        services,
        requestId: 'reference',
        ip: req.socket.remoteAddress ?? null,
        userAgent: null,
        user: await services.sessions.lookup(sessionTokenFromCookieHeader(req.headers.cookie)),
        setCookie: (c) => res.appendHeader('set-cookie', c),
      }),
    });
    standard = http.createServer((req, res) => handler(req, res));
    await new Promise<void>((r) => standard.listen(0, '127.0.0.1', r));
    reference = `http://127.0.0.1:${(standard.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((r) => standard?.close(r));
    await t?.close();
  });

  const order = (over: Record<string, unknown> = {}) =>
    JSON.stringify({
      json: {
        zone: 'MEA-BKK',
        intervalStart: iso,
        side: 'sell',
        type: 'limit',
        priceTicks: 36_000,
        quantityWh: 1_000,
        tif: 'GTC',
        ...over,
      },
    });

  /** Makes the shared services misbehave for one case; returns the undo. */
  type Arrange = () => () => void;
  const overRate: Arrange = () => {
    const spy = vi
      .spyOn(t.engine.services.limiters.ordersPerAccount, 'take')
      .mockReturnValue(false);
    return () => spy.mockRestore();
  };
  const failingCancel: Arrange = () => {
    const spy = vi
      .spyOn(t.engine.services.markets, 'cancel')
      .mockRejectedValue(new Error('database went away'));
    return () => spy.mockRestore();
  };

  const failingPlace: Arrange = () => {
    const spy = vi
      .spyOn(t.engine.services.markets, 'place')
      .mockRejectedValue(new Error('database went away'));
    return () => spy.mockRestore();
  };

  /** A fresh resting sell of the trader's, for a cancel or an amend that succeeds. */
  const resting = async () =>
    (
      await trader.caller.orders.place({
        zone: 'MEA-BKK',
        intervalStart: iso,
        side: 'sell',
        type: 'limit',
        priceTicks: 40_000,
        quantityWh: 1_000,
      })
    ).order.id;
  /** The body of a cancel or an amend. */
  const byId = (orderId: unknown, over: Record<string, unknown> = {}) =>
    JSON.stringify({ json: { orderId, ...over } });

  type Who = 'trader' | 'operator' | 'admin' | 'stale' | null;
  const cookieOf = (who: Who): Record<string, string> => {
    switch (who) {
      case 'trader':
        return { cookie };
      case 'operator':
        return { cookie: operatorCookie };
      case 'admin':
        return { cookie: adminCookie };
      case 'stale':
        return { cookie: 'gtx_session=no-such-session' };
      case null:
        return {};
    }
  };

  const V = [400, 'VALIDATION_FAILED'] as const;
  const NO_SESSION = [401, 'AUTH_REQUIRED'] as const;
  const FORBIDDEN = [403, 'AUTH_FORBIDDEN'] as const;
  const NOT_FOUND = [404, 'ORDER_NOT_FOUND'] as const;
  const cases: [
    name: string,
    path: string,
    /** Called once for each handler. */
    body: () => string | Promise<string>,
    who: Who,
    /** The direct answer's status and domain code: what the case exercises. */
    want: readonly [number, string | null],
    arrange?: Arrange,
  ][] = [
    ['an accepted order', 'orders.place', () => order(), 'trader', [200, null]],
    [
      'an accepted order with a superjson Date',
      'orders.place',
      () =>
        JSON.stringify({
          json: { ...(JSON.parse(order()) as { json: object }).json, postOnly: true },
          meta: { values: { intervalStart: ['Date'] } },
        }),
      'trader',
      [200, null],
    ],
    [
      'a domain refusal (funds)',
      'orders.place',
      () => order({ side: 'buy', quantityWh: 5_000_000 }),
      'trader',
      [412, 'ORDER_INSUFFICIENT_FUNDS'],
    ],
    [
      'a domain refusal (unknown zone)',
      'orders.place',
      () => order({ zone: 'XX-YY' }),
      'trader',
      [400, 'MARKET_UNKNOWN_ZONE'],
    ],
    [
      'a domain refusal (price band)',
      'orders.place',
      () => order({ priceTicks: -5 }),
      'trader',
      [400, 'MATCH_PRICE_OUT_OF_BAND'],
    ],
    ['a malformed zone', 'orders.place', () => order({ zone: 'bkk' }), 'trader', V],
    ['a negative quantity', 'orders.place', () => order({ quantityWh: -5 }), 'trader', V],
    [
      'wrong types',
      'orders.place',
      () => order({ quantityWh: '1000', side: 5, postOnly: 'yes', intervalStart: 'tomorrow' }),
      'trader',
      V,
    ],
    ['an unknown field', 'orders.place', () => order({ extra: 1 }), 'trader', V],
    [
      'missing fields',
      'orders.place',
      () => '{"json":{"zone":"MEA-BKK","side":"sell"}}',
      'trader',
      V,
    ],
    [
      'a malformed client order id',
      'orders.place',
      () => order({ clientOrderId: 'a b' }),
      'trader',
      V,
    ],
    ['a null input', 'orders.place', () => '{"json":null}', 'trader', V],
    ['no input', 'orders.place', () => '{}', 'trader', V],
    ['an array input', 'orders.place', () => '{"json":[1,2]}', 'trader', V],
    ['no session', 'orders.place', () => order(), null, NO_SESSION],
    ['a stale session', 'orders.place', () => order(), 'stale', NO_SESSION],
    ['no session and invalid input', 'orders.place', () => order({ extra: 1 }), null, NO_SESSION],
    ['an operator', 'orders.place', () => order(), 'operator', FORBIDDEN],
    ['an admin', 'orders.place', () => order(), 'admin', FORBIDDEN],
    ['an admin and invalid input', 'orders.place', () => '{"json":5}', 'admin', FORBIDDEN],
    [
      'a rate limit (details)',
      'orders.place',
      () => order(),
      'trader',
      [429, 'RATE_LIMITED'],
      overRate,
    ],
    ['a place that fails', 'orders.place', () => order(), 'trader', [500, null], failingPlace],

    ['a cancel', 'orders.cancel', async () => byId(await resting()), 'trader', [200, null]],
    ['a cancel of an unknown order', 'orders.cancel', () => byId('O999999'), 'trader', NOT_FOUND],
    ['a cancel of a filled order', 'orders.cancel', () => byId(filledOrderId), 'trader', NOT_FOUND],
    [
      'a cancel of another’s order',
      'orders.cancel',
      () => byId(othersOrderId),
      'trader',
      NOT_FOUND,
    ],
    ['a cancel with a number id', 'orders.cancel', () => byId(5), 'trader', V],
    ['a cancel with an empty id', 'orders.cancel', () => byId(''), 'trader', V],
    ['a cancel with a malformed id', 'orders.cancel', () => byId('O 1/2'), 'trader', V],
    ['a cancel with no id', 'orders.cancel', () => '{"json":{}}', 'trader', V],
    [
      'a cancel with an unknown field',
      'orders.cancel',
      () => byId('O1', { all: true }),
      'trader',
      V,
    ],
    ['a cancel with no session', 'orders.cancel', () => byId('O1'), null, NO_SESSION],
    ['a cancel by an operator', 'orders.cancel', () => byId('O1'), 'operator', FORBIDDEN],
    ['a cancel by an admin', 'orders.cancel', () => byId('O1'), 'admin', FORBIDDEN],
    [
      'a cancel over the rate limit',
      'orders.cancel',
      () => byId('O1'),
      'trader',
      [429, 'RATE_LIMITED'],
      overRate,
    ],
    [
      'a procedure that fails',
      'orders.cancel',
      () => byId('O999999'),
      'trader',
      [500, null],
      failingCancel,
    ],

    [
      'an amend',
      'orders.amend',
      async () => byId(await resting(), { priceTicks: 41_000 }),
      'trader',
      [200, null],
    ],
    [
      'an amend of another’s order',
      'orders.amend',
      () => byId(othersOrderId, { quantityWh: 2_000 }),
      'trader',
      NOT_FOUND,
    ],
    ['an amend with nothing to change', 'orders.amend', () => byId('O1'), 'trader', V],
    [
      'an amend with wrong types',
      'orders.amend',
      () => byId('O1', { quantityWh: 0, priceTicks: 1.5 }),
      'trader',
      V,
    ],
    [
      'an amend with an unknown field',
      'orders.amend',
      () => byId('O1', { side: 'buy', quantityWh: 2_000 }),
      'trader',
      V,
    ],
    ['an amend with no session', 'orders.amend', () => byId('O1'), null, NO_SESSION],
    ['an amend by an operator', 'orders.amend', () => byId('O1'), 'operator', FORBIDDEN],

    [
      'a refused role',
      'grid.halt',
      () => '{"json":{"zone":"MEA-BKK","reason":"storm over the substation"}}',
      'trader',
      FORBIDDEN,
    ],
    ['malformed JSON', 'orders.place', () => '{"json":', 'trader', [400, null]],
    ['no body', 'orders.cancel', () => '', 'trader', V],
    ['a query by POST', 'market.zones', () => '', null, [405, null]],
    ['an unknown procedure', 'orders.nothing', () => '{"json":{}}', 'trader', [404, null]],
    [
      'a batch',
      'orders.cancel,orders.cancel?batch=1',
      () => '{"0":{"json":{"orderId":"x"}}}',
      'trader',
      [207, null],
    ],
  ];

  for (const [name, path, body, who, want, arrange] of cases) {
    it(`answers ${name} like tRPC`, async () => {
      const headers = cookieOf(who);
      const undo = arrange?.();
      try {
        const a = await post(direct, path, await body(), headers);
        const b = await post(reference, path, await body(), headers);
        expect(normalise(a)).toEqual(normalise(b));
        expect(outcome(a)).toEqual(want);
      } finally {
        undo?.();
      }
    });
  }

  it('runs the order mutations, and only those, without tRPC’s middleware chain', async () => {
    const procedures = appRouter._def.procedures as unknown as Record<
      string,
      ((opts: unknown) => Promise<unknown>) & object
    >;
    expect(Object.keys(procedures).filter((p) => directCallOf(procedures[p]!))).toEqual([
      'orders.place',
      'orders.cancel',
      'orders.amend',
    ]);
    // Each procedure counts its calls: the direct path must not enter the order mutations'.
    const entered: string[] = [];
    const originals = new Map<string, (typeof procedures)[string]>();
    for (const path of ['orders.place', 'orders.cancel', 'orders.amend', 'grid.halt']) {
      const proc = procedures[path]!;
      originals.set(path, proc);
      procedures[path] = Object.assign((opts: unknown) => {
        entered.push(path);
        return proc(opts);
      }, proc);
    }
    try {
      const calls: [string, string][] = [
        ['orders.place', order({ extra: 1 })],
        ['orders.cancel', byId('O999999')],
        ['orders.amend', byId('O999999', { quantityWh: 2_000 })],
        ['grid.halt', '{"json":{}}'],
      ];
      for (const [path, body] of calls) await post(direct, path, body, { cookie });
      expect(entered).toEqual(['grid.halt']);
      entered.length = 0;
      for (const [path, body] of calls) await post(reference, path, body, { cookie });
      expect(entered).toEqual(calls.map(([path]) => path));
    } finally {
      for (const [path, proc] of originals) procedures[path] = proc;
    }
  });

  it('calls onError with the error, path and context tRPC would', async () => {
    type Seen = { error: TRPCError; path: string | undefined; ctx: RequestContext | undefined };
    /** A handler and the contexts it made and the errors it reported, in order. */
    const listen = async (
      make: (
        createContext: (
          req: http.IncomingMessage,
          res: http.ServerResponse,
        ) => Promise<RequestContext>,
        onError: (o: Seen) => void,
      ) => http.RequestListener,
    ) => {
      const made: RequestContext[] = [];
      const seen: Seen[] = [];
      const services = t.engine.services;
      const server = http.createServer(
        make(
          async (req, res) => {
            const ctx: RequestContext = {
              services,
              requestId: 'onError',
              ip: req.socket.remoteAddress ?? null,
              userAgent: null,
              user: await services.sessions.lookup(
                sessionTokenFromCookieHeader(req.headers.cookie),
              ),
              setCookie: (c) => res.appendHeader('set-cookie', c),
            };
            made.push(ctx);
            return ctx;
          },
          ({ error, path, ctx }) => seen.push({ error, path, ctx }),
        ),
      );
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      return {
        base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        made,
        seen,
        server,
      };
    };
    const ours = await listen((createContext, onError) =>
      createTrpcHttpHandler({ createContext, onError }),
    );
    const theirs = await listen((createContext, onError) =>
      createHTTPHandler({
        router: appRouter,
        basePath: '/trpc/',
        createContext: ({ req, res }) => createContext(req, res),
        onError: ({ error, path, ctx }) => onError({ error, path, ctx }),
      }),
    );
    try {
      const calls: [string, string, Record<string, string>, Arrange?][] = [
        ['orders.place', order(), {}],
        ['orders.place', order(), { cookie: operatorCookie }],
        ['orders.place', order({ quantityWh: 'lots' }), { cookie }],
        ['orders.place', order({ side: 'buy', quantityWh: 5_000_000 }), { cookie }],
        ['orders.place', order(), { cookie }, overRate],
        ['orders.cancel', byId('O999999'), { cookie }],
        ['orders.cancel', byId('O999999'), { cookie }, failingCancel],
        ['orders.amend', byId('O1'), { cookie }],
      ];
      for (const [path, body, headers, arrange] of calls) {
        const undo = arrange?.();
        try {
          await post(ours.base, path, body, headers);
          await post(theirs.base, path, body, headers);
        } finally {
          undo?.();
        }
      }
      const report = (h: typeof ours) =>
        h.seen.map(({ error, path, ctx }) => ({
          path,
          code: error.code,
          message: error.message,
          cause: error.cause?.constructor.name,
          causeMessage: error.cause?.message,
          // The context handed to onError is the one createContext made for that request.
          ctx: ctx === undefined ? -1 : h.made.indexOf(ctx),
        }));
      expect(report(ours)).toHaveLength(calls.length);
      expect(report(ours)).toEqual(report(theirs));
      expect(ours.seen.every(({ error }) => error instanceof TRPCError)).toBe(true);
    } finally {
      await Promise.all([ours.server, theirs.server].map((s) => new Promise((r) => s.close(r))));
    }
  });

  it('refuses each kind with its own status and domain code', async () => {
    const refusal = async (path: string, body: string, arrange?: Arrange) => {
      const undo = arrange?.();
      try {
        const a = await post(direct, path, body, { cookie });
        const json = (JSON.parse(a.text) as { error: { json: { data: Record<string, unknown> } } })
          .error.json.data;
        return [a.status, json.domainCode, json.details ?? null];
      } finally {
        undo?.();
      }
    };
    const cancel = JSON.stringify({ json: { orderId: filledOrderId } });
    expect(await refusal('orders.cancel', cancel)).toEqual([404, 'ORDER_NOT_FOUND', null]);
    expect(await refusal('orders.cancel', '{"json":{"orderId":""}}')).toEqual([
      400,
      'VALIDATION_FAILED',
      null,
    ]);
    expect(await refusal('grid.halt', '{"json":{}}')).toEqual([403, 'AUTH_FORBIDDEN', null]);
    expect(await refusal('orders.place', order(), overRate)).toEqual([
      429,
      'RATE_LIMITED',
      { retryAfterSec: 0 },
    ]);
    expect(await refusal('orders.cancel', cancel, failingCancel)).toEqual([500, null, null]);
  });

  it('keeps the domain code and status of a refusal', async () => {
    const a = await post(direct, 'orders.place', order({ side: 'buy', quantityWh: 5_000_000 }), {
      cookie,
    });
    expect(a.status).toBe(412); // PRECONDITION_FAILED, from the engine’s code table
    expect(JSON.parse(a.text)).toMatchObject({
      error: { json: { data: { domainCode: 'ORDER_INSUFFICIENT_FUNDS' } } },
    });
  });

  it('sets the session cookie of a login', async () => {
    const login = JSON.stringify({
      json: { email: 'http-trader@example.com', password: TEST_PASSWORD },
    });
    const a = await post(direct, 'auth.login', login);
    expect(a.status).toBe(200);
    expect(a.cookies).toEqual(['gtx_session']);
  });
});
