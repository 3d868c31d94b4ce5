import { Decimal as BaseDecimal } from 'decimal.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maxBuyCostSatang, tradeAmounts } from './amounts.ts';

// The reference needs more than decimal.js's default 20 significant digits.
const Decimal = BaseDecimal.clone({ precision: 60 });

describe('trade amounts', () => {
  it('prices 1 kWh at 4.0000 THB/kWh as 400 satang', () => {
    const a = tradeAmounts(1000, 40_000, 0, 0);
    expect(a.notionalSatang).toBe(400n);
    expect(a.roundingResidue).toBe('0');
  });

  it('rounds half to even and keeps the residue', () => {
    // 5 Wh × 1 tick = 0.00005 satang → 0; 50 000 Wh × 1 tick = 0.5 satang → 0 (even)
    expect(tradeAmounts(50_000, 1, 0, 0).notionalSatang).toBe(0n);
    expect(tradeAmounts(150_000, 1, 0, 0).notionalSatang).toBe(2n); // 1.5 → 2
    expect(tradeAmounts(50_000, 1, 0, 0).roundingResidue).toBe('0.5');
  });

  it('charges wheeling and fees to the right sides', () => {
    const a = tradeAmounts(2_000, 35_000, 1_500, 500); // 2 kWh at 3.5 THB + 0.15 THB wheeling
    expect(a.notionalSatang).toBe(700n);
    expect(a.wheelingSatang).toBe(30n);
    expect(a.buyerFeeSatang).toBe(0n); // 0.35 satang → 0
    expect(a.buyerTotalSatang).toBe(730n);
    expect(a.sellerNetSatang).toBe(700n);
  });

  it('keeps the residue exact for a large trade with a tiny fee (regression: seed -1144991207)', () => {
    const a = tradeAmounts(5_770_853, 58_813, 12, 4);
    const notional = new Decimal(5_770_853).mul(58_813).div(100_000);
    const exact = notional
      .add(new Decimal(5_770_853).mul(12).div(100_000))
      .add(notional.mul(4).div(1_000_000).mul(2));
    const rounded = new Decimal(
      (a.notionalSatang + a.wheelingSatang + a.buyerFeeSatang + a.sellerFeeSatang).toString(),
    );
    expect(rounded.add(a.roundingResidue).equals(exact)).toBe(true);
  });

  it('property: exact value = rounded amounts + residue, and |residue| ≤ 2 satang', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000_000 }),
        fc.integer({ min: 0, max: 200_000 }),
        fc.integer({ min: 0, max: 5_000 }),
        fc.integer({ min: 0, max: 10_000 }),
        (qty, price, wheel, fee) => {
          const a = tradeAmounts(qty, price, wheel, fee);
          const notional = new Decimal(qty).mul(price).div(100_000);
          const exact = notional
            .add(new Decimal(qty).mul(wheel).div(100_000))
            .add(notional.mul(fee).div(1_000_000).mul(2));
          const rounded = new Decimal(
            (a.notionalSatang + a.wheelingSatang + a.buyerFeeSatang + a.sellerFeeSatang).toString(),
          );
          expect(rounded.add(a.roundingResidue).equals(exact)).toBe(true);
          expect(new Decimal(a.roundingResidue).abs().lte(2)).toBe(true);
          expect(maxBuyCostSatang(qty, price, wheel, fee) >= a.buyerTotalSatang).toBe(true);
        },
      ),
    );
  });
});
