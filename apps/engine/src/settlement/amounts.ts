// Money of a trade, in satang. Energy × price is exact in 1e-5 satang (1 Wh × 1 tick =
// 0.001 kWh × 0.0001 THB/kWh × 100 satang/THB); each amount is rounded half-even to whole satang
// at the settlement boundary, and the difference is kept as the trade's rounding residue.
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

function toSatang(exact: Decimal): bigint {
  return BigInt(exact.toDecimalPlaces(0, D.ROUND_HALF_EVEN).toFixed(0));
}

export function tradeAmounts(
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

/** The most a buy order can cost: at its limit (or protection) price plus the highest wheeling. */
export function maxBuyCostSatang(
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
