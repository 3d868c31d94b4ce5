// Live streams: every room numbers its messages; a client that misses messages (here: it was
// disconnected while the book changed) sees the gap, fetches a snapshot carrying the room's
// sequence, and from then on its copy of the book equals the engine's.
import type { DepthLevel } from '@gridtokenx/matching';
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/clock.ts';
import type { StreamMessage } from '../src/streams/hub.ts';
import {
  createTestEngine,
  MemoryBalances,
  type SignedIn,
  type TestEngine,
} from '../src/testing/engine.ts';
import { until } from './support/process.ts';

const T = Date.parse('2026-12-01T06:00:00Z');
const room = `book:${T}:MEA-BKK`;

/** What a browser's book component does: apply deltas in order, resync on a gap. */
class BookFollower {
  bids = new Map<number, DepthLevel>();
  asks = new Map<number, DepthLevel>();
  seq = 0;
  epoch = '';
  gaps = 0;
  resyncs = 0;
  private buffer: StreamMessage<{ bids: DepthLevel[]; asks: DepthLevel[] }>[] = [];
  private syncing = false;

  constructor(
    private readonly snapshot: () => Promise<{
      bids: readonly DepthLevel[];
      asks: readonly DepthLevel[];
      seq: number;
      epoch: string;
    }>,
  ) {}

  async resync(): Promise<void> {
    this.syncing = true;
    this.resyncs += 1;
    const s = await this.snapshot();
    this.bids = new Map(s.bids.map((l) => [l.priceTicks, l]));
    this.asks = new Map(s.asks.map((l) => [l.priceTicks, l]));
    this.seq = s.seq;
    this.epoch = s.epoch;
    this.syncing = false;
    const pending = this.buffer.filter((m) => m.seq > this.seq).sort((a, b) => a.seq - b.seq);
    this.buffer = [];
    for (const m of pending) this.onMessage(m);
  }

  onMessage(m: StreamMessage<{ bids: DepthLevel[]; asks: DepthLevel[] }>): void {
    if (this.syncing) {
      this.buffer.push(m);
      return;
    }
    if (m.epoch !== this.epoch || m.seq !== this.seq + 1) {
      if (m.seq <= this.seq && m.epoch === this.epoch) return; // already in the snapshot
      this.gaps += 1;
      this.buffer.push(m);
      void this.resync();
      return;
    }
    for (const l of m.data.bids)
      if (l.quantityWh === 0) this.bids.delete(l.priceTicks);
      else this.bids.set(l.priceTicks, l);
    for (const l of m.data.asks)
      if (l.quantityWh === 0) this.asks.delete(l.priceTicks);
      else this.asks.set(l.priceTicks, l);
    this.seq = m.seq;
  }

  view() {
    return {
      bids: [...this.bids.values()].sort((a, b) => b.priceTicks - a.priceTicks),
      asks: [...this.asks.values()].sort((a, b) => a.priceTicks - b.priceTicks),
    };
  }
}

describe('streams', () => {
  let t: TestEngine;
  let trader: SignedIn;
  let socket: Socket;

  beforeAll(async () => {
    const balances = new MemoryBalances();
    t = await createTestEngine({
      http: true,
      clock: new ManualClock(Date.parse('2026-12-01T03:00:00Z')),
      balances,
      label: 'streams',
    });
    trader = await t.signUp('maker@example.com');
    balances.thb.set(trader.accountId, 10_000_000n);
  });
  afterAll(async () => {
    socket?.close();
    await t?.close();
  });

  const place = (side: 'buy' | 'sell', priceTicks: number) =>
    trader.caller.orders.place({
      zone: 'MEA-BKK',
      intervalStart: new Date(T).toISOString(),
      side,
      type: 'limit',
      priceTicks,
      quantityWh: 1_000,
      tif: 'GTC',
    });

  it('numbers book messages consecutively and recovers from missed ones with a snapshot', async () => {
    const anon = await t.caller();
    const follower = new BookFollower(async () => {
      const b = await anon.market.book({
        zone: 'MEA-BKK',
        intervalStart: new Date(T).toISOString(),
        levels: 50,
      });
      return b;
    });
    socket = connect(`http://127.0.0.1:${t.server!.port}`, {
      path: '/socket.io',
      transports: ['websocket'],
    });
    const seqs: number[] = [];
    socket.on('msg', (m: StreamMessage<{ bids: DepthLevel[]; asks: DepthLevel[] }>) => {
      if (m.room !== room) return;
      seqs.push(m.seq);
      follower.onMessage(m);
    });
    const subscribe = () =>
      new Promise<{ epoch: string; joined: { room: string; seq: number }[] }>((resolve) =>
        socket.emit('subscribe', [room], resolve),
      );
    await until('connected', () => socket.connected);
    await subscribe();
    await follower.resync();

    for (let i = 0; i < 5; i++) await place('sell', 36_000 + i * 100);
    await until('five book messages', () => seqs.length >= 5);
    expect(seqs).toEqual(seqs.map((_, i) => seqs[0]! + i));
    expect(follower.gaps).toBe(0);

    // Miss some messages: the book changes while the client is away.
    socket.disconnect();
    for (let i = 0; i < 4; i++) await place('buy', 34_000 + i * 100);
    socket.connect();
    await until('reconnected', () => socket.connected);
    const ack = await subscribe();
    expect(ack.joined[0]!.seq).toBeGreaterThan(follower.seq);
    await place('sell', 35_900); // the next message reveals the gap
    await until(
      'resynced',
      () => follower.gaps === 1 && follower.seq === t.engine.services.hub.seq(room),
    );
    const server = await anon.market.book({
      zone: 'MEA-BKK',
      intervalStart: new Date(T).toISOString(),
      levels: 50,
    });
    expect(follower.view()).toEqual({ bids: server.bids, asks: server.asks });
    expect(follower.resyncs).toBe(2);
  });

  it('delivers private order and fill messages only to their owner', async () => {
    const other = await t.signUp('watcher@example.com');
    const mine = connect(`http://127.0.0.1:${t.server!.port}`, {
      path: '/socket.io',
      transports: ['websocket'],
      extraHeaders: { cookie: `gtx_session=${trader.token}` },
    });
    const theirs = connect(`http://127.0.0.1:${t.server!.port}`, {
      path: '/socket.io',
      transports: ['websocket'],
      extraHeaders: { cookie: `gtx_session=${other.token}` },
    });
    const got: { mine: string[]; theirs: string[] } = { mine: [], theirs: [] };
    mine.on('msg', (m: StreamMessage) => m.room.startsWith('user:') && got.mine.push(m.type));
    theirs.on('msg', (m: StreamMessage) => m.room.startsWith('user:') && got.theirs.push(m.type));
    await until('both connected', () => mine.connected && theirs.connected);
    // A client cannot join someone else's private room.
    const refused = await new Promise<{ refused: string[] }>((r) =>
      theirs.emit('subscribe', [`user:${trader.accountId}`], r),
    );
    expect(refused.refused).toEqual([`user:${trader.accountId}`]);
    await place('sell', 37_000);
    await until('order update delivered', () => got.mine.includes('order'));
    await new Promise((r) => setTimeout(r, 200));
    expect(got.theirs).toEqual([]);
    mine.close();
    theirs.close();
  });
});
