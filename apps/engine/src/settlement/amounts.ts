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

/**
 * The most a buy order can cost in all, however it fills: every fill at its limit (or protection)
 * price plus the highest wheeling, the order split into fills that are each a whole number of
 * `lotWh` (default: one fill of the whole quantity), each fill's amounts rounded on their own.
 *
 * Rounding each fill half-even can cost more than the exact amount: three fills of 1 lot at
 * 41.5 satang each pay 42 + 42 + 42, not ⌈124.5⌉. The bound is additive over fills — for every
 * fill of k of the n lots, bound(n) − bound(n − k) ≥ that fill's rounded total — so an order's
 * reservation, recomputed for its remaining quantity after each fill, always covers the next one
 * (the proof is beside `componentBound`).
 */
export function maxBuyCostSatang(
  quantityWh: number,
  priceTicks: number,
  maxWheelingTicks: number,
  feePpm: number | bigint,
  lotWh: number = quantityWh,
): bigint {
  if (
    !isWhole(quantityWh) ||
    !isWhole(priceTicks) ||
    !isWhole(maxWheelingTicks) ||
    !isWhole(feePpm) ||
    !isWhole(lotWh)
  ) {
    return maxBuyCostSatangDecimal(quantityWh, priceTicks, maxWheelingTicks, feePpm);
  }
  if (quantityWh <= 0) return 0n;
  // Fills are whole multiples of the lot; a quantity off the lot still fills in multiples of
  // their greatest common divisor.
  const lot = gcd(BigInt(quantityWh), BigInt(lotWh > 0 ? lotWh : quantityWh));
  const lots = BigInt(quantityWh) / lot;
  const perLotNotional = lot * BigInt(priceTicks); // 10^-5 satang
  return (
    componentBound(perLotNotional, TICK_UNITS, lots) +
    componentBound(lot * BigInt(maxWheelingTicks), TICK_UNITS, lots) +
    componentBound(perLotNotional * BigInt(feePpm), TICK_UNITS * PPM, lots)
  );
}

function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

/**
 * An upper bound on Σ round(kᵢ·a/d) over any split of n lots into fills of kᵢ lots, each rounded
 * half-even, that is additive: bound(n) − bound(n − k) ≥ round(k·a/d) for 1 ≤ k ≤ n.
 *
 * With r = a/d and the rounding error eₖ = round(k·r) − k·r ∈ [−½, ½]: eₖ > 0 needs the fraction
 * of k·r to reach ½. If m = a mod d > 0, k·m grows without wrapping until it first reaches d/2,
 * at k₁ = ⌈d / 2m⌉ (1 when m ≥ d/2), so eₖ ≤ 0 for k < k₁ and eₖ ≤ ½ ≤ k/(2k₁) from there on.
 * So ρ = r + 1/(2k₁) has k·ρ ≥ round(k·r) for every k, and bound(n) = ⌊n·ρ⌋ is additive because
 * ⌊x + y⌋ ≥ ⌊x⌋ + ⌊y⌋ and round(k·r) is a whole number. A component that cannot be positive
 * (a ≤ 0) is bounded by 0. The excess over the exact n·r is at most n/(2k₁): nothing when a lot's
 * amount is whole, half a satang per lot when a single lot already rounds up.
 */
function componentBound(a: bigint, d: bigint, n: bigint): bigint {
  if (a <= 0n || n <= 0n) return 0n;
  const m = a % d;
  if (m === 0n) return (n * a) / d;
  const k1 = 2n * m >= d ? 1n : (d + 2n * m - 1n) / (2n * m);
  return (2n * k1 * n * a + n * d) / (2n * k1 * d);
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
  // One fill of the whole quantity: each amount rounded half up (never below half-even), a
  // component that cannot be positive bounded by 0.
  const halfUp = (d: Decimal) =>
    d.isPositive() ? BigInt(d.toDecimalPlaces(0, D.ROUND_HALF_UP).toFixed(0)) : 0n;
  const qty = new D(quantityWh);
  const notional = qty.mul(priceTicks).mul(SATANG_PER_WH_TICK);
  const wheeling = qty.mul(maxWheelingTicks).mul(SATANG_PER_WH_TICK);
  const fee = notional.mul(new D(feePpm.toString()).div(1_000_000));
  return halfUp(notional) + halfUp(wheeling) + halfUp(fee);
}
