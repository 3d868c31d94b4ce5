// `health` through createCaller and through real HTTP, and the Socket.IO heartbeat, against a
// database of the test's own.
import { createTRPCClient, httpBatchLink, TRPCClientError } from '@trpc/client';
import { io as connect } from 'socket.io-client';
import superjson from 'superjson';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineServices } from '../../context.ts';
import type { EngineServer } from '../../server.ts';
import type { Heartbeat } from '../../streams/heartbeat.ts';
import { createTestEngine, type TestEngine } from '../../testing/engine.ts';
import { createCallerFactory } from '../init.ts';
import { appRouter, type AppRouter } from '../router.ts';

describe('health', () => {
  let t: TestEngine;
  let services: EngineServices;
  let server: EngineServer;

  beforeAll(async () => {
    t = await createTestEngine({ http: true, label: 'health' });
    services = t.engine.services;
    server = t.server!;
  });
  afterAll(async () => t?.close());

  it('reports a reachable, fully migrated database through createCaller', async () => {
    const caller = await t.caller();
    const health = await caller.health();
    expect(health.status).toBe('ok');
    expect(health.database.reachable).toBe(true);
    expect(health.database.kind).toBe(process.env.DATABASE_URL ? 'postgresql' : 'embedded');
    expect(health.database.migrations?.pending).toEqual([]);
    expect(health.database.migrations?.applied).toBeGreaterThan(0);
    expect(health.uptimeSeconds).toBeGreaterThanOrEqual(0);
  });

  it('answers over HTTP at /trpc with superjson (dates stay dates)', async () => {
    const client = createTRPCClient<AppRouter>({
      links: [
        httpBatchLink({ url: `http://127.0.0.1:${server.port}/trpc`, transformer: superjson }),
      ],
    });
    const health = await client.health.query();
    expect(health.status).toBe('ok');
    expect(health.time).toBeInstanceOf(Date);
  });

  it('refuses an unknown procedure with NOT_FOUND', async () => {
    const client = createTRPCClient<AppRouter>({
      links: [
        httpBatchLink({ url: `http://127.0.0.1:${server.port}/trpc`, transformer: superjson }),
      ],
    });
    const bogus = client as unknown as { nope: { query(): Promise<unknown> } };
    const error = await bogus.nope.query().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TRPCClientError);
    expect((error as TRPCClientError<AppRouter>).data?.code).toBe('NOT_FOUND');
  });

  it('turns degraded when the database stops answering', async () => {
    const broken: EngineServices = {
      ...services,
      db: {
        ...services.db,
        ping: () => Promise.reject(new Error('connection refused')),
      },
    };
    const caller = createCallerFactory(appRouter)({
      services: broken,
      requestId: 't2',
      ip: null,
      userAgent: null,
      user: null,
      setCookie: () => undefined,
    });
    const health = await caller.health();
    expect(health.status).toBe('degraded');
    expect(health.database.reachable).toBe(false);
    expect(health.database.error).toMatch(/connection refused/);
  });

  it('streams a heartbeat every second with consecutive sequence numbers', async () => {
    const socket = connect(`http://127.0.0.1:${server.port}`, {
      path: '/socket.io',
      transports: ['websocket'],
    });
    const beats: Heartbeat[] = [];
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no heartbeats')), 10_000);
      socket.on('heartbeat', (hb: Heartbeat) => {
        beats.push(hb);
        if (beats.length === 3) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    socket.close();
    expect(beats[1]!.seq).toBe(beats[0]!.seq + 1);
    expect(beats[2]!.seq).toBe(beats[1]!.seq + 1);
    expect(beats[2]!.clients).toBeGreaterThanOrEqual(1);
  });

  it('serves readiness that follows the database', async () => {
    const res = await fetch(`http://127.0.0.1:${server.port}/readyz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ready: true });
  });
});
