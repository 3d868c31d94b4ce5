// Engine benchmark: a load generator over real HTTP (keep-alive, tRPC wire format) with 1,000
// accounts placing and cancelling orders on several instruments against the built engine on
// PostgreSQL. Reports order acknowledgements per second with p50/p99 latency, and
// trade-to-final latency (trade printed → settlement final on chain) from the database.
// Usage: npm run bench -w @gridtokenx/engine [-- --seconds 20 --concurrency 64]
// Last stdout line: one JSON object with the figures.
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import { spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const here = path.dirname(fileURLToPath(import.meta.url));
const engineDir = path.resolve(here, '..');
const args = process.argv.slice(2);
const arg = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const SECONDS = arg('seconds', 20);
const CONCURRENCY = arg('concurrency', 64);
// 0: closed loop (CONCURRENCY connections, each sending its next order when answered). N: open
// loop, N orders/s sent on schedule over up to CONCURRENCY connections, each latency counted from
// when the order was due (so a stall delays the orders behind it, as a real market's would).
const RATE = arg('rate', 0);
const ACCOUNTS = arg('accounts', 1000);
// Seconds of the same load before the measured one, not counted (JIT, each account's first
// session lookup, the books' first orders): a running exchange is warm.
const WARMUP = arg('warmup', 5);
const SERVER_URL = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const CLOCK_START = '2026-12-01T03:00:00Z';
const INSTRUMENTS = ['MEA-BKK', 'PEA-C', 'PEA-N', 'PEA-NE', 'PEA-S'].flatMap((zone) =>
  ['2026-12-01T06:00:00.000Z', '2026-12-01T06:15:00.000Z'].map((t) => ({ zone, t })),
);

const log = (...m) => console.error('[bench]', ...m);

function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** CPU time (user + system, ms) a process has used so far, from /proc; null when unreadable. */
function procCpuMs(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // CLK_TCK = 100 on Linux
  } catch {
    return null;
  }
}

/** CPU ms each thread of a process has used so far (thread id → ms), from /proc/<pid>/task. */
function threadCpuMs(pid) {
  const out = new Map();
  let tids;
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return out;
  }
  for (const tid of tids) {
    const ms = procCpuMs(`${pid}/task/${tid}`);
    if (ms !== null) out.set(Number(tid), ms);
  }
  return out;
}

/**
 * Cores each of the engine's threads used between two `threadCpuMs` readings: its main thread
 * (the one answering traders), the busiest other thread (the validators' worker) and the rest
 * (V8's and libuv's helpers).
 */
function threadCores(before, after, mainTid, seconds) {
  const used = [...after].map(([tid, ms]) => [tid, ms - (before.get(tid) ?? 0)]);
  const main = used.find(([tid]) => tid === mainTid)?.[1] ?? 0;
  const others = used.filter(([tid]) => tid !== mainTid).map(([, ms]) => ms);
  const busiest = others.length ? Math.max(...others) : 0;
  const rest = others.reduce((a, b) => a + b, 0) - busiest;
  const cores = (ms) => Math.round((ms / 1000 / seconds) * 100) / 100;
  return { main: cores(main), busiestOther: cores(busiest), rest: cores(rest) };
}

/** CPU ms per PostgreSQL backend serving the bench database. */
async function backendCpu(db, dbName) {
  const { rows } = await db.query('SELECT pid FROM pg_stat_activity WHERE datname = $1', [dbName]);
  return new Map(rows.map((r) => [r.pid, procCpuMs(r.pid) ?? 0]));
}

/** MurmurHash3's 32-bit finaliser: every input bit moves every output bit. */
function fmix32(x) {
  let h = x >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

function percentile(sorted, p) {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/**
 * One keep-alive HTTP/1.1 connection with at most one request in flight: the request written as
 * one buffer, the answer parsed from its status line, Content-Length (or chunked) and body.
 */
class HttpConn {
  constructor(host, port) {
    this.host = host;
    this.port = port;
    this.socket = null;
    this.buf = Buffer.alloc(0);
    this.pending = null;
  }

  connect() {
    const socket = net.connect({ host: this.host, port: this.port, noDelay: true });
    socket.on('data', (chunk) => {
      this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
      this.parse();
    });
    const fail = (err) => {
      if (this.socket === socket) this.socket = null;
      this.buf = Buffer.alloc(0);
      const p = this.pending;
      this.pending = null;
      p?.reject(err ?? new Error('connection closed'));
    };
    socket.on('error', fail);
    socket.on('close', () => fail(null));
    this.socket = socket;
    return socket;
  }

  post(path, payload, cookie) {
    const body = Buffer.from(payload);
    const head =
      `POST ${path} HTTP/1.1\r\nHost: ${this.host}:${this.port}\r\n` +
      `Content-Type: application/json\r\nContent-Length: ${body.length}\r\n` +
      `Cookie: ${cookie}\r\nConnection: keep-alive\r\n\r\n`;
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
      (this.socket ?? this.connect()).write(Buffer.concat([Buffer.from(head), body]));
    });
  }

  parse() {
    const end = this.buf.indexOf('\r\n\r\n');
    if (end < 0 || this.pending === null) return;
    const head = this.buf.toString('latin1', 0, end);
    const status = Number(head.slice(9, 12));
    const length = /\r\ncontent-length: *(\d+)/i.exec(head);
    let body;
    let consumed;
    if (length) {
      const n = Number(length[1]);
      if (this.buf.length < end + 4 + n) return;
      body = this.buf.toString('utf8', end + 4, end + 4 + n);
      consumed = end + 4 + n;
    } else if (/\r\ntransfer-encoding: *chunked/i.test(head)) {
      const parts = [];
      let at = end + 4;
      for (;;) {
        const eol = this.buf.indexOf('\r\n', at);
        if (eol < 0) return;
        const size = parseInt(this.buf.toString('latin1', at, eol), 16);
        if (this.buf.length < eol + 2 + size + 2) return;
        if (size === 0) {
          consumed = eol + 4;
          break;
        }
        parts.push(this.buf.subarray(eol + 2, eol + 2 + size));
        at = eol + 2 + size + 2;
      }
      body = Buffer.concat(parts).toString('utf8');
    } else {
      this.pending.reject(new Error(`answer without a length: ${head.split('\r\n')[0]}`));
      this.pending = null;
      this.socket?.destroy();
      return;
    }
    this.buf = this.buf.subarray(consumed);
    const p = this.pending;
    this.pending = null;
    try {
      p.resolve({ ok: status === 200, body: JSON.parse(body) });
    } catch (e) {
      p.reject(e);
    }
  }

  close() {
    this.socket?.end();
    this.socket = null;
  }
}

async function main() {
  const dbName = `gtx_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: SERVER_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${dbName}"`);
  await admin.end();
  const u = new URL(SERVER_URL);
  u.pathname = `/${dbName}`;
  const dbUrl = u.toString();
  const port = await freePort();
  const env = {
    ...process.env,
    DATABASE_URL: dbUrl,
    ENGINE_PORT: String(port),
    ENGINE_HOST: '127.0.0.1',
    KEY_ENCRYPTION_KEY: '33'.repeat(32),
    CLOCK: 'sim',
    CLOCK_SPEED: '1',
    CLOCK_START,
    // Rate limits stay on. Per account the engine's default (50 orders/s, bursts of 100) applies:
    // each bench account sends a few orders a second. Every request comes from one IP here, so
    // the per-IP limits are raised as an operator would for a load test from one host.
    RATE_LIMIT_ORDERS_PER_IP: '50000',
    RATE_LIMIT_LOGINS_PER_MINUTE: '100000',
    LOG_LEVEL: 'warn',
    // The validators' thread writes its own profile beside the engine thread's.
    ...(process.env.BENCH_PROFILE ? { VALIDATOR_CPU_PROF_DIR: process.env.BENCH_PROFILE } : {}),
    DATA_DIR: '/tmp',
    // The demo's simulated participants would trade alongside the bench's accounts.
    SIMULATOR: 'off',
  };
  let engine;
  const stopEngine = () => engine && engine.exitCode === null && engine.kill('SIGTERM');
  try {
    log(`database ${dbName}; starting the engine (migrate, seed, chain)…`);
    engine = spawn(
      process.execPath,
      [
        '--max-semi-space-size=64',
        // BENCH_ENGINE_FLAGS adds node flags for an experiment, e.g. "--trace-gc"; a later
        // "--max-semi-space-size=16" overrides the one above.
        ...(process.env.BENCH_ENGINE_FLAGS?.split(' ').filter(Boolean) ?? []),
        ...(process.env.BENCH_PROFILE
          ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`]
          : []),
        path.join(engineDir, 'dist', 'main.js'),
      ],
      { cwd: engineDir, env, stdio: ['ignore', 'ignore', 'inherit'] },
    );
    const base = `http://127.0.0.1:${port}`;
    for (let i = 0; ; i++) {
      try {
        if ((await fetch(`${base}/readyz`)).ok) break;
      } catch {
        // not listening yet
      }
      if (i > 600) throw new Error('engine did not start');
      await new Promise((r) => setTimeout(r, 200));
    }

    // Accounts are registered through the API (keys, mandates, audit), then funded by the admin.
    const db = new pg.Pool({ connectionString: dbUrl, max: 4 });
    log(`creating ${ACCOUNTS} accounts with sessions and funds…`);
    const tokens = [];
    const call = async (procedure, input, cookie) => {
      const res = await fetch(`${base}/trpc/${procedure}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
        body: JSON.stringify({ json: input }),
      });
      const body = await res.json();
      return { res, body };
    };
    const adminLogin = await call('auth.login', {
      email: 'admin@gridtokenx.local',
      password: 'admin-demo-2026',
    });
    const adminCookie = adminLogin.res.headers.getSetCookie()[0].split(';')[0];
    // Register accounts through the API in parallel batches (keys, mandates, audit), then fund.
    const batch = 16;
    for (let i = 0; i < ACCOUNTS; i += batch) {
      await Promise.all(
        Array.from({ length: Math.min(batch, ACCOUNTS - i) }, async (_, k) => {
          const n = i + k;
          const { res, body } = await call('auth.register', {
            email: `bench-${n}@example.com`,
            password: `bench-password-${n}`,
            name: `Bench ${n}`,
          });
          if (!res.ok) throw new Error(JSON.stringify(body));
          tokens[n] = {
            cookie: res.headers.getSetCookie()[0].split(';')[0],
            id: body.result.data.json.id,
          };
        }),
      );
    }
    for (let i = 0; i < ACCOUNTS; i += 50) {
      await Promise.all(
        tokens.slice(i, i + 50).map((t, k) =>
          fetch(`${base}/trpc/wallet.deposit`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', cookie: adminCookie },
            body: JSON.stringify({
              json: { accountId: t.id, amountSatang: '100000000', reference: `bench-${i + k}` },
              meta: { values: { amountSatang: ['bigint'] } },
            }),
          }),
        ),
      );
    }
    log('waiting for mandates and deposits to be final on chain…');
    for (;;) {
      const { rows } = await db.query(
        `SELECT count(*)::int AS n FROM settlement_outbox WHERE status <> 'FINAL'`,
      );
      if (rows[0].n === 0) break;
      await new Promise((r) => setTimeout(r, 500));
    }

    // The load goes over raw keep-alive TCP connections (HTTP/1.1 written and parsed here, one
    // request in flight per connection): node:http's client costs ≈0.1 ms of CPU per request,
    // which on a 2-core machine the generator takes from the engine it measures.
    const conns = Array.from({ length: CONCURRENCY }, () => new HttpConn('127.0.0.1', port));
    const idle = [...conns];
    const waiting = [];
    const post = async (procedure, input, cookie) => {
      const conn = idle.pop() ?? (await new Promise((r) => waiting.push(r)));
      try {
        return await conn.post(`/trpc/${procedure}`, JSON.stringify({ json: input }), cookie);
      } finally {
        const next = waiting.shift();
        if (next) next(conn);
        else idle.push(conn);
      }
    };
    // Load: each worker loops over accounts; mix ≈ 60% resting limits, 25% crossing, 15% cancels.
    log(`load: ${CONCURRENCY} connections for ${SECONDS}s over ${INSTRUMENTS.length} instruments`);
    const latencies = [];
    /** Latencies by the second of the load in which each request was due (where a tail came from). */
    const bySecond = [];
    const open = tokens.map(() => []);
    let acks = 0;
    let rejects = 0;
    let errors = 0;
    let stop = false;
    // What the engine spends with no orders (consensus rounds, timers), to tell fixed from
    // per-order cost.
    const idle0 = procCpuMs(engine.pid);
    await new Promise((r) => setTimeout(r, 5000));
    const engineIdleCores = Math.round(((procCpuMs(engine.pid) - idle0) / 5000) * 100) / 100;
    const head = async () =>
      (await db.query('SELECT coalesce(max(height), 0)::int AS h FROM chain_block')).rows[0].h;
    const height0 = await head();
    // The engine's event-loop delay over the load (prom-client's monitorEventLoopDelay gauges are
    // reset by each scrape): how long a request can wait behind synchronous work.
    const loopDelay = async () => {
      const text = await (await fetch(`${base}/metrics`)).text();
      const read = (name) => {
        const m = text.match(new RegExp(`^gtx_nodejs_eventloop_lag_${name}_seconds (\\S+)$`, 'm'));
        return m ? Math.round(Number(m[1]) * 1e5) / 100 : null;
      };
      // The engine's own acknowledgement histogram (command at the market → durable), summed
      // over kinds: cumulative counts per bucket bound.
      const ackBuckets = new Map();
      for (const m of text.matchAll(
        /^gtx_order_ack_seconds_bucket\{le="([^"]+)",kind="[^"]+"\} (\S+)$/gm,
      )) {
        ackBuckets.set(m[1], (ackBuckets.get(m[1]) ?? 0) + Number(m[2]));
      }
      return { p50: read('p50'), p99: read('p99'), max: read('max'), ackBuckets };
    };
    /** Share of the window's engine-side acknowledgements within 50 ms (histogram difference). */
    const engineAckWithin50Ms = (before, after) => {
      const count = (m, le) => m.get(le) ?? 0;
      const all = count(after, '+Inf') - count(before, '+Inf');
      const within = count(after, '0.05') - count(before, '0.05');
      return all > 0 ? Math.round((within / all) * 1e5) / 1e5 : null;
    };
    let rejectCodes = {};
    let startedAt = performance.now();
    let recording = false;
    /** One request of the mix; its latency counts from `t0`. */
    const one = async (i, t0) => {
      const a = (i * 7919) % ACCOUNTS;
      const me = tokens[a];
      // Kind, side and instrument from a hash of the request's number, so the closed loop (each
      // connection takes every CONCURRENCY-th number) and the open loop (consecutive numbers)
      // send the same mix, and none of them is tied to the account (a = i·7919 mod 1000).
      const h = fmix32(i + 1);
      const inst = INSTRUMENTS[(h >>> 8) % INSTRUMENTS.length];
      const r = (h >>> 16) % 100;
      let procedure;
      let input;
      if (r < 15 && open[a].length > 0) {
        procedure = 'orders.cancel';
        input = { orderId: open[a].shift() };
      } else {
        const crossing = r < 40;
        const side = (h & 1) === 0 ? 'buy' : 'sell';
        const offset = ((h >>> 24) % 5) * 100;
        const priceTicks =
          side === 'buy'
            ? crossing
              ? 36_400
              : 34_000 - offset
            : crossing
              ? 33_600
              : 36_000 + offset;
        procedure = 'orders.place';
        input = {
          zone: inst.zone,
          intervalStart: inst.t,
          side,
          type: 'limit',
          priceTicks,
          quantityWh: 1_000,
          tif: crossing ? 'IOC' : 'GTC',
        };
      }
      try {
        const res = await post(procedure, input, me.cookie);
        const body = res.body;
        const ms = performance.now() - t0;
        if (recording) {
          latencies.push(ms);
          (bySecond[Math.floor((t0 - startedAt) / 1000)] ??= []).push(ms);
        }
        if (res.ok) {
          if (recording) acks += 1;
          const order = body.result.data.json.order;
          if (procedure === 'orders.place' && order.status === 'OPEN') open[a].push(order.id);
        } else {
          if (!recording) return;
          rejects += 1;
          const code = body.error?.json?.data?.domainCode ?? 'unknown';
          rejectCodes[code] = (rejectCodes[code] ?? 0) + 1;
        }
      } catch {
        if (recording) errors += 1;
      }
    };
    const worker = async (w) => {
      for (let i = w; !stop; i += CONCURRENCY) await one(i, performance.now());
    };
    const scheduled = async () => {
      const inFlight = new Set();
      let sent = 0;
      while (!stop) {
        const due = Math.floor(((performance.now() - startedAt) / 1000) * RATE);
        for (; sent < due; sent++) {
          const p = one(sent, startedAt + (sent / RATE) * 1000);
          inFlight.add(p);
          void p.finally(() => inFlight.delete(p));
        }
        await new Promise((r) => setTimeout(r, 2));
      }
      await Promise.all(inFlight);
    };
    const load = async (seconds) => {
      stop = false;
      startedAt = performance.now();
      const workers =
        RATE > 0 ? [scheduled()] : Array.from({ length: CONCURRENCY }, (_, w) => worker(w));
      await new Promise((r) => setTimeout(r, seconds * 1000));
      stop = true;
      await Promise.all(workers);
    };
    if (WARMUP > 0) {
      log(`warm-up: ${WARMUP}s of the same load, not measured`);
      await load(WARMUP);
    }
    const tradesBefore = (await db.query('SELECT count(*)::int AS n FROM trade')).rows[0].n;
    const delay0 = await loopDelay();
    const cpu0 = { engine: procCpuMs(engine.pid), self: process.cpuUsage(), pg: null };
    const threads0 = threadCpuMs(engine.pid);
    cpu0.pg = await backendCpu(db, dbName);
    rejectCodes = {};
    recording = true;
    await load(SECONDS);
    const elapsed = (performance.now() - startedAt) / 1000;
    const delay = await loopDelay();
    const engineCpuMs = procCpuMs(engine.pid) - cpu0.engine;
    const engineThreadCores = threadCores(threads0, threadCpuMs(engine.pid), engine.pid, elapsed);
    const selfCpu = process.cpuUsage(cpu0.self);
    const selfCpuMs = (selfCpu.user + selfCpu.system) / 1000;
    let pgCpuMs = 0;
    for (const [pid, ms] of await backendCpu(db, dbName)) pgCpuMs += ms - (cpu0.pg.get(pid) ?? 0);
    for (const c of conns) c.close();
    const height1 = await head();
    const loadAvg = os.loadavg().map((l) => Math.round(l * 100) / 100);
    latencies.sort((x, y) => x - y);
    log(`rejections by code: ${JSON.stringify(rejectCodes)}`);
    log(
      `CPU during the load: engine ${Math.round(engineCpuMs)} ms, PostgreSQL backends ` +
        `${Math.round(pgCpuMs)} ms, load generator ${Math.round(selfCpuMs)} ms; load average ${loadAvg.join(' ')}`,
    );

    log('waiting for settlements to drain…');
    const drainStart = Date.now();
    for (;;) {
      const { rows } = await db.query(
        `SELECT count(*)::int AS n FROM settlement_outbox WHERE status IN ('PENDING', 'SUBMITTED')`,
      );
      if (rows[0].n === 0 || Date.now() - drainStart > 120_000) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    const fin = await db.query(
      `SELECT count(*)::int AS trades,
              count(*) FILTER (WHERE o.status = 'FINAL')::int AS final,
              count(*) FILTER (WHERE o.status = 'FAILED')::int AS failed,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM o.final_at - t.created_at) * 1000) AS p50,
              percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM o.final_at - t.created_at) * 1000) AS p99
         FROM (SELECT * FROM trade ORDER BY created_at, id OFFSET $1) t
         JOIN settlement_outbox o ON o.key = 'trade:' || t.id`,
      [tradesBefore],
    );
    const chainBlocks = await db.query(
      `SELECT count(*)::int AS blocks, coalesce(sum(tx_count), 0)::int AS txs FROM chain_block
        WHERE height > $1 AND height <= $2`,
      [height0, height1],
    );
    await db.end();
    const f = fin.rows[0];
    const cb = chainBlocks.rows[0];
    const result = {
      date: new Date().toISOString(),
      accounts: ACCOUNTS,
      concurrency: CONCURRENCY,
      offeredPerSec: RATE > 0 ? RATE : null,
      seconds: Math.round(elapsed * 10) / 10,
      requests: acks + rejects,
      ordersPerSec: Math.round((acks + rejects) / elapsed),
      ackedPerSec: Math.round(acks / elapsed),
      rejected: rejects,
      errors,
      ackP50Ms: Math.round(percentile(latencies, 50) * 100) / 100,
      ackP99Ms: Math.round(percentile(latencies, 99) * 100) / 100,
      ackP99BySecond: bySecond.map((l) =>
        Math.round(
          percentile(
            l.sort((x, y) => x - y),
            99,
          ),
        ),
      ),
      trades: f.trades,
      // Trades per request: the mix's weight (each trade is a settlement on chain).
      tradesPerRequest: Math.round((f.trades / Math.max(1, acks + rejects)) * 1000) / 1000,
      tradesFinal: f.final,
      tradesFailed: f.failed,
      finalP50Ms: f.p50 === null ? null : Math.round(f.p50),
      finalP99Ms: f.p99 === null ? null : Math.round(f.p99),
      // Chain cadence during the load: blocks per second and transactions per block.
      blocksPerSec: Math.round((cb.blocks / elapsed) * 100) / 100,
      txsPerBlock: cb.blocks === 0 ? null : Math.round((cb.txs / cb.blocks) * 10) / 10,
      // CPU per request (ms): compare these across runs on a shared machine, not wall-clock rates.
      engineCpuMsPerOrder: Math.round((engineCpuMs / (acks + rejects)) * 1000) / 1000,
      pgCpuMsPerOrder: Math.round((pgCpuMs / (acks + rejects)) * 1000) / 1000,
      loadGenCpuMsPerOrder: Math.round((selfCpuMs / (acks + rejects)) * 1000) / 1000,
      engineCores: Math.round((engineCpuMs / 1000 / elapsed) * 100) / 100,
      engineIdleCores,
      engineThreadCores,
      loadGenCores: Math.round((selfCpuMs / 1000 / elapsed) * 100) / 100,
      loadAvg1m: loadAvg[0],
      eventLoopDelayP50Ms: delay.p50,
      eventLoopDelayP99Ms: delay.p99,
      eventLoopDelayMaxMs: delay.max,
      // Inside the engine (from the command reaching the market to durable): separates the
      // engine's own delays from the HTTP path's and the generator's, which share the two cores.
      engineAckWithin50MsShare: engineAckWithin50Ms(delay0.ackBuckets, delay.ackBuckets),
    };
    console.log(JSON.stringify(result));
  } finally {
    stopEngine();
    await new Promise((r) => setTimeout(r, 1500));
    const c = new pg.Client({ connectionString: SERVER_URL });
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
    await c.end();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
