// Times are UTC instants inside the system and shown in Asia/Bangkok (ICT, UTC+7, no daylight
// saving). These helpers mirror the engine's market calendar so pages can label and group
// intervals; the engine stays the authority on what is open.
export const MARKET_TIME_ZONE = 'Asia/Bangkok';
export const INTERVAL_MS = 15 * 60_000;
export const INTERVALS_PER_DAY = 96;
const ICT_OFFSET_MS = 7 * 3600_000;
const DAY_MS = 24 * 3600_000;
/** Continuous trading of an interval closes this long before delivery starts. */
export const CONTINUOUS_CLOSE_LEAD_MS = 5 * 60_000;

export type Instant = Date | string | number;

export function toMs(instant: Instant): number {
  return instant instanceof Date
    ? instant.getTime()
    : typeof instant === 'number'
      ? instant
      : Date.parse(instant);
}

/** The ICT delivery day (YYYY-MM-DD) an instant falls in. */
export function deliveryDayOf(ms: number): string {
  return new Date(ms + ICT_OFFSET_MS).toISOString().slice(0, 10);
}

/** UTC instant (ms) of 00:00 ICT on `day`. */
export function dayStartMs(day: string): number {
  const [y, m, d] = day.split('-').map(Number);
  return Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1) - ICT_OFFSET_MS;
}

export function addDays(day: string, n: number): string {
  return deliveryDayOf(dayStartMs(day) + n * DAY_MS);
}

export function intervalsOfDay(day: string): number[] {
  const start = dayStartMs(day);
  return Array.from({ length: INTERVALS_PER_DAY }, (_, i) => start + i * INTERVAL_MS);
}

/** Index 0..95 of an interval within its delivery day. */
export function intervalIndex(intervalStartMs: number): number {
  return Math.round((intervalStartMs - dayStartMs(deliveryDayOf(intervalStartMs))) / INTERVAL_MS);
}

export function continuousCloseMs(intervalStartMs: number): number {
  return intervalStartMs - CONTINUOUS_CLOSE_LEAD_MS;
}

/** "03:15" for an interval index, without any locale (used in compact grids and ids). */
export function clockOfIndex(index: number): string {
  const minutes = index * 15;
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

export function formatDuration(totalSeconds: number): string {
  const s = Math.max(0, Math.floor(totalSeconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  return h > 0 ? `${h}h ${m}m ${sec}s` : m > 0 ? `${m}m ${sec}s` : `${sec}s`;
}

/** "mm:ss" or "h:mm:ss" for a countdown. */
export function formatCountdown(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}
