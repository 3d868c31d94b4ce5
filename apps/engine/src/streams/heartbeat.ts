// The heartbeat stream: once a second every connected client learns the engine is alive, with a
// sequence number so a client can tell a missed beat from a slow one.
import type { Server } from 'socket.io';

export interface Heartbeat {
  seq: number;
  time: string;
  uptimeSeconds: number;
  clients: number;
}

export function startHeartbeat(io: Server, startedAt: number, intervalMs = 1000): () => void {
  let seq = 0;
  const beat = () => {
    seq += 1;
    const message: Heartbeat = {
      seq,
      time: new Date().toISOString(),
      uptimeSeconds: Math.floor((performance.now() - startedAt) / 1000),
      clients: io.engine.clientsCount,
    };
    // Local only: with the Redis adapter each instance beats for its own clients.
    io.local.emit('heartbeat', message);
  };
  const timer = setInterval(beat, intervalMs);
  return () => clearInterval(timer);
}
