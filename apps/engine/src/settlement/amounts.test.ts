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

  // Differential: the integer implementation against the rules written in decimal.js.
  const R = BaseDecimal.clone({ precision: 80, rounding: BaseDecimal.ROUND_HALF_EVEN });
  function reference(qty: bigint, price: number, wheel: number, fee: number) {
    const toSatang = (d: BaseDecimal) => BigInt(d.toDecimalPlaces(0, R.ROUND_HALF_EVEN).toFixed(0));
    const notional = new R(qty.toString()).mul(price).mul('0.00001');
    const wheeling = new R(qty.toString()).mul(wheel).mul('0.00001');
    const feeExact = notional.mul(new R(fee).div(1_000_000));
    const n = toSatang(notional);
    const w = toSatang(wheeling);
    const f = toSatang(feeExact);
    const residue = notional
      .add(wheeling)
      .add(feeExact.mul(2))
      .sub(new R((n + w + 2n * f).toString()))
      .toFixed();
    const maxCost = BigInt(
      new R(qty.toString())
        .mul(price + wheel)
        .mul('0.00001')
        .mul(new R(1).add(new R(fee).div(1_000_000)))
        .toDecimalPlaces(0, R.ROUND_CEIL)
        .toFixed(0),
    );
    return { n, w, f, residue, maxCost };
  }

  it('property: integer arithmetic equals the decimal rules, digit for digit', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.bigInt({ min: 0n, max: 20_000_000n }),
          fc.bigInt({ min: 0n, max: 10n ** 15n }),
          fc.constantFrom(0n, 1n, 5n, 50_000n, 150_000n, 250_000n),
        ),
        fc.integer({ min: -50_000, max: 400_000 }),
        fc.integer({ min: -5_000, max: 5_000 }),
        fc.integer({ min: 0, max: 1_000_000 }),
        (qty, price, wheel, fee) => {
          const want = reference(qty, price, wheel, fee);
          const got = tradeAmounts(qty, price, wheel, fee);
          expect(got.notionalSatang).toBe(want.n);
          expect(got.wheelingSatang).toBe(want.w);
          expect(got.buyerFeeSatang).toBe(want.f);
          expect(got.sellerFeeSatang).toBe(want.f);
          expect(got.roundingResidue).toBe(want.residue);
          if (qty <= BigInt(Number.MAX_SAFE_INTEGER)) {
            expect(maxBuyCostSatang(Number(qty), price, wheel, fee)).toBe(want.maxCost);
          }
        },
      ),
      { numRuns: 3_000 },
    );
  });

  it('rounds exact halves to even, up and down, in both signs', () => {
    expect(tradeAmounts(50_000, 1, 0, 0).notionalSatang).toBe(0n); // 0.5 → 0
    expect(tradeAmounts(150_000, 1, 0, 0).notionalSatang).toBe(2n); // 1.5 → 2
    expect(tradeAmounts(250_000, 1, 0, 0).notionalSatang).toBe(2n); // 2.5 → 2
    expect(tradeAmounts(150_000, -1, 0, 0).notionalSatang).toBe(-2n); // -1.5 → -2
    expect(tradeAmounts(250_000, -1, 0, 0).notionalSatang).toBe(-2n); // -2.5 → -2
    expect(tradeAmounts(250_000, -1, 0, 0).roundingResidue).toBe('-0.5');
    expect(maxBuyCostSatang(1, 1, 0, 0)).toBe(1n); // 0.00001 → 1
    expect(maxBuyCostSatang(1, -1, 0, 0)).toBe(0n); // -0.00001 → 0
  });
});
