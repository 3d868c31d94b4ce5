// The order store's id table against a plain Map: every id found after many growths and rehashes,
// unknown ids (including near misses and empty or long ids) not found, records intact (RT-14);
// finished orders packed with every field intact and their slots reused (RT-13).
import { describe, expect, it } from 'vitest';
import { BUY, CANCELLED, FILLED, NONE, OPEN, OrderStore, SELL } from './orders.ts';
import type { OrderFields } from './orders.ts';

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

describe('finished orders', () => {
  it('RT-13 packs a finished order with every field intact and reuses its slot', () => {
    const store = new OrderStore();
    const a = store.add('a', 3, 2, SELL, 1, 2, true, -41_250, 80_000, 80_000, 7);
    const b = store.add('b', 4, 1, BUY, 0, 0, false, 40_000, 5_000, 5_000, 8);
    store.fill(a, 30_000);
    store.retire(a, CANCELLED);
    const keyA = store.find('a');
    expect(store.slot(keyA)).toBe(NONE);
    const f = {} as OrderFields;
    store.read(keyA, f);
    expect(f).toEqual({
      account: 3,
      zone: 2,
      side: SELL,
      type: 1,
      tif: 2,
      postOnly: true,
      status: CANCELLED,
      price: -41_250,
      quantity: 80_000,
      remaining: 50_000,
      seq: 7,
    });
    expect([store.accountOfKey(keyA), store.seqOfKey(keyA), store.idOfKey(keyA)]).toEqual([
      3,
      7,
      'a',
    ]);
    // The next order takes the freed slot; the live one keeps its own.
    const c = store.add('c', 5, 0, BUY, 0, 0, false, 100, 1_000, 1_000, 9);
    expect(c).toBe(a);
    expect([store.id(c), store.id(b), store.slot(store.find('c'))]).toEqual(['c', 'b', c]);
    store.read(store.find('b'), f);
    expect([f.status, f.price, f.remaining, f.seq]).toEqual([OPEN, 40_000, 5_000, 8]);
  });

  it('RT-13 keeps the full record of a finished order whose fields do not fit the packing', () => {
    const store = new OrderStore();
    const big = store.add('big', 1, 0, BUY, 0, 0, false, 2 ** 40, 2 ** 45, 0, 2 ** 40);
    store.retire(big, FILLED);
    expect(store.slot(store.find('big'))).toBe(big);
    const f = {} as OrderFields;
    store.read(store.find('big'), f);
    expect([f.status, f.price, f.quantity, f.remaining, f.seq]).toEqual([
      FILLED,
      2 ** 40,
      2 ** 45,
      0,
      2 ** 40,
    ]);
    // Its slot is not reused.
    expect(store.add('next', 1, 0, BUY, 0, 0, false, 1, 1, 1, 2 ** 40 + 1)).not.toBe(big);
  });
});
