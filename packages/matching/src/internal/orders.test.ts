// The order store's id table against a plain Map: every id found after many growths and rehashes,
// unknown ids (including near misses and empty or long ids) not found, records intact (RT-14).
import { describe, expect, it } from 'vitest';
import { BUY, CANCELLED, FILLED, NONE, OPEN, OrderStore, SELL } from './orders.ts';

describe('order store', () => {
  it('RT-14 finds every accepted id across growth and never invents one', () => {
    const store = new OrderStore();
    const reference = new Map<string, number>();
    const ids: string[] = [];
    const letters = (n: number): string =>
      n < 26 ? String.fromCharCode(97 + n) : letters(Math.floor(n / 26) - 1) + letters(n % 26);
    const kinds = [
      (i: number) => `O${i}`, // the engine's ids: a prefix and a counter
      (i: number) => `${i}`,
      (i: number) => `${i.toString(16)}-ab-${i % 97}`,
      (i: number) => letters(i), // no digits at all: every hash ends in 0000
      (i: number) => `o${String(i).padStart(8, '0')}`, // leading zeros: o00000001 vs O1
      (i: number) => `x${i}`.repeat(3) + '1'.repeat(20), // a 20-digit counter, beyond 2^30
    ];
    for (let i = 0; i < 60_000; i++) {
      const id = kinds[i % kinds.length]!(i);
      ids.push(id);
      expect(store.find(id)).toBe(NONE);
      const h = store.add(
        id,
        i % 7,
        i % 5,
        i % 2 === 0 ? BUY : SELL,
        0,
        0,
        false,
        i,
        1_000 + i,
        1_000 + i,
        i + 1,
      );
      reference.set(id, h);
    }
    for (const id of ids) expect(store.find(id)).toBe(reference.get(id));
    for (const missing of [
      '',
      'O',
      'O-1',
      'O60000',
      '60000',
      'o1',
      'O01',
      'x'.repeat(300),
      'O1 ',
    ]) {
      expect(store.find(missing)).toBe(NONE);
    }
    const h = reference.get('O6')!;
    expect(store.id(h)).toBe('O6');
    expect([store.account(h), store.zone(h), store.side(h), store.price(h)]).toEqual([
      6,
      1,
      BUY,
      6,
    ]);
    expect(store.status(h)).toBe(OPEN);
    store.fill(h, 400);
    store.setStatus(h, FILLED);
    store.setStatus(h, CANCELLED);
    expect([store.remaining(h), store.filled(h), store.quantity(h)]).toEqual([606, 400, 1_006]);
    expect(store.status(h)).toBe(CANCELLED);
    expect(store.side(h)).toBe(BUY);
  });
});
