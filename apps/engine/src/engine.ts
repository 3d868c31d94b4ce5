// Builds the engine from a configuration: the one place that wires database, sessions, keys,
// limits, markets, chain and streams together, for main.ts and for tests.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { KeyVault } from './auth/keys.ts';
import { RateLimiter } from './auth/rate-limit.ts';
import { SessionStore } from './auth/sessions.ts';
import type { Clock } from './clock.ts';
import type { EngineServices } from './context.ts';
import type { Database } from './db/index.ts';
import type { Env } from './env.ts';
import type { Logger } from './log.ts';
import { ContinuousMarkets } from './market/continuous.ts';
import { DayAheadMarket } from './market/day-ahead.ts';
import { Reservations, type BalanceSource } from './market/funds.ts';
import { StreamHub, userRoom } from './streams/hub.ts';
import { ChainHost } from './chain/host.ts';
import type { DevnetConnection } from './chain/devnet.ts';
import { createMetrics } from './metrics.ts';
import { buyerTotalOf, SettlementWorker, type TradePayload } from './settlement/worker.ts';
import { MeteringService } from './metering/service.ts';
import { registerMeteringOutbox } from './metering/outbox.ts';
import { DeliverySettler } from './delivery/settle.ts';
import { registerDeliveryOutbox } from './delivery/outbox.ts';
import { ReserveMarket } from './balancing/reserves.ts';
import { EmergencyProtocol } from './balancing/emergency.ts';
import { CertificateService } from './certificates/service.ts';
import { registerCertificateOutbox } from './certificates/outbox.ts';
import { GovernanceService } from './governance/service.ts';
import { registerGovernanceOutbox } from './governance/outbox.ts';
import { ReportService } from './reports/service.ts';

export interface EngineConfig {
  kek: Buffer;
  secureCookies: boolean;
  ordersPerAccountPerSec: number;
  ordersPerIpPerSec: number;
  loginsPerMinute: number;
  version: string;
  /** Local chain mode: minimum time between blocks while transactions wait (BLK-5). */
  chainBlockIntervalMs?: number;
  /** Local chain mode on PostgreSQL: the validators' thread (default a worker thread). */
  chainValidatorThread?: 'worker' | 'main';
  /** The validators' thread's nice value (CHAIN_VALIDATOR_NICE). */
  chainValidatorNice?: number;
}

function parseKek(value: string): Buffer {
  return /^[0-9a-fA-F]{64}$/.test(value) ? Buffer.from(value, 'hex') : Buffer.from(value, 'base64');
}

/** The key-encryption key from the environment, or a generated one kept in the data folder. */
export async function resolveKek(env: Env, logger: Logger): Promise<Buffer> {
  if (env.KEY_ENCRYPTION_KEY) return parseKek(env.KEY_ENCRYPTION_KEY);
  const file = path.join(env.DATA_DIR, 'engine-kek.key');
  if (existsSync(file)) return parseKek((await readFile(file, 'utf8')).trim());
  await mkdir(env.DATA_DIR, { recursive: true });
  const kek = randomBytes(32);
  await writeFile(file, kek.toString('hex') + '\n', { mode: 0o600 });
  logger.warn({ file }, 'KEY_ENCRYPTION_KEY unset: generated one in the data folder');
  return kek;
}

export function configFromEnv(env: Env, kek: Buffer, version: string): EngineConfig {
  return {
    kek,
    secureCookies: env.SECURE_COOKIES,
    ordersPerAccountPerSec: env.RATE_LIMIT_ORDERS_PER_ACCOUNT,
    ordersPerIpPerSec: env.RATE_LIMIT_ORDERS_PER_IP,
    loginsPerMinute: env.RATE_LIMIT_LOGINS_PER_MINUTE,
    version,
    ...(env.CHAIN_BLOCK_INTERVAL_MS === undefined
      ? {}
      : { chainBlockIntervalMs: env.CHAIN_BLOCK_INTERVAL_MS }),
    ...(env.CHAIN_VALIDATOR_THREAD === undefined
      ? {}
      : { chainValidatorThread: env.CHAIN_VALIDATOR_THREAD }),
    ...(env.CHAIN_VALIDATOR_NICE === undefined
      ? {}
      : { chainValidatorNice: env.CHAIN_VALIDATOR_NICE }),
  };
}

export interface EngineOptions {
  db: Database;
  config: EngineConfig;
  logger: Logger;
  clock: Clock;
  /**
   * `true`: host the four authority validators in-process (the default deployment); `devnet`:
   * follow that WebSocket devnet instead (CHAIN_MODE=devnet); buying power comes from the chain.
   * Otherwise the given balances (market-only tests).
   */
  chain: true | { devnet: DevnetConnection } | { balances: BalanceSource };
  /** How often the calendar is checked (real milliseconds). */
  schedulerIntervalMs?: number;
}

export interface Engine {
  readonly services: EngineServices;
  /** Rebuilds markets from the database, then runs the market calendar. */
  start(): Promise<void>;
  /** Runs the calendar once (opening, closing and clearing what is due); for tests. */
  tick(): Promise<void>;
  /** Stops the calendar and waits for pending writes. */
  stop(): Promise<void>;
}

export const CLEARING_EMAIL = 'clearing@gridtokenx.local';

export async function createEngine(options: EngineOptions): Promise<Engine> {
  const { db, config, logger, clock } = options;
  const perMinute = config.loginsPerMinute / 60;
  const hub = new StreamHub(false, clock);
  const metrics = createMetrics();
  const keyVault = new KeyVault(config.kek);
  let settlement: SettlementWorker | null = null;
  const devnet = options.chain !== true && 'devnet' in options.chain ? options.chain.devnet : null;
  const chain =
    options.chain === true || devnet
      ? await ChainHost.start({
          db,
          vault: keyVault,
          logger,
          nowMs: clock.now(),
          engineClock: clock,
          onCommit: (e) =>
            hub.publish('blocks', 'block', {
              height: e.height,
              hash: e.hash,
              txs: e.txs.length,
              round: e.round,
              timeMs: e.timeMs,
            }),
          onDropped: (hash: string, code: string, message: string) =>
            void settlement?.dropped(hash, code, message),
          ...(devnet ? { devnet } : {}),
          ...(config.chainBlockIntervalMs === undefined
            ? {}
            : { minBlockIntervalMs: config.chainBlockIntervalMs }),
          ...(config.chainValidatorThread === undefined
            ? {}
            : { validatorThread: config.chainValidatorThread }),
          ...(config.chainValidatorNice === undefined
            ? {}
            : { validatorNice: config.chainValidatorNice }),
        })
      : null;
  const balances = chain ?? (options.chain as { balances: BalanceSource }).balances;
  const reservations = new Reservations(balances);
  if (chain) {
    settlement = new SettlementWorker(db, chain, logger, {
      onSettled: (record, outcome) => {
        if (record.kind === 'trade') {
          const p = record.payload as unknown as TradePayload;
          chain.settled(p.buyerId, buyerTotalOf(p));
          if (outcome.final)
            metrics.finalityLatency.observe((Date.now() - record.createdAt.getTime()) / 1000);
          const message = {
            tradeId: p.tradeId,
            status: outcome.final ? 'FINAL' : 'FAILED',
            height: outcome.height,
            code: outcome.code,
          };
          hub.publish(userRoom(p.buyerId), 'settlement', message);
          hub.publish(userRoom(p.sellerId), 'settlement', message);
        } else if (record.kind === 'deposit') {
          hub.publish(userRoom(String(record.payload.accountId)), 'deposit', {
            status: outcome.final ? 'FINAL' : 'FAILED',
          });
        }
      },
    });
  }
  /** A trade's buyer owes its total until the settlement is final (funds checks). */
  const owe = (buyerId: string, buyerTotalSatang: bigint) =>
    chain?.addUnsettled(buyerId, buyerTotalSatang);
  const clearing = await db.prisma.account.findUnique({ where: { email: CLEARING_EMAIL } });
  const clearingAccountId = clearing?.id ?? null;
  const markets = new ContinuousMarkets({
    db,
    clock,
    logger,
    publish: hub.publish,
    epoch: hub.epoch,
    roomSeq: (room) => hub.seq(room),
    reservations,
    onTrades: (trades) => {
      metrics.fills.inc(trades.length);
      for (const t of trades) metrics.filledWh.inc(Number(t.quantityWh));
      for (const t of trades)
        owe(t.buyerId, t.notionalSatang + t.wheelingSatang + t.buyerFeeSatang);
      // No kick: the settlement rows came through `onOutbox`, which started a pass.
    },
    onOutbox: (rows) => void settlement?.offer(rows),
    onCommand: (kind, latencyMs) => {
      metrics.commands.inc({ kind });
      metrics.ackLatency.observe({ kind }, latencyMs / 1000);
    },
  });
  const dayAhead = new DayAheadMarket({
    db,
    clock,
    logger,
    publish: hub.publish,
    reservations,
    clearingAccountId: () => {
      if (!clearingAccountId) throw new Error(`the clearing account ${CLEARING_EMAIL} is missing`);
      return clearingAccountId;
    },
    onTrades: (trades) => {
      for (const t of trades)
        if (t.buyerId !== clearingAccountId) owe(t.buyerId, t.buyerTotalSatang);
      // The auction's rows are the newest: a scan of new rows, no sweep.
      void settlement?.kickNew();
    },
  });
  const metering = new MeteringService({
    db,
    clock,
    publish: hub.publish,
    chainId: () => chain?.chainId ?? null,
  });
  const reserves = new ReserveMarket({
    db,
    clock,
    publish: hub.publish,
    params: () => markets.referenceData.params,
  });
  const emergency = new EmergencyProtocol(
    { db, markets, hub, settlement, clock, logger },
    () => clearingAccountId,
  );
  const delivery =
    chain && settlement
      ? new DeliverySettler({
          db,
          chain,
          clock,
          logger,
          publish: hub.publish,
          clearingAccountId: () => clearingAccountId,
          buyingPower: (accountId) => reservations.available(accountId),
          kick: () => void settlement?.kick(),
          onInterval: (summary) => emergency.onInterval(summary),
        })
      : null;
  const governance = new GovernanceService({
    db,
    chain,
    clock,
    logger,
    publish: hub.publish,
    markets,
    dayAhead,
    kick: () => void settlement?.kick(),
  });
  const reports = new ReportService({
    db,
    vault: keyVault,
    clock,
    chain,
    clearingAccountId: () => clearingAccountId,
  });
  const certificates = new CertificateService({
    db,
    chain,
    clock,
    logger,
    publish: hub.publish,
    kick: () => void settlement?.kick(),
  });
  if (chain && settlement) {
    registerMeteringOutbox(settlement, db, logger);
    registerDeliveryOutbox(settlement, db, chain, () => clearingAccountId);
    registerCertificateOutbox(settlement, { db, logger, publish: hub.publish });
    registerGovernanceOutbox(settlement, { db, logger, onSettled: () => void governance.sync() });
  }
  const services: EngineServices = {
    db,
    startedAt: performance.now(),
    version: config.version,
    logger,
    clock,
    sessions: new SessionStore(db),
    keyVault,
    secureCookies: config.secureCookies,
    hub,
    reservations,
    markets,
    dayAhead,
    chain,
    settlement,
    metrics,
    metering,
    delivery,
    reserves,
    emergency,
    certificates,
    governance,
    reports,
    limiters: {
      loginPerIp: new RateLimiter({ ratePerSec: perMinute, burst: config.loginsPerMinute }),
      loginPerAccount: new RateLimiter({
        ratePerSec: perMinute / 2,
        burst: Math.max(1, Math.floor(config.loginsPerMinute / 2)),
      }),
      ordersPerAccount: new RateLimiter({
        ratePerSec: config.ordersPerAccountPerSec,
        burst: config.ordersPerAccountPerSec * 2,
      }),
      ordersPerIp: new RateLimiter({
        ratePerSec: config.ordersPerIpPerSec,
        burst: config.ordersPerIpPerSec * 2,
      }),
    },
  };

  let timer: NodeJS.Timeout | null = null;
  let ticking: Promise<void> | null = null;
  const tick = async () => {
    await markets.tick();
    await dayAhead.tick();
    await delivery?.tick();
    await reserves.tick();
    await emergency.checkLinks();
  };
  const guardedTick = () => {
    if (ticking) return;
    ticking = tick()
      .catch((err: unknown) => logger.error({ err }, 'market calendar tick failed'))
      .finally(() => {
        ticking = null;
      });
  };

  return {
    services,
    async start() {
      await certificates.ensureEmissionFactor();
      await markets.start();
      await dayAhead.start();
      await settlement?.start();
      await governance.start();
      certificates.start();
      metrics.gauge(
        'gtx_open_orders',
        'Open orders in the continuous books',
        () => markets.openOrderCount,
      );
      metrics.gauge(
        'gtx_journal_depth',
        'Commands waiting for their group commit',
        () => markets.journal.depth,
      );
      metrics.gauge('gtx_stream_clients', 'Connected Socket.IO clients', () =>
        hub.connectedClients(),
      );
      if (chain) {
        metrics.gauge(
          'gtx_chain_height',
          'Committed chain height',
          () => chain.query.head().height,
        );
        metrics.gauge('gtx_chain_mempool', 'Transactions waiting in the mempool', () =>
          chain.query.mempoolSize(),
        );
        metrics.gauge(
          'gtx_chain_validators_up',
          'Validators running in-process (local mode) or linked to the follower (devnet mode)',
          () => chain.validatorsUp(),
        );
        metrics.gauge(
          'gtx_chain_index_lag_blocks',
          'Committed blocks the explorer index still lacks (after refused index writes)',
          () => chain.indexLagBlocks(),
        );
        metrics.gauge(
          'gtx_settlement_inflight',
          'Settlements submitted, not yet final',
          () => settlement?.pendingCount ?? 0,
        );
      }
      timer = setInterval(guardedTick, options.schedulerIntervalMs ?? 250);
    },
    tick,
    async stop() {
      if (timer) clearInterval(timer);
      timer = null;
      await ticking;
      await markets.journal.drain();
      await governance.stop();
      await certificates.stop();
      await settlement?.stop();
      await chain?.stop();
    },
  };
}
