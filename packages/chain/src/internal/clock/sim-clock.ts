// A simulated clock for deterministic tests: timers run in (time, insertion) order, and between
// two timers every pending promise job is allowed to settle, so async stores and handlers finish
// before simulated time moves on. A whole consensus scenario runs in milliseconds of real time.
import type { Clock } from './clock.ts';

interface Timer {
  readonly at: number;
  readonly seq: number;
  readonly fn: () => void;
  cancelled: boolean;
}

const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export class SimClock implements Clock {
  private time: number;
  private seq = 0;
  private queue: Timer[] = [];

  constructor(startMs = 1_767_225_600_000) {
    this.time = startMs;
  }

  now(): number {
    return this.time;
  }

  setTimer(delayMs: number, fn: () => void): () => void {
    const timer: Timer = {
      at: this.time + Math.max(0, delayMs),
      seq: this.seq++,
      fn,
      cancelled: false,
    };
    this.insert(timer);
    return () => {
      timer.cancelled = true;
    };
  }

  private insert(timer: Timer): void {
    let lo = 0;
    let hi = this.queue.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const m = this.queue[mid]!;
      if (m.at < timer.at || (m.at === timer.at && m.seq < timer.seq)) lo = mid + 1;
      else hi = mid;
    }
    this.queue.splice(lo, 0, timer);
  }

  /** Lets pending promise jobs (store writes, queued handlers) run to completion. */
  async settle(): Promise<void> {
    for (let i = 0; i < 3; i++) await settle();
  }

  /**
   * Runs timers until `until()` holds or `maxMs` of simulated time passes. Returns whether the
   * condition was met.
   */
  async run(until: () => boolean, maxMs: number): Promise<boolean> {
    const deadline = this.time + maxMs;
    await this.settle();
    while (!until()) {
      const next = this.queue[0];
      if (next === undefined || next.at > deadline) {
        this.time = Math.max(this.time, deadline);
        return until();
      }
      this.queue.shift();
      if (next.cancelled) continue;
      this.time = Math.max(this.time, next.at);
      next.fn();
      await this.settle();
    }
    return true;
  }

  /** Advances simulated time by `ms`, running every timer due meanwhile. */
  async advance(ms: number): Promise<void> {
    await this.run(() => false, ms);
  }
}
