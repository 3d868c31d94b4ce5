// The distribution utilities' time-of-use tariff for small customers (MEA/PEA TOU rate, energy
// charge only: no Ft, service charge or VAT). It prices the withdrawal a participant's energy
// tokens did not cover, and anchors the simulator's price level.
import { deliveryDayOf } from '../market/calendar.ts';

const ICT_OFFSET_MS = 7 * 3600_000;

/** On-peak energy charge: 5.1135 THB/kWh, in ticks of 0.0001 THB/kWh. */
export const TOU_ON_PEAK_TICKS = 51_135;
/** Off-peak energy charge: 2.6037 THB/kWh. */
export const TOU_OFF_PEAK_TICKS = 26_037;

/** On-peak is Monday to Friday, 09:00–22:00 ICT; nights and weekends are off-peak. */
export function isOnPeak(ms: number): boolean {
  const local = new Date(ms + ICT_OFFSET_MS);
  const weekday = local.getUTCDay();
  if (weekday === 0 || weekday === 6) return false;
  const hour = local.getUTCHours();
  return hour >= 9 && hour < 22;
}

/** The tariff in force at an instant, ticks per kWh. */
export function tariffTicksAt(ms: number): number {
  return isOnPeak(ms) ? TOU_ON_PEAK_TICKS : TOU_OFF_PEAK_TICKS;
}

/** ICT hour (0–23) and the delivery day of an instant, for profiles keyed by local time. */
export function ictHourOf(ms: number): { day: string; hour: number; minute: number } {
  const local = new Date(ms + ICT_OFFSET_MS);
  return { day: deliveryDayOf(ms), hour: local.getUTCHours(), minute: local.getUTCMinutes() };
}
