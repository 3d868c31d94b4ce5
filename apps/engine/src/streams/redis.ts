// Socket.IO across engine instances: with REDIS_URL set, every instance's Socket.IO server
// shares rooms through Redis pub/sub, so a message the leader emits reaches clients connected
// to any instance.
import { createAdapter } from '@socket.io/redis-adapter';
import { Redis } from 'ioredis';
import type { Server } from 'socket.io';

export async function useRedisAdapter(
  io: Server,
  url: string,
  prefix = 'gtx',
): Promise<() => Promise<void>> {
  const pub = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 3 });
  const sub = pub.duplicate();
  await Promise.all([pub.connect(), sub.connect()]);
  io.adapter(createAdapter(pub, sub, { key: prefix }));
  return async () => {
    await Promise.allSettled([pub.quit(), sub.quit()]);
  };
}
