// The exchange's integer units and their exact conversion to and from what people read and type:
// energy in Wh (shown as kWh), prices in ticks of 0.0001 THB/kWh, money in satang (bigint).
// Nothing here goes through floating point: scaled integers become decimal strings for Intl.

export const TICKS_PER_THB_PER_KWH = 10_000;
/** Decimal places between each integer unit and its display unit. */
export const PRICE_SCALE = 4; // ticks → THB/kWh
export const ENERGY_SCALE = 3; // Wh → kWh
export const MONEY_SCALE = 2; // satang → THB
/** A 15-minute interval: 1 MW held for it is 250 000 Wh. */
export const WH_PER_MW_INTERVAL = 250_000;

type Decimal = `${number}`;

/** An integer (number or bigint) divided by 10^scale, as an exact decimal string. */
export function scaled(value: number | bigint, scale: number): Decimal {
  const big = typeof value === 'bigint' ? value : BigInt(Math.trunc(value));
  const negative = big < 0n;
  const digits = (negative ? -big : big).toString().padStart(scale + 1, '0');
  const whole = digits.slice(0, digits.length - scale);
  const fraction = digits.slice(digits.length - scale);
  return `${negative ? '-' : ''}${whole}${scale > 0 ? `.${fraction}` : ''}` as Decimal;
}

/**
 * Parses what a person typed ("3.5", "1,250.25") into an integer of 10^-scale units, exactly.
 * Returns null for anything that is not a plain decimal with at most `scale` decimals.
 */
export function parseScaled(text: string, scale: number): bigint | null {
  const cleaned = text.trim().replace(/[\s,_]/g, '');
  const match = /^(-)?(\d*)(?:\.(\d*))?$/.exec(cleaned);
  if (!match) return null;
  const [, sign, whole = '', fraction = ''] = match;
  if (whole === '' && fraction === '') return null;
  if (fraction.length > scale) return null;
  const value = BigInt((whole || '0') + fraction.padEnd(scale, '0'));
  return sign ? -value : value;
}

/** `parseScaled` for values that must fit a safe JS integer (ticks, Wh). */
export function parseScaledInt(text: string, scale: number): number | null {
  const value = parseScaled(text, scale);
  if (value === null) return null;
  const n = Number(value);
  return Number.isSafeInteger(n) ? n : null;
}

/** The input text for a scaled integer: no grouping, trailing zeros trimmed to `minDecimals`. */
export function toInputText(value: number | bigint, scale: number, minDecimals = 0): string {
  const text = scaled(value, scale);
  if (scale === 0) return text;
  const [whole, fraction = ''] = text.split('.');
  let trimmed = fraction.replace(/0+$/, '');
  if (trimmed.length < minDecimals) trimmed = trimmed.padEnd(minDecimals, '0');
  return trimmed ? `${whole}.${trimmed}` : (whole ?? '0');
}

/** Satang of energy × price, exactly: 1 Wh × 1 tick = 10^-5 satang; rounded half-even. */
export function notionalSatang(quantityWh: number, priceTicks: number): bigint {
  return divRoundHalfEven(BigInt(quantityWh) * BigInt(priceTicks), 100_000n);
}

/** The fee on a trade: `ppm` of its exact notional (before rounding), rounded half-even. */
export function tradeFeeSatang(quantityWh: number, priceTicks: number, ppm: number): bigint {
  return divRoundHalfEven(
    BigInt(quantityWh) * BigInt(priceTicks) * BigInt(ppm),
    100_000n * 1_000_000n,
  );
}

/**
 * What the engine reserves for a buy (apps/engine/src/settlement/amounts.ts, the same rule; a
 * test there holds the two equal): the most its fills can cost in all, every fill at the limit
 * plus the highest wheeling, each a whole number of `lotWh` (default: one fill of all of it) and
 * each rounded on its own.
 */
export function maxBuyCostSatang(
  quantityWh: number,
  priceTicks: number,
  maxWheelingTicks: number,
  feePpm: number,
  lotWh: number = quantityWh,
): bigint {
  if (quantityWh <= 0) return 0n;
  let [x, y] = [BigInt(quantityWh), BigInt(lotWh > 0 ? lotWh : quantityWh)];
  while (y !== 0n) [x, y] = [y, x % y];
  const lot = x;
  const lots = BigInt(quantityWh) / lot;
  const notional = lot * BigInt(priceTicks);
  return (
    componentBound(notional, 100_000n, lots) +
    componentBound(lot * BigInt(maxWheelingTicks), 100_000n, lots) +
    componentBound(notional * BigInt(feePpm), 100_000n * 1_000_000n, lots)
  );
}

/** ⌊n·(a/d + 1/(2k₁))⌋, k₁ the first k whose k·a/d rounds up (see the engine's amounts.ts). */
function componentBound(a: bigint, d: bigint, n: bigint): bigint {
  if (a <= 0n || n <= 0n) return 0n;
  const m = a % d;
  if (m === 0n) return (n * a) / d;
  const k1 = 2n * m >= d ? 1n : (d + 2n * m - 1n) / (2n * m);
  return (2n * k1 * n * a + n * d) / (2n * k1 * d);
}

function divRoundHalfEven(numerator: bigint, denominator: bigint): bigint {
  const negative = numerator < 0n !== denominator < 0n;
  const n = numerator < 0n ? -numerator : numerator;
  const d = denominator < 0n ? -denominator : denominator;
  let q = n / d;
  const r = n % d;
  if (r * 2n > d || (r * 2n === d && q % 2n === 1n)) q += 1n;
  return negative ? -q : q;
}

/** Link capacity per interval (Wh) as megawatts held over the interval. */
export function capacityMw(capacityWh: number): Decimal {
  return scaled(BigInt(capacityWh) * 4n, 6);
}

/** Megawatts typed with up to 3 decimals (kW precision) → Wh per interval, exactly. */
export function mwToWh(text: string): number | null {
  const milliMw = parseScaled(text, 3);
  if (milliMw === null || milliMw < 0n) return null;
  const n = Number(milliMw * 250n);
  return Number.isSafeInteger(n) ? n : null;
}
