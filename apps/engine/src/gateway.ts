// A gateway engine instance: serves browsers' Socket.IO connections and forwards their tRPC
// calls to the leader, which alone runs the books, the chain and settlement (one sequencer, as
// exchanges do). Streams reach the gateway's clients through the Redis adapter, so more
// gateways mean more connected traders, not more matching engines.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server as SocketServer } from 'socket.io';
import { SessionStore } from './auth/sessions.ts';
import type { Database } from './db/index.ts';
import type { Logger } from './log.ts';
import { startHeartbeat } from './streams/heartbeat.ts';
import { StreamHub } from './streams/hub.ts';
import { useRedisAdapter } from './streams/redis.ts';

export interface GatewayOptions {
  db: Database;
  logger: Logger;
  leaderUrl: string;
  redisUrl: string;
  redisPrefix: string;
  port: number;
  host: string;
  corsOrigins: string[];
}

export interface Gateway {
  port: number;
  close(): Promise<void>;
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'host']);

export async function startGateway(o: GatewayOptions): Promise<Gateway> {
  const leader = new URL(o.leaderUrl);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  const startedAt = performance.now();

  const forward = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const headers: http.OutgoingHttpHeaders = {};
    for (const [k, v] of Object.entries(req.headers)) if (!HOP_BY_HOP.has(k)) headers[k] = v;
    const remote = req.socket.remoteAddress ?? '';
    headers['x-forwarded-for'] = req.headers['x-forwarded-for']
      ? `${String(req.headers['x-forwarded-for'])}, ${remote}`
      : remote;
    const upstream = http.request(
      {
        host: leader.hostname,
        port: leader.port,
        path: req.url,
        method: req.method,
        headers,
        agent,
      },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    upstream.on('error', (err) => {
      o.logger.warn({ err }, 'leader unreachable');
      if (!res.headersSent) {
        res.writeHead(502, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            error: { code: 'ENGINE_UNAVAILABLE', message: 'The exchange leader is unreachable' },
          }),
        );
      } else res.destroy();
    });
    req.pipe(upstream);
  };

  const server = http.createServer((req, res) => {
    const url = req.url ?? '/';
    if (url.startsWith('/trpc/')) return forward(req, res);
    if (url === '/healthz') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ status: 'live', role: 'gateway' }));
      return;
    }
    if (url === '/readyz') {
      fetch(new URL('/readyz', leader))
        .then((r) => {
          res.writeHead(r.ok ? 200 : 503, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ ready: r.ok, role: 'gateway' }));
        })
        .catch(() => {
          res.writeHead(503, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ ready: false, reason: 'leader unreachable' }));
        });
      return;
    }
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: { code: 'NOT_FOUND', message: `No route for ${url}` } }));
  });

  const io = new SocketServer(server, {
    path: '/socket.io',
    cors: { origin: o.corsOrigins, credentials: true },
    serveClient: false,
  });
  const closeRedis = await useRedisAdapter(io, o.redisUrl, o.redisPrefix);
  const hub = new StreamHub(true);
  hub.attach(io, new SessionStore(o.db));
  const stopHeartbeat = startHeartbeat(io, startedAt);

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    async close() {
      stopHeartbeat();
      await io.close();
      server.closeAllConnections();
      agent.destroy();
      await closeRedis();
    },
  };
}
