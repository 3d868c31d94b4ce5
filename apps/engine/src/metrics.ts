// Prometheus metrics at /metrics: order flow and latency, journal and outbox depth, chain height
// and finality latency, stream clients. Counters are updated by the services; gauges are read
// when scraped.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface EngineMetrics {
  registry: Registry;
  commands: Counter<'kind'>;
  fills: Counter;
  filledWh: Counter;
  ackLatency: Histogram<'kind'>;
  finalityLatency: Histogram;
  /** Registers a gauge whose value is read at scrape time. */
  gauge(name: string, help: string, read: () => number): void;
}

export function createMetrics(): EngineMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'gtx_' });
  return {
    registry,
    commands: new Counter({
      name: 'gtx_market_commands_total',
      help: 'Continuous-market commands acknowledged, by kind',
      labelNames: ['kind'],
      registers: [registry],
    }),
    fills: new Counter({ name: 'gtx_fills_total', help: 'Trades printed', registers: [registry] }),
    filledWh: new Counter({
      name: 'gtx_filled_wh_total',
      help: 'Energy traded, Wh',
      registers: [registry],
    }),
    ackLatency: new Histogram({
      name: 'gtx_order_ack_seconds',
      help: 'From an order command arriving to its durable acknowledgement',
      labelNames: ['kind'],
      buckets: [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    finalityLatency: new Histogram({
      name: 'gtx_settlement_finality_seconds',
      help: 'From a trade to its settlement being final on chain',
      buckets: [0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60],
      registers: [registry],
    }),
    gauge(name, help, read) {
      new Gauge({
        name,
        help,
        registers: [registry],
        collect() {
          this.set(read());
        },
      });
    },
  };
}
