// Locale-bound formatters for the exchange's units and times: prices in THB/kWh, energy in kWh,
// money in THB (from satang bigints), capacity in MW, instants in ICT. Built once per locale.
import { ENERGY_SCALE, MONEY_SCALE, PRICE_SCALE, capacityMw, scaled } from '../units';
import { INTERVAL_MS, MARKET_TIME_ZONE, toMs, type Instant } from '../time';

export type Locale = 'en' | 'th';

export const LOCALES: readonly Locale[] = ['en', 'th'];

/** The BCP 47 tag Intl uses: British English (24-hour clock, day first) and Thai. */
export function intlTag(locale: Locale): string {
  return locale === 'th' ? 'th-TH' : 'en-GB';
}

export interface Format {
  /** 3.50 (THB/kWh, from ticks). */
  price: (ticks: number) => string;
  /** 3.50 THB/kWh */
  priceUnit: (ticks: number) => string;
  /** +0.25 / −0.25 */
  priceChange: (ticks: number) => string;
  /** 12.5 (kWh, from Wh). */
  kwh: (wh: number | bigint) => string;
  /** 12.5 kWh */
  energy: (wh: number | bigint) => string;
  /** 20,000.00 (THB, from satang). */
  thb: (satang: bigint) => string;
  /** 20,000.00 THB */
  money: (satang: bigint) => string;
  /** +20,000.00 THB / −35.02 THB */
  moneySigned: (satang: bigint) => string;
  /** 20.0 MW (link capacity per interval). */
  mw: (capacityWh: number) => string;
  /** Power in W, shown in MW. */
  power: (w: number | bigint) => string;
  /** Frequency in mHz, shown in Hz with three decimals. */
  hz: (mhz: number) => string;
  /** Energy with its sign (imbalances): Wh shown in kWh. */
  energySigned: (wh: number | bigint) => string;
  /** Energy in MWh (certificates). */
  mwh: (wh: number | bigint) => string;
  /** Mass in grams, shown in kg or tonnes of CO₂e. */
  co2: (grams: number | bigint) => string;
  integer: (n: number) => string;
  percent: (ratio: number, digits?: number) => string;
  /** 14:15:07 */
  time: (instant: Instant) => string;
  /** 14:15 */
  hm: (instant: Instant) => string;
  /** 29 Nov */
  date: (instant: Instant) => string;
  /** Sun 29 Nov 2026 */
  dateLong: (instant: Instant) => string;
  /** 29 Nov 2026, 14:15:07 */
  dateTime: (instant: Instant) => string;
  /** 14:15–14:30 */
  interval: (startMs: number) => string;
  /** 29 Nov · 14:15–14:30 */
  intervalWithDate: (startMs: number) => string;
  /** A delivery day YYYY-MM-DD as Sun 29 Nov 2026. */
  day: (day: string) => string;
  currency: string;
  priceUnitLabel: string;
}

export function createFormat(locale: Locale): Format {
  const tag = intlTag(locale);
  const num = (min: number, max: number) =>
    new Intl.NumberFormat(tag, { minimumFractionDigits: min, maximumFractionDigits: max });
  const priceNf = num(2, 4);
  const priceChangeNf = new Intl.NumberFormat(tag, {
    minimumFractionDigits: 2,
    maximumFractionDigits: 4,
    signDisplay: 'exceptZero',
  });
  const kwhNf = num(1, 3);
  const moneyNf = num(2, 2);
  const moneySignedNf = new Intl.NumberFormat(tag, {
    minimumFractionDigits: 2,
    maximumFractionDigits: 2,
    signDisplay: 'exceptZero',
  });
  const mwNf = num(1, 3);
  const hzNf = num(3, 3);
  const kwhSignedNf = new Intl.NumberFormat(tag, {
    minimumFractionDigits: 1,
    maximumFractionDigits: 3,
    signDisplay: 'exceptZero',
  });
  const intNf = new Intl.NumberFormat(tag, { maximumFractionDigits: 0 });
  const dt = (options: Intl.DateTimeFormatOptions) =>
    new Intl.DateTimeFormat(tag, { timeZone: MARKET_TIME_ZONE, hourCycle: 'h23', ...options });
  const timeDf = dt({ hour: '2-digit', minute: '2-digit', second: '2-digit' });
  const hmDf = dt({ hour: '2-digit', minute: '2-digit' });
  const dateDf = dt({ day: 'numeric', month: 'short' });
  const dateLongDf = dt({ weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' });
  const dateTimeDf = dt({
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
  const currency = locale === 'th' ? 'บาท' : 'THB';
  const priceUnitLabel = locale === 'th' ? 'บาท/kWh' : 'THB/kWh';
  const minus = (s: string) => s.replace('-', '−');

  return {
    price: (ticks) => priceNf.format(scaled(ticks, PRICE_SCALE)),
    priceUnit: (ticks) => `${priceNf.format(scaled(ticks, PRICE_SCALE))} ${priceUnitLabel}`,
    priceChange: (ticks) => minus(priceChangeNf.format(scaled(ticks, PRICE_SCALE))),
    kwh: (wh) => kwhNf.format(scaled(wh, ENERGY_SCALE)),
    energy: (wh) => `${kwhNf.format(scaled(wh, ENERGY_SCALE))} kWh`,
    thb: (satang) => minus(moneyNf.format(scaled(satang, MONEY_SCALE))),
    money: (satang) => `${minus(moneyNf.format(scaled(satang, MONEY_SCALE)))} ${currency}`,
    moneySigned: (satang) =>
      `${minus(moneySignedNf.format(scaled(satang, MONEY_SCALE)))} ${currency}`,
    mw: (capacityWh) => `${mwNf.format(capacityMw(capacityWh))} MW`,
    power: (w) => `${mwNf.format(scaled(typeof w === 'bigint' ? w : BigInt(w), 6))} MW`,
    hz: (mhz) => `${hzNf.format(scaled(mhz, 3))} Hz`,
    energySigned: (wh) => `${minus(kwhSignedNf.format(scaled(wh, ENERGY_SCALE)))} kWh`,
    mwh: (wh) => `${mwNf.format(scaled(wh, 6))} MWh`,
    co2: (grams) => {
      const g = typeof grams === 'bigint' ? grams : BigInt(Math.trunc(grams));
      const abs = g < 0n ? -g : g;
      return abs >= 1_000_000n
        ? `${mwNf.format(scaled(g, 6))} tCO₂e`
        : `${kwhNf.format(scaled(g, 3))} kgCO₂e`;
    },
    integer: (n) => intNf.format(n),
    percent: (ratio, digits = 0) =>
      new Intl.NumberFormat(tag, {
        style: 'percent',
        maximumFractionDigits: digits,
        minimumFractionDigits: digits,
      }).format(ratio),
    time: (instant) => timeDf.format(toMs(instant)),
    hm: (instant) => hmDf.format(toMs(instant)),
    date: (instant) => dateDf.format(toMs(instant)),
    dateLong: (instant) => dateLongDf.format(toMs(instant)),
    dateTime: (instant) => dateTimeDf.format(toMs(instant)),
    interval: (startMs) => `${hmDf.format(startMs)}–${endLabel(hmDf, startMs)}`,
    intervalWithDate: (startMs) =>
      `${dateDf.format(startMs)} · ${hmDf.format(startMs)}–${endLabel(hmDf, startMs)}`,
    day: (day) => dateLongDf.format(Date.parse(`${day}T12:00:00+07:00`)),
    currency,
    priceUnitLabel,
  };
}

/** The end of an interval; the last one of a day ends at 24:00, not 00:00. */
function endLabel(hmDf: Intl.DateTimeFormat, startMs: number): string {
  const end = hmDf.format(startMs + INTERVAL_MS);
  return end === '00:00' ? '24:00' : end;
}
