// Time as an input. The consensus core asks this interface for "now" and for timers and never
// touches Date.now or setTimeout itself, so tests drive it with a simulated clock (CONS-11).

export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
  /** Runs `fn` after `delayMs`; returns a function that cancels it. */
  setTimer(delayMs: number, fn: () => void): () => void;
}

/** The real clock, for hosts running in real time. */
export function systemClock(): Clock {
  return {
    now: () => Date.now(),
    setTimer: (delayMs, fn) => {
      const handle = setTimeout(fn, Math.max(0, delayMs));
      return () => clearTimeout(handle);
    },
  };
}
