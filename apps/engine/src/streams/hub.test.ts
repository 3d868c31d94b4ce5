// The hub numbers every room's messages whether or not anyone listens, and on a local-only
// server (no Redis adapter) does not encode messages for rooms without sockets; with a shared
// adapter every message goes out, since other instances may hold the room's sockets.
import type { Server } from 'socket.io';
import { describe, expect, it } from 'vitest';
import type { SessionStore } from '../auth/sessions.ts';
import { StreamHub } from './hub.ts';

function fakeServer(joined: string[]) {
  const sent: { room: string; seq: number }[] = [];
  const io = {
    use: () => undefined,
    on: () => undefined,
    sockets: { adapter: { rooms: new Map(joined.map((r) => [r, new Set(['socket-1'])])) } },
    to: (room: string) => ({
      emit: (_event: string, m: { seq: number }) => sent.push({ room, seq: m.seq }),
    }),
  };
  return { io: io as unknown as Server, sent };
}

const sessions = {} as SessionStore;

describe('stream hub', () => {
  it('skips rooms nobody joined on a local-only server, and keeps counting', () => {
    const hub = new StreamHub();
    const { io, sent } = fakeServer(['book:1:MEA-BKK']);
    hub.attach(io, sessions, { localOnly: true });
    hub.publish('user:nobody', 'order', {});
    hub.publish('book:1:MEA-BKK', 'book', {});
    hub.publish('user:nobody', 'order', {});
    hub.publish('book:1:MEA-BKK', 'book', {});
    expect(sent).toEqual([
      { room: 'book:1:MEA-BKK', seq: 1 },
      { room: 'book:1:MEA-BKK', seq: 2 },
    ]);
    expect(hub.seq('user:nobody')).toBe(2);
  });

  it('sends every message when rooms are shared with other instances', () => {
    const hub = new StreamHub();
    const { io, sent } = fakeServer([]);
    hub.attach(io, sessions);
    hub.publish('user:elsewhere', 'order', {});
    expect(sent).toEqual([{ room: 'user:elsewhere', seq: 1 }]);
  });
});
