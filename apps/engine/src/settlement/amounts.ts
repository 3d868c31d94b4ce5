// Money of a trade, in satang. Energy × price is exact in 1e-5 satang (1 Wh × 1 tick =
// 0.001 kWh × 0.0001 THB/kWh × 100 satang/THB); each amount is rounded half-even to whole satang
// at the settlement boundary, and the difference is kept as the trade's rounding residue. The
// arithmetic is exact integer arithmetic in BigInt (decimal.js cost more than matching an order).
import { Decimal } from 'decimal.js';

const D = Decimal.clone({ precision: 60, rounding: Decimal.ROUND_HALF_EVEN });

/** Ticks × Wh → satang, exactly. */
const SATANG_PER_WH_TICK = new D('0.00001');

export interface TradeAmounts {
  /** Paid to the seller for the energy. */
  notionalSatang: bigint;
  /** Paid by the buyer for moving energy across a link (0 in-zone). */
  wheelingSatang: bigint;
  buyerFeeSatang: bigint;
  sellerFeeSatang: bigint;
  /** What the buyer pays in all: notional + wheeling + buyer fee. */
  buyerTotalSatang: bigint;
  /** What the seller receives net: notional − seller fee. */
  sellerNetSatang: bigint;
  /** Σ exact − Σ rounded, in satang (a decimal string, exact). */
  roundingResidue: string;
}

/** p / q rounded half to even, for q > 0 (BigInt division truncates toward zero). */
function divHalfEven(p: bigint, q: bigint): bigint {
  const quo = p / q;
  const rem = p % q;
  if (rem === 0n) return quo;
  const twice = 2n * (rem < 0n ? -rem : rem);
  const away = p < 0n ? quo - 1n : quo + 1n;
  if (twice > q) return away;
  if (twice < q) return quo;
  return quo % 2n === 0n ? quo : away;
}

/** p / q rounded toward +∞, for q > 0. */
function divCeil(p: bigint, q: bigint): bigint {
  return p > 0n ? (p + q - 1n) / q : p / q;
}

/** An exact decimal string of `units` × 10^-scale: no exponent, no trailing zeros ("0.5", "-2"). */
function decimalString(units: bigint, scale: number): string {
  const neg = units < 0n;
  const digits = (neg ? -units : units).toString().padStart(scale + 1, '0');
  const whole = digits.slice(0, digits.length - scale);
  const frac = digits.slice(digits.length - scale).replace(/0+$/, '');
  if (whole === '0' && frac === '') return '0';
  return `${neg ? '-' : ''}${whole}${frac ? `.${frac}` : ''}`;
}

const isWhole = (v: number | bigint) => typeof v === 'bigint' || Number.isSafeInteger(v);

// In integers: 1 Wh × 1 tick = 10^-5 satang, and a fee (ppm) of that is 10^-11 satang.
const TICK_UNITS = 100_000n; // 10^-5 satang per satang
const PPM = 1_000_000n;

export function tradeAmounts(
  quantityWh: number | bigint,
  priceTicks: number,
  wheelingTicks: number,
  feePpm: number | bigint,
): TradeAmounts {
  if (!isWhole(quantityWh) || !isWhole(priceTicks) || !isWhole(wheelingTicks) || !isWhole(feePpm)) {
    return tradeAmountsDecimal(quantityWh, priceTicks, wheelingTicks, feePpm);
  }
  const qty = BigInt(quantityWh);
  const fee = BigInt(feePpm);
  const notionalUnits = qty * BigInt(priceTicks); // 10^-5 satang
  const wheelingUnits = qty * BigInt(wheelingTicks);
  const feeUnits = notionalUnits * fee; // 10^-11 satang
  const notionalSatang = divHalfEven(notionalUnits, TICK_UNITS);
  const wheelingSatang = divHalfEven(wheelingUnits, TICK_UNITS);
  const feeSatang = divHalfEven(feeUnits, TICK_UNITS * PPM);
  const exactSum = (notionalUnits + wheelingUnits) * PPM + 2n * feeUnits;
  const roundedSum = (notionalSatang + wheelingSatang + 2n * feeSatang) * TICK_UNITS * PPM;
  return {
    notionalSatang,
    wheelingSatang,
    buyerFeeSatang: feeSatang,
    sellerFeeSatang: feeSatang,
    buyerTotalSatang: notionalSatang + wheelingSatang + feeSatang,
    sellerNetSatang: notionalSatang - feeSatang,
    roundingResidue: decimalString(exactSum - roundedSum, 11),
  };
}

/** The most a buy order can cost: at its limit (or protection) price plus the highest wheeling. */
export function maxBuyCostSatang(
  quantityWh: number,
  priceTicks: number,
  maxWheelingTicks: number,
  feePpm: number | bigint,
): bigint {
  if (
    !isWhole(quantityWh) ||
    !isWhole(priceTicks) ||
    !isWhole(maxWheelingTicks) ||
    !isWhole(feePpm)
  ) {
    return maxBuyCostSatangDecimal(quantityWh, priceTicks, maxWheelingTicks, feePpm);
  }
  const units = BigInt(quantityWh) * BigInt(priceTicks + maxWheelingTicks) * (PPM + BigInt(feePpm));
  return divCeil(units, TICK_UNITS * PPM);
}

// The same rules in decimal.js, for inputs that are not whole numbers (never from the engine's
// integer units, kept so the functions stay total).

function toSatang(exact: Decimal): bigint {
  return BigInt(exact.toDecimalPlaces(0, D.ROUND_HALF_EVEN).toFixed(0));
}

function tradeAmountsDecimal(
  quantityWh: number | bigint,
  priceTicks: number,
  wheelingTicks: number,
  feePpm: number | bigint,
): TradeAmounts {
  const qty = new D(quantityWh.toString());
  const notionalExact = qty.mul(priceTicks).mul(SATANG_PER_WH_TICK);
  const wheelingExact = qty.mul(wheelingTicks).mul(SATANG_PER_WH_TICK);
  const feeRate = new D(feePpm.toString()).div(1_000_000);
  const feeExact = notionalExact.mul(feeRate);
  const notionalSatang = toSatang(notionalExact);
  const wheelingSatang = toSatang(wheelingExact);
  const feeSatang = toSatang(feeExact);
  const exactSum = notionalExact.add(wheelingExact).add(feeExact.mul(2));
  const roundedSum = new D((notionalSatang + wheelingSatang + 2n * feeSatang).toString());
  return {
    notionalSatang,
    wheelingSatang,
    buyerFeeSatang: feeSatang,
    sellerFeeSatang: feeSatang,
    buyerTotalSatang: notionalSatang + wheelingSatang + feeSatang,
    sellerNetSatang: notionalSatang - feeSatang,
    roundingResidue: exactSum.sub(roundedSum).toFixed(),
  };
}

function maxBuyCostSatangDecimal(
  quantityWh: number,
  priceTicks: number,
  maxWheelingTicks: number,
  feePpm: number | bigint,
): bigint {
  const qty = new D(quantityWh);
  const exact = qty
    .mul(priceTicks + maxWheelingTicks)
    .mul(SATANG_PER_WH_TICK)
    .mul(new D(1).add(new D(feePpm.toString()).div(1_000_000)));
  return BigInt(exact.toDecimalPlaces(0, D.ROUND_CEIL).toFixed(0));
}
