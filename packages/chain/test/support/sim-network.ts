// Four validators in one process on a simulated clock and in-memory network, with helpers to
// crash, restart, isolate and partition them. Used by the scenario-named consensus tests.
import { ChainNode } from '../../src/internal/node/node.ts';
import type { ChainEvent } from '../../src/internal/node/events.ts';
import { SimClock } from '../../src/internal/clock/sim-clock.ts';
import { MemoryNetwork } from '../../src/internal/transport/memory.ts';
import type { Transport } from '../../src/internal/transport/transport.ts';
import { MemoryStore } from '../../src/internal/store/memory-store.ts';
import type { GenesisConfig } from '../../src/internal/state/genesis.ts';
import type { KeyPair } from '../../src/internal/crypto/keys.ts';
import type { ConsensusTimeouts } from '../../src/internal/consensus/tendermint.ts';
import { GENESIS_TIME, VALIDATORS, testGenesis } from './fixtures.ts';

export interface SimNode {
  readonly key: KeyPair;
  readonly store: MemoryStore;
  node: ChainNode;
  readonly events: ChainEvent[];
}

export class SimNet {
  readonly clock = new SimClock(GENESIS_TIME + 1_000);
  readonly net: MemoryNetwork;
  readonly nodes: SimNode[];
  readonly fatal: Error[] = [];

  constructor(
    readonly genesis: GenesisConfig = testGenesis(),
    readonly keys: readonly KeyPair[] = VALIDATORS,
    private readonly wrap: (key: KeyPair, t: Transport) => Transport = (_k, t) => t,
    network: { jitterMs?: number; random?: () => number } = {},
    private readonly timeouts: Partial<ConsensusTimeouts> = {},
  ) {
    this.net = new MemoryNetwork({ clock: this.clock, latencyMs: 5, ...network });
    this.nodes = keys.map((key) => {
      const store = new MemoryStore();
      return { key, store, node: this.makeNode(key, store), events: [] };
    });
  }

  private makeNode(key: KeyPair, store: MemoryStore): ChainNode {
    return new ChainNode({
      genesis: this.genesis,
      store,
      transport: this.wrap(key, this.net.transport(key.address)),
      clock: this.clock,
      validatorKey: key.secretKey,
      onFatal: (e) => this.fatal.push(e),
      timeouts: { idleBlockMs: 2_000, ...this.timeouts },
      ...(process.env.GTX_TRACE === key.address.slice(0, 4)
        ? {
            trace: (ev: string, f: Record<string, unknown>) =>
              console.log('TRACE', this.clock.now() % 100_000, ev, JSON.stringify(f)),
          }
        : {}),
    });
  }

  async start(): Promise<void> {
    for (const n of this.nodes) {
      n.node.subscribe((e) => n.events.push(e));
      await n.node.start();
    }
  }

  async stopAll(): Promise<void> {
    for (const n of this.nodes) await n.node.stop();
  }

  height(i: number): number {
    return this.nodes[i]!.node.headInfo().height;
  }

  /** Crash: the node object is dropped; its store survives like a disk. */
  async crash(i: number): Promise<void> {
    const n = this.nodes[i]!;
    await n.node.stop();
    this.net.isolate(
      n.key.address,
      this.keys.map((k) => k.address),
    );
  }

  async restart(i: number): Promise<void> {
    const n = this.nodes[i]!;
    this.net.heal();
    n.node = this.makeNode(n.key, n.store);
    n.node.subscribe((e) => n.events.push(e));
    await n.node.start();
  }

  async runUntil(cond: () => boolean, maxMs: number): Promise<boolean> {
    return this.clock.run(() => cond() || this.fatal.length > 0, maxMs);
  }

  /** Block hashes by height as seen by node i. */
  async hashes(i: number): Promise<string[]> {
    const n = this.nodes[i]!;
    const head = await n.store.head();
    const out: string[] = [];
    for (let h = 1; h <= (head?.height ?? 0); h++) out.push((await n.store.block(h))!.hash);
    return out;
  }
}
