// The imbalance price of a zone and interval (DEL-2), derived from the markets: the volume-
// weighted price of the interval's real-time trades touching the zone; without any, the zone's
// day-ahead price when the auction traded there; without that, the utility's tariff. When the
// grid operator activated upward reserve in the zone for the hour, shortfalls cost at least the
// reserve's pay-as-clear price. Pure: no I/O.
import { Decimal } from 'decimal.js';

const D = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_EVEN });

export type PriceBasis = 'rt-vwap' | 'day-ahead' | 'tariff' | 'reserve-up';

export interface PriceInputs {
  /** Continuous trades of the interval touching the zone. */
  rtTrades: readonly { priceTicks: number; quantityWh: bigint }[];
  /** The zone's day-ahead result for the interval, if the auction traded there. */
  dayAhead: { priceTicks: number; volumeWh: bigint } | null;
  /** The highest pay-as-clear price of upward reserve activated in the zone for the hour. */
  reserveUpTicks: number | null;
  tariffTicks: number;
}

export function imbalancePrice(p: PriceInputs): { priceTicks: number; basis: PriceBasis } {
  let priceTicks: number;
  let basis: PriceBasis;
  const volume = p.rtTrades.reduce((s, t) => s + t.quantityWh, 0n);
  if (volume > 0n) {
    const value = p.rtTrades.reduce(
      (s, t) => s.add(new D(t.priceTicks).mul(t.quantityWh.toString())),
      new D(0),
    );
    priceTicks = value.div(volume.toString()).toDecimalPlaces(0, D.ROUND_HALF_EVEN).toNumber();
    basis = 'rt-vwap';
  } else if (p.dayAhead && p.dayAhead.volumeWh > 0n) {
    priceTicks = p.dayAhead.priceTicks;
    basis = 'day-ahead';
  } else {
    priceTicks = p.tariffTicks;
    basis = 'tariff';
  }
  if (p.reserveUpTicks !== null && p.reserveUpTicks > priceTicks) {
    return { priceTicks: p.reserveUpTicks, basis: 'reserve-up' };
  }
  return { priceTicks, basis };
}
