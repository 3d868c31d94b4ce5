// Two engine instances on one Redis: a leader (books, chain, settlement) and a gateway. A
// browser connected to the gateway places an order through it and receives the book update
// the leader published, carried across instances by the Socket.IO Redis adapter.
import { randomBytes } from 'node:crypto';
import { io as connect } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import type { StreamMessage } from '../src/streams/hub.ts';
import { createTestDatabase, type TestDatabase } from '../src/testing/database.ts';
import { httpClient, startEngineProcess, until, type EngineProcess } from './support/process.ts';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const T = Date.parse('2026-12-01T06:00:00Z');

async function redisAvailable(): Promise<boolean> {
  const r = new Redis(REDIS_URL, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  try {
    await r.connect();
    return (await r.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    r.disconnect();
  }
}

const available = await redisAvailable();

describe.skipIf(!available)('Socket.IO fan-out across two engines on one Redis', () => {
  let testDb: TestDatabase;
  let leader: EngineProcess;
  let gateway: EngineProcess;

  beforeAll(async () => {
    testDb = await createTestDatabase('redis', process.env.DATABASE_URL);
    const common = {
      DATABASE_URL: testDb.url,
      REDIS_URL,
      REDIS_PREFIX: `gtx-test-${randomBytes(4).toString('hex')}`,
      KEY_ENCRYPTION_KEY: '22'.repeat(32),
      CLOCK: 'sim',
      CLOCK_SPEED: '1',
      CLOCK_START: '2026-12-01T03:00:00Z',
      DATA_DIR: '/tmp',
      ...(testDb.kind === 'embedded' ? { DATABASE_POOL_SIZE: '1' } : {}),
    };
    leader = await startEngineProcess(common);
    gateway = await startEngineProcess({
      ...common,
      ENGINE_ROLE: 'gateway',
      ENGINE_LEADER_URL: leader.url,
    });
  });
  afterAll(async () => {
    await gateway?.kill('SIGTERM');
    await leader?.kill('SIGTERM');
    await testDb?.drop();
  });

  it('delivers the leader’s book update to a client of the gateway', async () => {
    const api = httpClient(gateway.url); // every call goes through the gateway to the leader
    const me = await api.auth.register.mutate({
      email: 'fanout@example.com',
      password: 'fan-out-pass',
      name: 'Fan',
    });
    expect(me.email).toBe('fanout@example.com');

    const socket = connect(gateway.url, { path: '/socket.io', transports: ['websocket'] });
    const room = `book:${T}:PEA-N`;
    const got: StreamMessage[] = [];
    socket.on('msg', (m: StreamMessage) => m.room === room && got.push(m));
    await until('connected to the gateway', () => socket.connected);
    const ack = await new Promise<{ joined: { room: string; seq: number | null }[] }>((r) =>
      socket.emit('subscribe', [room], r),
    );
    expect(ack.joined).toEqual([{ room, seq: null }]); // a gateway does not know sequences: snapshot first

    const placed = await api.orders.place.mutate({
      zone: 'PEA-N',
      intervalStart: new Date(T).toISOString(),
      side: 'sell',
      type: 'limit',
      priceTicks: 33_000,
      quantityWh: 2_000,
      tif: 'GTC',
    });
    expect(placed.order.status).toBe('OPEN');
    await until('book message through Redis', () => got.length > 0);
    expect(got[0]!.data).toMatchObject({
      asks: [{ priceTicks: 33_000, quantityWh: 2_000, orderCount: 1 }],
    });
    const snapshot = await api.market.book.query({
      zone: 'PEA-N',
      intervalStart: new Date(T).toISOString(),
    });
    expect(snapshot.seq).toBe(got.at(-1)!.seq);
    expect(snapshot.epoch).toBe(got[0]!.epoch);
    socket.close();
  });
});
