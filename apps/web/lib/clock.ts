'use client';
// The engine's clock as the browser sees it. The engine may run simulated time (CLOCK=sim, many
// times faster than real time), so countdowns cannot use the browser's clock: each answer that
// carries the engine's `now` is a sample, and the rate between samples tells how fast it runs.
import { createContext, useCallback, useContext, useSyncExternalStore } from 'react';

export class EngineClock {
  private anchor: { server: number; local: number } | null = null;
  private base: { server: number; local: number } | null = null;
  private rate = 1;
  private readonly listeners = new Set<() => void>();
  private timer: ReturnType<typeof setInterval> | null = null;
  private current = 0;

  /** Records the engine's `now` from an answer requested at `sentAt` (performance.now()). */
  sample(serverMs: number, sentAt: number, receivedAt = performance.now()): void {
    const local = (sentAt + receivedAt) / 2;
    if (this.base && local - this.base.local > 1500) {
      const measured = (serverMs - this.base.server) / (local - this.base.local);
      // Real time measures 1 give or take network jitter; a simulated clock far from it.
      if (measured > 0) this.rate = Math.abs(measured - 1) < 0.05 ? 1 : measured;
    }
    if (!this.base || local - this.base.local > 60_000) this.base = { server: serverMs, local };
    this.anchor = { server: serverMs, local };
    this.tick();
  }

  get known(): boolean {
    return this.anchor !== null;
  }

  /** True when the engine runs simulated time. */
  get simulated(): boolean {
    return this.rate !== 1;
  }

  now(): number {
    if (!this.anchor) return Date.now();
    return Math.floor(this.anchor.server + (performance.now() - this.anchor.local) * this.rate);
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    if (!this.timer) {
      this.timer = setInterval(() => this.tick(), 1000);
      if (this.current === 0) queueMicrotask(() => this.tick());
    }
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0 && this.timer) {
        clearInterval(this.timer);
        this.timer = null;
      }
    };
  }

  /** The time last published to subscribers (stable between ticks, as React needs). */
  snapshot(): number {
    return this.current;
  }

  private tick(): void {
    this.current = this.now();
    for (const l of this.listeners) l();
  }
}

export const ClockContext = createContext<EngineClock | null>(null);

export function useEngineClock(): EngineClock {
  const clock = useContext(ClockContext);
  if (!clock) throw new Error('useEngineClock needs <ClockContext.Provider>');
  return clock;
}

/** The engine's current time, re-rendering once a second (0 during server rendering). */
export function useNow(): number {
  const clock = useEngineClock();
  // A stable subscribe: a new one each render would unsubscribe and resubscribe every time.
  const subscribe = useCallback((notify: () => void) => clock.subscribe(notify), [clock]);
  const snapshot = useCallback(() => clock.snapshot(), [clock]);
  return useSyncExternalStore(subscribe, snapshot, serverNow);
}

const serverNow = () => 0;
