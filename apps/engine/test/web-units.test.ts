// The order ticket shows "Most you pay (held now)" from its own copy of the reservation rule
// (apps/web/lib/units.ts: the browser cannot import the engine). It must hold exactly what the
// engine holds, and show the fee the engine charges.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maxBuyCostSatang, tradeAmounts } from '../src/settlement/amounts.ts';
import * as web from '../../web/lib/units.ts';

describe('the order ticket’s money rules equal the engine’s', () => {
  it('property: the reservation of a buy, for any lot, and the fee of a trade', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 50_000_000 }),
        fc.constantFrom(1, 7, 100, 250, 1_000),
        fc.integer({ min: -50_000, max: 400_000 }),
        fc.integer({ min: 0, max: 5_000 }),
        fc.integer({ min: 0, max: 100_000 }),
        (qty, lot, price, wheel, fee) => {
          expect(web.maxBuyCostSatang(qty, price, wheel, fee, lot)).toBe(
            maxBuyCostSatang(qty, price, wheel, fee, lot),
          );
          expect(web.maxBuyCostSatang(qty, price, wheel, fee)).toBe(
            maxBuyCostSatang(qty, price, wheel, fee),
          );
          expect(web.tradeFeeSatang(qty, price, fee)).toBe(
            tradeAmounts(qty, price, wheel, fee).buyerFeeSatang,
          );
        },
      ),
      { numRuns: 3_000 },
    );
  });
});
