// A stand-in Socket.IO server for in-process tests: every message the hub publishes is encoded
// as JSON, as the real transport would, and anything that cannot be (a bigint) is recorded.
import type { StreamHub } from '../../src/streams/hub.ts';

export interface StreamTap {
  messages: { room: string; type: string; data: unknown }[];
  failures: string[];
}

export function tapStreams(hub: StreamHub): StreamTap {
  const tap: StreamTap = { messages: [], failures: [] };
  (hub as unknown as { io: unknown }).io = {
    to: (room: string) => ({
      emit: (_event: string, message: { type: string; data: unknown }) => {
        try {
          JSON.stringify(message);
          tap.messages.push({ room, type: message.type, data: message.data });
        } catch (error) {
          tap.failures.push(`${room} ${message.type}: ${String(error)}`);
        }
      },
    }),
    engine: { clientsCount: 0 },
  };
  return tap;
}
