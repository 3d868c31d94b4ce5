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
    // One fill of the whole order at its limit: each amount rounded half up (≥ half-even), and a
    // component that cannot be positive bounded by 0.
    const halfUp = (d: BaseDecimal) =>
      d.isPositive() ? BigInt(d.toDecimalPlaces(0, R.ROUND_HALF_UP).toFixed(0)) : 0n;
    const maxCost = halfUp(notional) + halfUp(wheeling) + halfUp(feeExact);
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
    expect(maxBuyCostSatang(1, 1, 0, 0)).toBe(0n); // 0.00001 rounds to 0
    expect(maxBuyCostSatang(50_000, 1, 0, 0)).toBe(1n); // 0.5 may round up (1.5 → 2 does)
    expect(maxBuyCostSatang(1, -1, 0, 0)).toBe(0n); // -0.00001 → 0
  });

  // The reservation of a buy order is recomputed for its remaining quantity after every fill, and
  // each fill is rounded on its own: the bound must be additive over any split into lots.
  describe('the most a buy order can cost, however it fills', () => {
    const fill = (wh: number, price: number, wheel: number, fee: number) =>
      tradeAmounts(wh, price, wheel, fee).buyerTotalSatang;

    it('covers three one-lot fills that each round up (regression: seed -1178152936)', () => {
      // 100 Wh at 41 500 ticks = 41.5 satang, rounded to 42 per fill; ⌈3 × 41.5⌉ = 125 < 126.
      expect(fill(100, 41_500, 0, 0)).toBe(42n);
      expect(maxBuyCostSatang(300, 41_500, 0, 0, 100)).toBe(126n);
      // The case fast-check found: one fill of the whole order, rounding three amounts up.
      const a = tradeAmounts(594_210, 159_470, 1_718, 6);
      expect(maxBuyCostSatang(594_210, 159_470, 1_718, 6)).toBeGreaterThanOrEqual(
        a.buyerTotalSatang,
      );
    });

    it('reserves the exact amount when a lot costs whole satang', () => {
      // 100 Wh at 4.0000 THB/kWh = 40 satang a lot, no fee, no wheeling: nothing extra.
      expect(maxBuyCostSatang(10_000, 40_000, 0, 0, 100)).toBe(4_000n);
      // A 0.05 % fee is 0.02 satang a lot: it first rounds up at 25 lots, so the bound on the fee
      // is 1 satang per 25 lots (0.04 a lot), not 1 satang a lot.
      expect(maxBuyCostSatang(10_000, 40_000, 0, 500, 100)).toBe(4_004n);
    });

    // The worst case by brute force: the dearest split of n lots into fills at the limit.
    function worstSplit(n: number, lot: number, price: number, wheel: number, fee: number) {
      const best: bigint[] = [0n];
      for (let i = 1; i <= n; i++) {
        let m: bigint | null = null;
        for (let k = 1; k <= i; k++) {
          const v = fill(k * lot, price, wheel, fee) + best[i - k]!;
          if (m === null || v > m) m = v;
        }
        best.push(m!);
      }
      return best[n]!;
    }

    it('property: additive over fills, at the limit or better, and within 1½ satang a lot of exact', () => {
      fc.assert(
        fc.property(
          fc.integer({ min: 1, max: 30 }),
          fc.constantFrom(1, 7, 100, 250, 1_000, 12_345),
          fc.integer({ min: -20_000, max: 200_000 }),
          fc.integer({ min: 0, max: 5_000 }),
          fc.integer({ min: 0, max: 20_000 }),
          fc.integer({ min: 1, max: 30 }),
          fc.integer({ min: 0, max: 200_000 }),
          fc.integer({ min: 0, max: 5_000 }),
          (n, lot, price, wheel, fee, kRaw, below, wheelBelow) => {
            const bound = (lots: number) => maxBuyCostSatang(lots * lot, price, wheel, fee, lot);
            // Any fill of k of the n lots, at the limit or a better price and wheeling, is
            // covered by what the reservation gives back.
            const k = 1 + ((kRaw - 1) % n);
            const p = price - (below % 200_001);
            const w = wheel - (wheelBelow % (wheel + 1));
            expect(bound(n) - bound(n - k)).toBeGreaterThanOrEqual(fill(k * lot, p, w, fee));
            // So it covers the dearest split of all…
            if (n <= 12)
              expect(bound(n)).toBeGreaterThanOrEqual(worstSplit(n, lot, price, wheel, fee));
            // …and asks for little more than the exact amount.
            const exact = new Decimal(n * lot)
              .mul(Math.max(price, 0))
              .mul(1 + fee / 1_000_000)
              .add(new Decimal(n * lot).mul(wheel))
              .div(100_000);
            expect(new Decimal(bound(n).toString()).lte(exact.add(1.5 * n))).toBe(true);
          },
        ),
        { numRuns: 2_000 },
      );
    });
  });
});
