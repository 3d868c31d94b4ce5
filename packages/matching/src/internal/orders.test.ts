// The order store's id table against a plain Map: every id found after many growths and rehashes,
// unknown ids (including near misses and empty or long ids) not found, records intact (RT-14).
import { describe, expect, it } from 'vitest';
import { BUY, CANCELLED, FILLED, NONE, OPEN, OrderStore, SELL } from './orders.ts';

describe('order store', () => {
  it('RT-14 finds every accepted id across growth and never invents one', () => {
    const store = new OrderStore();
    const reference = new Map<string, number>();
    const ids: string[] = [];
    for (let i = 0; i < 50_000; i++) {
      // Sequential, UUID-like and short ids, so similar keys collide in the low bits.
      const id = i % 3 === 0 ? `O${i}` : i % 3 === 1 ? `${i.toString(16)}-ab-${i % 97}` : `${i}`;
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
    for (const missing of ['', 'O', 'O-1', 'O50000', '50000', 'x'.repeat(300), 'O1 ']) {
      expect(store.find(missing)).toBe(NONE);
    }
    const h = reference.get('O3')!;
    expect(store.id(h)).toBe('O3');
    expect([store.account(h), store.zone(h), store.side(h), store.price(h)]).toEqual([
      3,
      3,
      SELL,
      3,
    ]);
    expect(store.status(h)).toBe(OPEN);
    store.fill(h, 400);
    store.setStatus(h, FILLED);
    store.setStatus(h, CANCELLED);
    expect([store.remaining(h), store.filled(h), store.quantity(h)]).toEqual([603, 400, 1_003]);
    expect(store.status(h)).toBe(CANCELLED);
    expect(store.side(h)).toBe(SELL);
  });
});
