// Live streams over Socket.IO. Each room (an instrument's book, its trades, a user's orders, the
// grid, the chain) numbers its messages; a client that sees a gap — or a new epoch after an
// engine restart — fetches a snapshot (which carries the room's current seq) and carries on.
import { randomUUID } from 'node:crypto';
import type { Server, Socket } from 'socket.io';
import type { SessionStore, SessionUser } from '../auth/sessions.ts';
import { sessionTokenFromCookieHeader } from '../auth/sessions.ts';

export interface StreamMessage<T = unknown> {
  room: string;
  /** Per-room sequence number, 1, 2, 3 … within an epoch. */
  seq: number;
  /** Changes when the engine restarts: sequence numbers start again. */
  epoch: string;
  type: string;
  data: T;
}

/** Rooms a client may join, and who may join them. */
export const ROOM_PATTERNS = {
  book: /^book:\d{13}:[A-Z]{2,4}(-[A-Z]{1,4})?$/,
  trades: /^trades:\d{13}:[A-Z]{2,4}(-[A-Z]{1,4})?$/,
  market: /^market$/,
  dayAhead: /^dayahead$/,
  grid: /^grid$/,
  blocks: /^blocks$/,
  user: /^user:[0-9a-f-]{36}$/,
} as const;

export function bookRoom(intervalStartMs: number, zone: string): string {
  return `book:${intervalStartMs}:${zone}`;
}
export function tradesRoom(intervalStartMs: number, zone: string): string {
  return `trades:${intervalStartMs}:${zone}`;
}
export function userRoom(accountId: string): string {
  return `user:${accountId}`;
}

export type Publisher = (room: string, type: string, data: unknown) => void;

export class StreamHub {
  readonly epoch = randomUUID();
  /**
   * A relay hub (a gateway engine) only forwards what the leader publishes through the Redis
   * adapter: it does not know room sequences, so subscription acks carry `seq: null` and
   * clients start from a snapshot.
   */
  constructor(
    readonly relay = false,
    /** The engine's clock (simulated or real), so clients can follow its time and speed. */
    private readonly clock: { now(): number; speed: number } = { now: () => Date.now(), speed: 1 },
  ) {}
  private readonly seqs = new Map<string, number>();
  private io: Server | null = null;
  /** Only this instance's sockets receive (no Redis adapter): rooms nobody joined are skipped. */
  private localOnly = false;
  /** Messages published per room type, for metrics. */
  published = 0;

  /**
   * Binds the hub to a Socket.IO server and handles subscriptions. `localOnly`: no adapter shares
   * rooms with other instances, so a message for a room without local sockets is not encoded.
   */
  attach(io: Server, sessions: SessionStore, options: { localOnly?: boolean } = {}): void {
    this.io = io;
    this.localOnly = options.localOnly === true;
    io.use((socket, next) => {
      const token = sessionTokenFromCookieHeader(socket.handshake.headers.cookie);
      sessions.lookup(token).then(
        (user) => {
          (socket.data as { user: SessionUser | null }).user = user;
          next();
        },
        (err: unknown) => next(err instanceof Error ? err : new Error(String(err))),
      );
    });
    io.on('connection', (socket) => this.onConnection(socket));
  }

  private onConnection(socket: Socket): void {
    const user = (socket.data as { user: SessionUser | null }).user;
    if (user) void socket.join(userRoom(user.accountId));
    socket.emit('hello', {
      epoch: this.epoch,
      user: user ? user.accountId : null,
      now: this.clock.now(),
      speed: this.clock.speed,
    });
    socket.on('subscribe', (rooms: unknown, ack?: unknown) => {
      const list = Array.isArray(rooms)
        ? rooms.filter((r): r is string => typeof r === 'string')
        : [];
      const joined: string[] = [];
      const refused: string[] = [];
      for (const room of list.slice(0, 200)) {
        if (this.mayJoin(room, user)) {
          void socket.join(room);
          joined.push(room);
        } else refused.push(room);
      }
      if (typeof ack === 'function') {
        (ack as (r: unknown) => void)({
          epoch: this.epoch,
          joined: joined.map((room) => ({ room, seq: this.relay ? null : this.seq(room) })),
          refused,
        });
      }
    });
    socket.on('unsubscribe', (rooms: unknown) => {
      if (!Array.isArray(rooms)) return;
      for (const room of rooms) if (typeof room === 'string') void socket.leave(room);
    });
  }

  private mayJoin(room: string, user: SessionUser | null): boolean {
    if (ROOM_PATTERNS.user.test(room)) return user !== null && room === userRoom(user.accountId);
    if (ROOM_PATTERNS.grid.test(room)) return true;
    return (
      ROOM_PATTERNS.book.test(room) ||
      ROOM_PATTERNS.trades.test(room) ||
      ROOM_PATTERNS.market.test(room) ||
      ROOM_PATTERNS.dayAhead.test(room) ||
      ROOM_PATTERNS.blocks.test(room)
    );
  }

  /** The last sequence number published to `room` (0 when none yet). */
  seq(room: string): number {
    return this.seqs.get(room) ?? 0;
  }

  publish: Publisher = (room, type, data) => {
    const seq = (this.seqs.get(room) ?? 0) + 1;
    this.seqs.set(room, seq);
    this.published += 1;
    const io = this.io;
    // Socket.IO encodes a message before it looks for the room's sockets; most rooms (a user's,
    // a book nobody watches) usually have none. The sequence number counts on regardless.
    if (!io || (this.localOnly && !io.sockets.adapter.rooms.has(room))) return;
    const message: StreamMessage = { room, seq, epoch: this.epoch, type, data };
    io.to(room).emit('msg', message);
  };

  connectedClients(): number {
    return this.io?.engine.clientsCount ?? 0;
  }
}
