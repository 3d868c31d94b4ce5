// When an interval's meter data is complete: readings are accepted until the metering window
// after the interval's end closes, then the interval is settled for delivery, once. The
// watermark (the next interval to settle) lives in engine_state and orders the two.
import { INTERVAL_MS } from '../market/calendar.ts';

/** Readings for an interval are accepted until 10 minutes after it ends. */
export const METERING_WINDOW_MS = 10 * 60_000;

/** engine_state key of the delivery watermark: `{ ms }`, the next interval start to settle. */
export const WATERMARK_KEY = 'delivery.watermark';

/** The instant an interval's metering window closes (and its delivery settles). */
export function meteringClosesAt(intervalStartMs: number): number {
  return intervalStartMs + INTERVAL_MS + METERING_WINDOW_MS;
}
