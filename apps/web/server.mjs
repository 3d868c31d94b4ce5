// The web app's server: Next's request handler plus a proxy that forwards /trpc (HTTP) and
// /socket.io (HTTP long-polling and WebSocket upgrades) to the engine, so the browser talks to
// one origin. Next's own rewrites cannot carry Socket.IO (see TOOLCHAIN.md), hence this file.
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createProxyServer } from 'http-proxy-3';
import next from 'next';

const dev = process.argv.includes('--dev');
const port = Number(process.env.WEB_PORT ?? 3000);
const host = process.env.WEB_HOST ?? '0.0.0.0';
const engineUrl = process.env.ENGINE_URL ?? 'http://127.0.0.1:4000';
const dir = path.dirname(fileURLToPath(import.meta.url));

if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`[web] WEB_PORT must be a port number, got ${process.env.WEB_PORT}`);
  process.exit(1);
}

const isEngineRoute = (url = '') => url.startsWith('/trpc/') || url.startsWith('/socket.io/');

const proxy = createProxyServer({ target: engineUrl, xfwd: true, ws: true });
proxy.on('error', (err, _req, res) => {
  if (res instanceof http.ServerResponse) {
    if (!res.headersSent) {
      res.writeHead(502, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          error: {
            code: 'ENGINE_UNREACHABLE',
            message: `The engine at ${engineUrl} did not answer`,
          },
        }),
      );
    } else res.destroy();
  } else res?.destroy?.();
  if (err.code !== 'ECONNREFUSED' && err.code !== 'ECONNRESET')
    console.error('[web] proxy:', err.message);
});

const app = next({ dev, dir, hostname: 'localhost', port });
const handle = app.getRequestHandler();
await app.prepare();
const nextUpgrade = app.getUpgradeHandler();

const server = http.createServer((req, res) => {
  if (isEngineRoute(req.url)) proxy.web(req, res);
  else void handle(req, res);
});
server.on('upgrade', (req, socket, head) => {
  if (isEngineRoute(req.url)) proxy.ws(req, socket, head);
  else void nextUpgrade(req, socket, head);
});

server.listen(port, host, () => {
  console.log(`[web] http://localhost:${server.address().port} (engine ${engineUrl})`);
});

let stopping = false;
const stop = (signal) => {
  if (stopping) return;
  stopping = true;
  console.log(`[web] ${signal}: shutting down`);
  setTimeout(() => process.exit(1), 5_000).unref();
  server.close(() => process.exit(0));
  server.closeAllConnections();
  proxy.close();
};
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));
