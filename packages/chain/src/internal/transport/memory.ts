// All validators in one process: a hub that delivers messages through the injected clock after a
// latency, and can cut links to simulate crashes and partitions in tests. The engine's default
// mode runs on it with the system clock and zero latency.
import type { Clock } from '../clock/clock.ts';
import type { MessageHandler, PeerMessage, Transport } from './transport.ts';

export interface MemoryNetworkOptions {
  readonly clock: Clock;
  /** Delivery delay in ms (default 1). */
  readonly latencyMs?: number;
  /** Extra random delay up to this many ms, which reorders messages (default 0). */
  readonly jitterMs?: number;
  /** Randomness for the jitter, in [0, 1) (tests pass a seeded generator). */
  readonly random?: () => number;
}

export class MemoryNetwork {
  private readonly handlers = new Map<string, MessageHandler>();
  private readonly cut = new Set<string>();
  private readonly latencyMs: number;

  constructor(private readonly options: MemoryNetworkOptions) {
    this.latencyMs = options.latencyMs ?? 1;
  }

  /** The transport of the node named `id` (its validator address). */
  transport(id: string): Transport {
    return {
      start: (handler) => {
        this.handlers.set(id, handler);
        return Promise.resolve();
      },
      send: (peer, message) => this.deliver(id, peer, message),
      broadcast: (message) => {
        for (const peer of this.handlers.keys()) if (peer !== id) this.deliver(id, peer, message);
      },
      peers: () => [...this.handlers.keys()].filter((p) => p !== id && this.linked(id, p)),
      stop: () => {
        this.handlers.delete(id);
        return Promise.resolve();
      },
    };
  }

  private linked(a: string, b: string): boolean {
    return !this.cut.has(`${a}>${b}`);
  }

  private deliver(from: string, to: string, message: PeerMessage): void {
    if (!this.linked(from, to)) return;
    const jitter = this.options.jitterMs ?? 0;
    const delay =
      this.latencyMs + (jitter > 0 ? Math.floor((this.options.random ?? (() => 0))() * jitter) : 0);
    this.options.clock.setTimer(delay, () => {
      if (!this.linked(from, to)) return;
      this.handlers.get(to)?.(from, message);
    });
  }

  /** Splits the network into groups that cannot reach each other. */
  partition(...groups: readonly (readonly string[])[]): void {
    this.heal();
    for (const g of groups) {
      for (const h of groups) {
        if (g === h) continue;
        for (const a of g) for (const b of h) this.cut.add(`${a}>${b}`);
      }
    }
  }

  /** Cuts every link to and from `id` (a crashed or unplugged node). */
  isolate(id: string, others: readonly string[]): void {
    for (const o of others) {
      if (o === id) continue;
      this.cut.add(`${id}>${o}`);
      this.cut.add(`${o}>${id}`);
    }
  }

  heal(): void {
    this.cut.clear();
  }
}
