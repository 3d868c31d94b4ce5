// kill -9 of a whole process hosting all four validators, in simulation. Each validator's disk is a
// MemoryStore that outlives the process; a "life" wraps the disks in stores whose writes land
// after a short simulated latency and can be caught in flight by the kill (each then lands or not,
// like a PostgreSQL commit whose acknowledgement never arrived). The kill fires on a chosen store
// write — before or after it lands — so it falls between any two writes of any validators.
import { ChainNode } from '../../src/internal/node/node.ts';
import type { ChainEvent } from '../../src/internal/node/events.ts';
import { SimClock } from '../../src/internal/clock/sim-clock.ts';
import { MemoryNetwork } from '../../src/internal/transport/memory.ts';
import { MemoryStore } from '../../src/internal/store/memory-store.ts';
import type { ChainStore, StoredBlock, StoredSnapshot } from '../../src/internal/store/store.ts';
import type { GenesisConfig } from '../../src/internal/state/genesis.ts';
import type { KeyPair } from '../../src/internal/crypto/keys.ts';
import { GENESIS_TIME, VALIDATORS, testGenesis } from './fixtures.ts';

export type WriteKind = 'append' | 'snapshot' | 'sign';

/** Decides, for each write of the current life, whether the process dies there. */
export type KillPoint = (
  n: number,
  kind: WriteKind,
  validator: number,
) => 'before' | 'after' | null;

const never = <T>(): Promise<T> => new Promise<T>(() => undefined);

class LifeStore implements ChainStore {
  constructor(
    private readonly disk: MemoryStore,
    private readonly life: Life,
    private readonly validator: number,
  ) {}

  head(): Promise<{ height: number; hash: string } | null> {
    return this.life.dead ? never() : this.disk.head();
  }
  block(height: number): Promise<StoredBlock | null> {
    return this.life.dead ? never() : this.disk.block(height);
  }
  heightOf(blockHash: string): Promise<number | null> {
    return this.life.dead ? never() : this.disk.heightOf(blockHash);
  }
  txLocation(txHash: string): Promise<{ height: number; index: number } | null> {
    return this.life.dead ? never() : this.disk.txLocation(txHash);
  }
  latestSnapshot(): Promise<StoredSnapshot | null> {
    return this.life.dead ? never() : this.disk.latestSnapshot();
  }
  signState(): Promise<Uint8Array | null> {
    return this.life.dead ? never() : this.disk.signState();
  }
  append(record: StoredBlock): Promise<void> {
    return this.life.write('append', this.validator, () => this.disk.append(record));
  }
  putSnapshot(snapshot: StoredSnapshot): Promise<void> {
    return this.life.write('snapshot', this.validator, () => this.disk.putSnapshot(snapshot));
  }
  putSignState(bytes: Uint8Array): Promise<void> {
    return this.life.write('sign', this.validator, () => this.disk.putSignState(bytes));
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}

class Life {
  dead = false;
  writes = 0;
  private readonly inFlight = new Set<() => void>();

  constructor(
    private readonly clock: SimClock,
    private readonly random: () => number,
    private readonly killPoint: KillPoint,
    private readonly onKill: () => void,
  ) {}

  write(kind: WriteKind, validator: number, apply: () => Promise<void>): Promise<void> {
    if (this.dead) return never();
    const when = this.killPoint(++this.writes, kind, validator);
    if (when === 'before') {
      this.kill();
      return never();
    }
    if (when === 'after') {
      void apply();
      this.kill();
      return never();
    }
    return new Promise<void>((resolve, reject) => {
      const land = (): void => {
        this.inFlight.delete(land);
        apply().then(resolve, reject);
      };
      this.inFlight.add(land);
      this.clock.setTimer(Math.floor(this.random() * 3), () => {
        if (!this.dead && this.inFlight.has(land)) land();
      });
    });
  }

  kill(): void {
    if (this.dead) return;
    this.dead = true;
    // Writes already issued may or may not reach the disk; their callers never learn which.
    for (const land of [...this.inFlight]) {
      this.inFlight.delete(land);
      if (this.random() < 0.5) void land();
    }
    this.onKill();
  }
}

export interface Validator {
  readonly key: KeyPair;
  readonly disk: MemoryStore;
  node: ChainNode;
  readonly events: ChainEvent[];
}

/** Four validators in one "process" that can be killed as a whole and restarted from disk. */
export class KillableProcess {
  readonly clock = new SimClock(GENESIS_TIME + 1_000);
  readonly validators: Validator[];
  readonly fatal: Error[] = [];
  lives = 0;
  private life!: Life;
  private net!: MemoryNetwork;

  constructor(
    private readonly random: () => number,
    readonly genesis: GenesisConfig = testGenesis(),
    readonly keys: readonly KeyPair[] = VALIDATORS,
  ) {
    this.validators = keys.map((key) => ({
      key,
      disk: new MemoryStore(),
      node: undefined as unknown as ChainNode,
      events: [],
    }));
  }

  get dead(): boolean {
    return this.life.dead;
  }

  /** Starts a new life (first start or restart) that dies at `killPoint`. */
  async start(killPoint: KillPoint = () => null): Promise<void> {
    this.lives++;
    this.net = new MemoryNetwork({
      clock: this.clock,
      latencyMs: 2,
      jitterMs: 20,
      random: this.random,
    });
    const life = new Life(this.clock, this.random, killPoint, () => this.onKill());
    this.life = life;
    for (const [i, v] of this.validators.entries()) {
      v.node = new ChainNode({
        genesis: this.genesis,
        store: new LifeStore(v.disk, life, i),
        transport: this.net.transport(v.key.address),
        clock: this.clock,
        validatorKey: v.key.secretKey,
        onFatal: (e) => this.fatal.push(e),
        timeouts: { idleBlockMs: 2_000 },
        ...(process.env.GTX_TRACE === v.key.address.slice(0, 4)
          ? {
              trace: (ev: string, f: Record<string, unknown>) =>
                console.log('TRACE', this.lives, this.clock.now() % 100_000, ev, JSON.stringify(f)),
            }
          : {}),
      });
      v.node.subscribe((e) => v.events.push(e));
    }
    // LocalNetwork's order: each validator is started before the next.
    for (const v of this.validators) await v.node.start();
  }

  /** kill -9 now (also what a kill point does). */
  kill(): void {
    this.life.kill();
  }

  private onKill(): void {
    // Nothing of the dead process runs again: no timers, no deliveries, no further writes.
    const addresses = this.validators.map((v) => v.key.address);
    for (const a of addresses) this.net.isolate(a, addresses);
    for (const v of this.validators) void v.node.stop();
  }

  /** Splits the validators in two groups by bit mask (1–14), cutting every link between them. */
  partition(mask: number): void {
    const all = this.validators.map((v) => v.key.address);
    this.net.partition(
      all.filter((_, i) => (mask >> i) & 1),
      all.filter((_, i) => !((mask >> i) & 1)),
    );
  }

  heal(): void {
    this.net.heal();
  }

  height(i: number): number {
    return this.validators[i]!.node.headInfo().height;
  }

  /** Heights stored on each validator's disk. */
  async diskHeights(): Promise<number[]> {
    return Promise.all(this.validators.map(async (v) => (await v.disk.head())?.height ?? 0));
  }

  async run(until: () => boolean, maxMs: number): Promise<boolean> {
    return this.clock.run(() => until() || this.fatal.length > 0, maxMs);
  }

  /** Block hashes by height on validator i's disk. */
  async hashes(i: number): Promise<string[]> {
    const disk = this.validators[i]!.disk;
    const head = await disk.head();
    const out: string[] = [];
    for (let h = 1; h <= (head?.height ?? 0); h++) out.push((await disk.block(h))!.hash);
    return out;
  }
}
