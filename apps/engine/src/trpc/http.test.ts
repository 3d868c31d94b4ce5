// The engine's tRPC HTTP handler answers single JSON mutations itself: differential test against
// tRPC's standard adapter over the same services — same status, same body bytes (superjson
// envelope, error shape with domain code, zod issues and details), same content-type, vary and
// cookies — for successes, refusals of every kind (domain, zod, session, role, rate limit, a
// failing procedure), malformed bodies, and requests the direct path hands on.
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
  /** A sell of the trader's that a second trader's buy filled: cancelling it is refused. */
  let filledOrderId: string;

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

  const cases: [
    name: string,
    path: string,
    body: () => string,
    signedIn: boolean,
    arrange?: Arrange,
  ][] = [
    ['an accepted order', 'orders.place', () => order(), true],
    [
      'a domain refusal (funds)',
      'orders.place',
      () => order({ side: 'buy', quantityWh: 5_000_000 }),
      true,
    ],
    ['invalid input (zod issues)', 'orders.place', () => order({ priceTicks: -5 }), true],
    ['an unknown field', 'orders.place', () => order({ extra: 1 }), true],
    ['no session', 'orders.place', () => order(), false],
    ['a cancel of an unknown order', 'orders.cancel', () => '{"json":{"orderId":"O999999"}}', true],
    [
      'a cancel of a filled order',
      'orders.cancel',
      () => JSON.stringify({ json: { orderId: filledOrderId } }),
      true,
    ],
    [
      'a refused role',
      'grid.halt',
      () => '{"json":{"zone":"MEA-BKK","reason":"storm over the substation"}}',
      true,
    ],
    ['a rate limit (details)', 'orders.place', () => order(), true, overRate],
    [
      'a procedure that fails',
      'orders.cancel',
      () => '{"json":{"orderId":"O999999"}}',
      true,
      failingCancel,
    ],
    ['malformed JSON', 'orders.place', () => '{"json":', true],
    ['no body', 'orders.cancel', () => '', true],
    ['a query by POST', 'market.zones', () => '', false],
    ['an unknown procedure', 'orders.nothing', () => '{"json":{}}', true],
    [
      'a batch',
      'orders.cancel,orders.cancel?batch=1',
      () => '{"0":{"json":{"orderId":"x"}}}',
      true,
    ],
  ];

  for (const [name, path, body, signedIn, arrange] of cases) {
    it(`answers ${name} like tRPC`, async () => {
      const headers: Record<string, string> = signedIn ? { cookie } : {};
      const undo = arrange?.();
      try {
        const a = await post(direct, path, body(), headers);
        const b = await post(reference, path, body(), headers);
        expect(normalise(a)).toEqual(normalise(b));
        expect(a.status).not.toBe(0);
      } finally {
        undo?.();
      }
    });
  }

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
