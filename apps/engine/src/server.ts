// The engine's one port: tRPC over HTTP at /trpc, Socket.IO at /socket.io, and plain liveness
// and readiness probes. Everything a browser needs arrives here through the web server's proxy.
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server as SocketServer } from 'socket.io';
import { sessionTokenFromCookieHeader } from './auth/sessions.ts';
import type { EngineServices, RequestContext } from './context.ts';
import type { Logger } from './log.ts';
import { startHeartbeat } from './streams/heartbeat.ts';
import { useRedisAdapter } from './streams/redis.ts';
import { createTrpcHttpHandler } from './trpc/http.ts';

export interface EngineServer {
  readonly http: http.Server;
  readonly io: SocketServer;
  readonly port: number;
  close(): Promise<void>;
}

export interface ServeOptions {
  port: number;
  host: string;
  corsOrigins: string[];
  logger: Logger;
  /** Share Socket.IO rooms with other engine instances through this Redis. */
  redisUrl?: string | undefined;
  redisPrefix?: string | undefined;
}

function clientIp(req: http.IncomingMessage): string | null {
  const forwarded = req.headers['x-forwarded-for'];
  const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim();
  return first || req.socket.remoteAddress || null;
}

function requestIdOf(req: http.IncomingMessage): string {
  const given = req.headers['x-request-id'];
  const id = Array.isArray(given) ? given[0] : given;
  return id && /^[\w.-]{1,64}$/.test(id) ? id : randomUUID();
}

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

export async function serve(
  services: EngineServices,
  options: ServeOptions,
): Promise<EngineServer> {
  const { logger } = options;
  const trpcHandler = createTrpcHttpHandler({
    createContext: async (req, res): Promise<RequestContext> => {
      const token = sessionTokenFromCookieHeader(req.headers.cookie);
      const agent = req.headers['user-agent'];
      return {
        services,
        requestId: (req.headers['x-request-id'] as string | undefined) ?? randomUUID(),
        ip: clientIp(req),
        userAgent: typeof agent === 'string' ? agent : null,
        user: await services.sessions.lookup(token),
        setCookie: (cookie) => res.appendHeader('set-cookie', cookie),
      };
    },
    onError({ error, path, ctx }) {
      if (error.code === 'INTERNAL_SERVER_ERROR') {
        logger.error({ err: error, path, requestId: ctx?.requestId }, 'procedure failed');
      }
    },
  });

  const server = http.createServer((req, res) => {
    const requestId = requestIdOf(req);
    req.headers['x-request-id'] = requestId;
    res.setHeader('x-request-id', requestId);
    const url = req.url ?? '/';
    if (url.startsWith('/trpc/')) {
      trpcHandler(req, res);
      return;
    }
    if (url === '/metrics') {
      services.metrics.registry.metrics().then(
        (text) => {
          res.writeHead(200, { 'content-type': services.metrics.registry.contentType });
          res.end(text);
        },
        (err: unknown) => sendJson(res, 500, { error: String(err) }),
      );
      return;
    }
    if (url === '/healthz') {
      sendJson(res, 200, { status: 'live' });
      return;
    }
    if (url === '/readyz') {
      services.db.ping().then(
        () => {
          const chainStale =
            services.chain !== null && Date.now() - services.chain.lastCommitAtMs > 30_000;
          const chainUnreachable = services.chain?.unreachableReason() ?? null;
          if (!services.markets.ready) {
            sendJson(res, 503, { ready: false, reason: 'markets are recovering' });
          } else if (chainUnreachable) {
            sendJson(res, 503, { ready: false, reason: chainUnreachable });
          } else if (chainStale) {
            sendJson(res, 503, {
              ready: false,
              reason: 'the chain has not committed a block for 30 s',
            });
          } else sendJson(res, 200, { ready: true });
        },
        (err: unknown) => sendJson(res, 503, { ready: false, reason: String(err) }),
      );
      return;
    }
    sendJson(res, 404, { error: { code: 'NOT_FOUND', message: `No route for ${url}` } });
  });

  const io = new SocketServer(server, {
    path: '/socket.io',
    cors: { origin: options.corsOrigins, credentials: true },
    serveClient: false,
  });
  const closeRedis = options.redisUrl
    ? await useRedisAdapter(io, options.redisUrl, options.redisPrefix)
    : null;
  services.hub.attach(io, services.sessions, { localOnly: closeRedis === null });
  const stopHeartbeat = startHeartbeat(io, services.startedAt);

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;

  return {
    http: server,
    io,
    port,
    async close() {
      stopHeartbeat();
      await io.close(); // also closes the HTTP server
      server.closeAllConnections();
      await closeRedis?.();
    },
  };
}
