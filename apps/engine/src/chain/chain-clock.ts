// The hosted validators' clock (they may run in a worker thread, so the engine's clock is
// described by a `ChainClockSpec` the thread can follow: system time, a simulated clock by its
// anchor and speed, or a manual clock's time in shared memory that the engine's thread updates).
import {
  decodeBlock,
  type Clock as ChainClock,
  type GenesisConfig,
  type ChainStore,
} from '@gridtokenx/chain';
import type { Clock } from '../clock.ts';

/** How another thread reads the engine's clock. */
export type ChainClockSpec =
  | { readonly kind: 'system' }
  | {
      readonly kind: 'sim';
      /** The engine's time at `anchorEpochMs` (real epoch ms, `performance.timeOrigin + now()`). */
      readonly anchorEngineMs: number;
      readonly anchorEpochMs: number;
      readonly speed: number;
    }
  /** A manual clock: its time (epoch ms) in a shared BigInt64Array of length 1. */
  | { readonly kind: 'manual'; readonly shared: SharedArrayBuffer };

const realEpochMs = (): number => performance.timeOrigin + performance.now();

/** The spec of `clock` for another thread, and a function that stops updating it (manual). */
export function chainClockSpec(clock: Clock): { spec: ChainClockSpec; close: () => void } {
  if (clock.kind === 'system') return { spec: { kind: 'system' }, close: () => undefined };
  if (clock.kind === 'sim') {
    return {
      spec: {
        kind: 'sim',
        anchorEngineMs: clock.now(),
        anchorEpochMs: realEpochMs(),
        speed: clock.speed,
      },
      close: () => undefined,
    };
  }
  const shared = new SharedArrayBuffer(8);
  const cell = new BigInt64Array(shared);
  Atomics.store(cell, 0, BigInt(clock.now()));
  const watchable = clock as Clock & { watch?: (fn: (ms: number) => void) => () => void };
  if (!watchable.watch) throw new Error('a manual clock for the chain thread must be watchable');
  const close = watchable.watch((ms) => Atomics.store(cell, 0, BigInt(ms)));
  return { spec: { kind: 'manual', shared }, close };
}

/** The engine's time as `spec` describes it, read in this thread. */
export function engineNowOf(spec: ChainClockSpec): () => number {
  switch (spec.kind) {
    case 'system':
      return () => Date.now();
    case 'sim':
      return () =>
        Math.floor(spec.anchorEngineMs + (realEpochMs() - spec.anchorEpochMs) * spec.speed);
    case 'manual': {
      const cell = new BigInt64Array(spec.shared);
      return () => Number(Atomics.load(cell, 0));
    }
  }
}

/**
 * The validators' clock when the engine's time is simulated: the engine's time, but never behind
 * the newest block plus the real time since it committed (a chain must not wait for a clock that
 * was set back, e.g. a simulated clock restarted earlier than its last run). Timers run in real
 * time, so consensus timeouts keep their real length at any clock speed.
 */
export class EngineChainClock implements ChainClock {
  private floorMs: number;
  private floorAtReal = performance.now();

  constructor(
    private readonly engineNow: () => number,
    lastBlockMs: number,
  ) {
    this.floorMs = lastBlockMs;
  }

  observeBlock(timeMs: number): void {
    if (timeMs >= this.floorMs) {
      this.floorMs = timeMs;
      this.floorAtReal = performance.now();
    }
  }

  now(): number {
    return Math.max(
      this.engineNow(),
      this.floorMs + Math.floor(performance.now() - this.floorAtReal),
    );
  }

  setTimer(delayMs: number, fn: () => void): () => void {
    const handle = setTimeout(fn, Math.max(0, delayMs));
    return () => clearTimeout(handle);
  }
}

/** Time of the newest stored block of any validator (genesis time when none). */
export async function lastBlockTimeMs(
  stores: readonly ChainStore[],
  genesis: GenesisConfig,
): Promise<number> {
  let latest = genesis.genesisTimeMs;
  for (const store of stores) {
    const head = await store.head();
    if (!head) continue;
    const record = await store.block(head.height);
    if (record) {
      latest = Math.max(latest, decodeBlock(genesis.chainId, record.block).header.timeMs);
    }
  }
  return latest;
}
