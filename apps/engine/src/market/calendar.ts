// The market calendar in Asia/Bangkok (ICT, UTC+7, no daylight saving). Delivery day D runs from
// 00:00 to 24:00 ICT in 96 quarter-hours. Day-ahead gate closure: D-1 12:00 ICT. Continuous
// trading for day D opens D-1 16:00 ICT; each interval closes 5 minutes before its delivery.
export const INTERVAL_MS = 15 * 60_000;
export const INTERVALS_PER_DAY = 96;
const ICT_OFFSET_MS = 7 * 3600_000;
const DAY_MS = 24 * 3600_000;
export const CONTINUOUS_CLOSE_LEAD_MS = 5 * 60_000;

/** A delivery day as `YYYY-MM-DD` in ICT. */
export type DeliveryDay = string;

const DAY_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isDeliveryDay(value: string): boolean {
  const m = DAY_RE.exec(value);
  if (!m) return false;
  const start = dayStartMs(value);
  return Number.isFinite(start) && deliveryDayOf(start) === value;
}

/** UTC instant (ms) of 00:00 ICT on `day`. */
export function dayStartMs(day: DeliveryDay): number {
  const m = DAY_RE.exec(day);
  if (!m) return Number.NaN;
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) - ICT_OFFSET_MS;
}

/** The ICT delivery day an instant falls in. */
export function deliveryDayOf(ms: number): DeliveryDay {
  return new Date(ms + ICT_OFFSET_MS).toISOString().slice(0, 10);
}

export function addDays(day: DeliveryDay, n: number): DeliveryDay {
  return deliveryDayOf(dayStartMs(day) + n * DAY_MS);
}

/** Start (ms) of the 15-minute interval containing `ms`. */
export function intervalStartOf(ms: number): number {
  return Math.floor(ms / INTERVAL_MS) * INTERVAL_MS;
}

export function isIntervalStart(ms: number): boolean {
  return Number.isSafeInteger(ms) && ms % INTERVAL_MS === 0;
}

export function intervalsOfDay(day: DeliveryDay): number[] {
  const start = dayStartMs(day);
  return Array.from({ length: INTERVALS_PER_DAY }, (_, i) => start + i * INTERVAL_MS);
}

/** Index 0..95 of an interval within its delivery day. */
export function intervalIndex(intervalStartMs: number): number {
  return Math.round((intervalStartMs - dayStartMs(deliveryDayOf(intervalStartMs))) / INTERVAL_MS);
}

/** Day-ahead gate closure for delivery day `day`: D-1 12:00 ICT. */
export function gateClosureMs(day: DeliveryDay): number {
  return dayStartMs(day) - 12 * 3600_000;
}

/** Continuous trading for day `day` opens D-1 16:00 ICT. */
export function continuousOpenMs(day: DeliveryDay): number {
  return dayStartMs(day) - 8 * 3600_000;
}

/** Continuous trading of an interval closes 5 minutes before its delivery starts. */
export function continuousCloseMs(intervalStartMs: number): number {
  return intervalStartMs - CONTINUOUS_CLOSE_LEAD_MS;
}

/** UTC instant (ms) of 00:00 ICT on the delivery day of `ms`, in arithmetic (every order asks). */
export function dayStartOfMs(ms: number): number {
  return Math.floor((ms + ICT_OFFSET_MS) / DAY_MS) * DAY_MS - ICT_OFFSET_MS;
}

export function isContinuousOpen(intervalStartMs: number, nowMs: number): boolean {
  return (
    nowMs >= dayStartOfMs(intervalStartMs) - 8 * 3600_000 &&
    nowMs < continuousCloseMs(intervalStartMs)
  );
}

/** Every interval whose continuous market is open at `nowMs`, in delivery order. */
export function openContinuousIntervals(nowMs: number): number[] {
  const today = deliveryDayOf(nowMs);
  const days = [today, addDays(today, 1)];
  return days.flatMap((d) => intervalsOfDay(d)).filter((t) => isContinuousOpen(t, nowMs));
}

/** The next delivery day whose day-ahead gate is still open at `nowMs`. */
export function nextDayAheadDay(nowMs: number): DeliveryDay {
  let day = addDays(deliveryDayOf(nowMs), 1);
  while (gateClosureMs(day) <= nowMs) day = addDays(day, 1);
  return day;
}

export interface IntervalCalendar {
  start: number;
  end: number;
  dayAheadClosure: number;
  continuousOpen: number;
  continuousClose: number;
}

export function calendarOf(intervalStartMs: number): IntervalCalendar {
  const day = deliveryDayOf(intervalStartMs);
  return {
    start: intervalStartMs,
    end: intervalStartMs + INTERVAL_MS,
    dayAheadClosure: gateClosureMs(day),
    continuousOpen: continuousOpenMs(day),
    continuousClose: continuousCloseMs(intervalStartMs),
  };
}
