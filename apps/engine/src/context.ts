// What every request and stream handler can reach: the engine's long-lived services, and per
// request who is calling and from where. Services are built once (engine.ts); tests build their
// own around a database of their own.
import type { KeyVault } from './auth/keys.ts';
import type { ChainHost } from './chain/host.ts';
import type { EngineMetrics } from './metrics.ts';
import type { SettlementWorker } from './settlement/worker.ts';
import type { RateLimiter } from './auth/rate-limit.ts';
import type { SessionStore, SessionUser } from './auth/sessions.ts';
import type { Clock } from './clock.ts';
import type { Database } from './db/index.ts';
import type { Logger } from './log.ts';
import type { ContinuousMarkets } from './market/continuous.ts';
import type { DayAheadMarket } from './market/day-ahead.ts';
import type { Reservations } from './market/funds.ts';
import type { StreamHub } from './streams/hub.ts';
import type { MeteringService } from './metering/service.ts';
import type { DeliverySettler } from './delivery/settle.ts';
import type { ReserveMarket } from './balancing/reserves.ts';
import type { EmergencyProtocol } from './balancing/emergency.ts';
import type { CertificateService } from './certificates/service.ts';
import type { GovernanceService } from './governance/service.ts';
import type { ReportService } from './reports/service.ts';

export interface Limiters {
  loginPerIp: RateLimiter;
  loginPerAccount: RateLimiter;
  ordersPerAccount: RateLimiter;
  ordersPerIp: RateLimiter;
}

export interface EngineServices {
  readonly db: Database;
  /** performance.now() at start-up, for uptime. */
  readonly startedAt: number;
  readonly version: string;
  readonly logger: Logger;
  readonly clock: Clock;
  readonly sessions: SessionStore;
  readonly keyVault: KeyVault;
  readonly limiters: Limiters;
  /** Mark session cookies Secure (behind TLS). */
  readonly secureCookies: boolean;
  readonly hub: StreamHub;
  readonly reservations: Reservations;
  readonly markets: ContinuousMarkets;
  readonly dayAhead: DayAheadMarket;
  /** The embedded chain (null in market-only tests). */
  readonly chain: ChainHost | null;
  readonly settlement: SettlementWorker | null;
  readonly metrics: EngineMetrics;
  /** Meter registry and reading intake. */
  readonly metering: MeteringService;
  /** Delivery and imbalance settlement after each metering window (null without a chain). */
  readonly delivery: DeliverySettler | null;
  /** Balancing reserve offers and the operator's activations. */
  readonly reserves: ReserveMarket;
  /** The engine's own emergency halts (frequency excursion, link overload). */
  readonly emergency: EmergencyProtocol;
  /** Renewable energy certificates and the carbon they stand for. */
  readonly certificates: CertificateService;
  /** Proposals and votes of the grid authorities; executed market changes applied here. */
  readonly governance: GovernanceService;
  /** The regulator's signed daily reports. */
  readonly reports: ReportService;
}

export interface RequestContext {
  readonly services: EngineServices;
  readonly requestId: string;
  readonly ip: string | null;
  readonly userAgent: string | null;
  readonly user: SessionUser | null;
  /** Adds a Set-Cookie header to the response (no-op for in-process callers). */
  readonly setCookie: (cookie: string) => void;
}
