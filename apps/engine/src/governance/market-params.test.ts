// Governed market parameters: names (scalars and per-link), bounds, consistency with the other
// current values, and the order rule live books apply after a change.
import { describe, expect, it } from 'vitest';
import type { ReferenceData } from '../market/reference.ts';
import { marketParamProblem, orderRuleRejection, parseMarketParam } from './market-params.ts';

const reference: ReferenceData = {
  zones: [],
  links: [{ from: 'MEA-BKK', to: 'PEA-C', capacityWh: 5_000_000, wheelingTicks: 1_500 }],
  params: {
    priceFloorTicks: 0,
    priceCapTicks: 200_000,
    tickSizeTicks: 100,
    lotSizeWh: 100,
    minQuantityWh: 100,
    maxQuantityWh: 10_000_000,
    feePpm: 500,
  },
};

describe('governed market parameters', () => {
  it('parses scalar and per-link names', () => {
    expect(parseMarketParam('price_cap_ticks')).toEqual({
      kind: 'scalar',
      name: 'price_cap_ticks',
    });
    expect(parseMarketParam('link_capacity_wh:MEA-BKK>PEA-C')).toEqual({
      kind: 'link',
      param: 'link_capacity_wh',
      from: 'MEA-BKK',
      to: 'PEA-C',
    });
    expect(parseMarketParam('wheeling_ticks:MEA-BKK')).toBeNull();
    expect(parseMarketParam('toString')).toBeNull();
  });

  it('accepts consistent values and names what is wrong with the others', () => {
    expect(marketParamProblem('price_cap_ticks', 150_000n, reference)).toBeNull();
    expect(marketParamProblem('grid_emission_factor_mg_per_kwh', 499_900n, reference)).toBeNull();
    expect(marketParamProblem('wheeling_ticks:MEA-BKK>PEA-C', 2_000n, reference)).toBeNull();
    expect(marketParamProblem('price_cap_ticks', 150_050n, reference)).toMatch(/tick size/);
    expect(marketParamProblem('price_floor_ticks', 200_000n, reference)).toMatch(/exceed/);
    expect(marketParamProblem('fee_ppm', 200_000n, reference)).toMatch(/within/);
    expect(marketParamProblem('min_quantity_wh', 150n, reference)).toMatch(/lot size/);
    expect(marketParamProblem('link_capacity_wh:PEA-C>PEA-S', 1n, reference)).toMatch(/no link/);
    expect(marketParamProblem('vat_ppm', 1n, reference)).toMatch(/unknown/);
  });

  it('refuses orders outside the governed spec with the matcher’s codes', () => {
    const spec = { ...reference.params };
    expect(orderRuleRejection(spec, { priceTicks: 200_100, quantityWh: 1_000 })).toBe(
      'MATCH_PRICE_OUT_OF_BAND',
    );
    expect(orderRuleRejection(spec, { priceTicks: 150_050 })).toBe('MATCH_PRICE_NOT_ON_TICK');
    expect(orderRuleRejection(spec, { quantityWh: 50 })).toBe('MATCH_QUANTITY_TOO_SMALL');
    expect(orderRuleRejection(spec, { quantityWh: 20_000_000 })).toBe('MATCH_QUANTITY_TOO_LARGE');
    expect(orderRuleRejection(spec, { quantityWh: 1_050 })).toBe('MATCH_QUANTITY_NOT_ON_LOT');
    expect(orderRuleRejection(spec, { priceTicks: 40_000, quantityWh: 1_000 })).toBeNull();
  });
});
