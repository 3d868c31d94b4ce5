// Time for the engine: the system clock, a simulated clock that runs faster than real time (so
// a demo or a test can live through a whole trading day in minutes), and a manual clock for
// tests. Everything time-dependent asks a Clock; nothing else calls Date.now().
export interface Clock {
  /** Current instant, in epoch milliseconds (UTC). */
  now(): number;
  readonly kind: 'system' | 'sim' | 'manual';
  /** Real milliseconds per simulated millisecond's worth of waiting (1 for system time). */
  readonly speed: number;
}

export class SystemClock implements Clock {
  readonly kind = 'system' as const;
  readonly speed = 1;
  now(): number {
    return Date.now();
  }
}

/** Simulated time: starts at `startMs` and runs `speed` times faster than the real clock. */
export class SimClock implements Clock {
  readonly kind = 'sim' as const;
  private readonly realStart: number;

  constructor(
    private readonly startMs: number,
    readonly speed: number,
    private readonly realNow: () => number = () => performance.now(),
  ) {
    if (!(speed > 0)) throw new Error('sim clock speed must be positive');
    this.realStart = realNow();
  }

  now(): number {
    return Math.floor(this.startMs + (this.realNow() - this.realStart) * this.speed);
  }
}

/** Time that moves only when a test says so. */
export class ManualClock implements Clock {
  readonly kind = 'manual' as const;
  readonly speed = 1;
  private readonly watchers = new Set<(ms: number) => void>();
  constructor(private ms: number) {}
  now(): number {
    return this.ms;
  }
  set(ms: number): void {
    if (ms < this.ms) throw new Error('a clock never runs backwards');
    this.ms = ms;
    for (const w of this.watchers) w(ms);
  }
  /** Calls `fn` with each new time (e.g. to show it to another thread); returns the unwatch. */
  watch(fn: (ms: number) => void): () => void {
    this.watchers.add(fn);
    return () => this.watchers.delete(fn);
  }
  advance(ms: number): void {
    this.set(this.ms + ms);
  }
}
