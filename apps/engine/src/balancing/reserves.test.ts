// RES-1 pay-as-clear over offers in merit order, and GRID-F1 frequency from imbalance.
import { describe, expect, it } from 'vitest';
import { frequencyFromImbalance, frequencyState } from './frequency.ts';
import { clearReserve } from './reserves.ts';

const offer = (id: string, powerW: bigint, priceTicks: number, atMs: number) => ({
  id,
  accountId: `acct-${id}`,
  powerW,
  priceTicks,
  createdAt: new Date(atMs),
});

describe('RES-1 reserve clearing', () => {
  it('takes the cheapest offers first, the earliest among equals, the last one partly', () => {
    const cleared = clearReserve(
      [offer('c', 4_000n, 70_000, 1), offer('b', 5_000n, 50_000, 3), offer('a', 5_000n, 50_000, 2)],
      7_000n,
    )!;
    expect(cleared.awards.map((a) => [a.offer.id, a.powerW])).toEqual([
      ['a', 5_000n],
      ['b', 2_000n],
    ]);
    expect(cleared.clearingPriceTicks).toBe(50_000);
  });
  it('pays everyone the marginal price, and takes what there is when short', () => {
    const cleared = clearReserve(
      [offer('x', 1_000n, 40_000, 1), offer('y', 1_000n, 90_000, 2)],
      5_000n,
    )!;
    expect(cleared.awards.reduce((s, a) => s + a.powerW, 0n)).toBe(2_000n);
    expect(cleared.clearingPriceTicks).toBe(90_000);
    expect(clearReserve([], 1_000n)).toBeNull();
  });
});

describe('GRID-F1 frequency', () => {
  it('moves 1 Hz per MWh of imbalance in a quarter hour, within its band and saturation', () => {
    expect(frequencyFromImbalance(0n)).toBe(50_000);
    expect(frequencyFromImbalance(-600_000n)).toBe(49_400);
    expect(frequencyFromImbalance(150_000n)).toBe(50_150);
    expect(frequencyFromImbalance(-10_000_000n)).toBe(47_000);
    expect(frequencyState(50_150)).toBe('NORMAL');
    expect(frequencyState(49_700)).toBe('ALERT');
    expect(frequencyState(49_400)).toBe('EMERGENCY');
  });
});
