// Price levels of one side of one zone's book. A level is a handle into typed-array columns
// (price, total, count, FIFO head and tail of order handles), recycled through a free list; each
// side keeps its level handles sorted worst first, best last, so the best level is the last slot
// and taking it is a pop. No per-level or per-order JS objects: nothing for the GC to trace.
import { MatchingError } from '../errors.ts';
import { NONE } from './orders.ts';
import type { OrderStore } from './orders.ts';

export class LevelPool {
  price: Float64Array = new Float64Array(64);
  /** Sum of the remaining quantities of the level's orders. */
  total: Float64Array = new Float64Array(64);
  count: Int32Array = new Int32Array(64);
  head: Int32Array = new Int32Array(64);
  tail: Int32Array = new Int32Array(64);
  private used = 0;
  private readonly free: number[] = [];

  alloc(price: number): number {
    let l = this.free.pop();
    if (l === undefined) {
      l = this.used++;
      if (l === this.price.length) this.grow();
    }
    this.price[l] = price;
    this.total[l] = 0;
    this.count[l] = 0;
    this.head[l] = NONE;
    this.tail[l] = NONE;
    return l;
  }

  release(level: number): void {
    this.free.push(level);
  }

  private grow(): void {
    const n = 2 * this.price.length;
    const f64 = (a: Float64Array): Float64Array => {
      const b = new Float64Array(n);
      b.set(a);
      return b;
    };
    const i32 = (a: Int32Array): Int32Array => {
      const b = new Int32Array(n);
      b.set(a);
      return b;
    };
    this.price = f64(this.price);
    this.total = f64(this.total);
    this.count = i32(this.count);
    this.head = i32(this.head);
    this.tail = i32(this.tail);
  }
}

export class SideBook {
  /** Level handles, worst first, best last. */
  levels: Int32Array = new Int32Array(16);
  /** Sort key of each slot: the price for bids, minus the price for asks (ascending = better). */
  private keys: Float64Array = new Float64Array(16);
  size = 0;

  constructor(
    readonly isBid: boolean,
    private readonly pool: LevelPool,
    private readonly orders: OrderStore,
  ) {}

  /** The best level's handle, or NONE. */
  best(): number {
    return this.size === 0 ? NONE : this.levels[this.size - 1]!;
  }

  /** Appends an order at the tail of its price level (it becomes the latest in time priority). */
  add(order: number): void {
    const orders = this.orders;
    const pool = this.pool;
    const level = this.levelFor(orders.price(order));
    const tail = pool.tail[level]!;
    orders.setNext(order, NONE);
    orders.setPrev(order, tail);
    if (tail === NONE) pool.head[level] = order;
    else orders.setNext(tail, order);
    pool.tail[level] = order;
    pool.total[level] = pool.total[level]! + orders.remaining(order);
    pool.count[level] = pool.count[level]! + 1;
  }

  /** Takes a resting order out of `level`, the level of its price (see `levelOf`). */
  remove(order: number, level: number): void {
    const orders = this.orders;
    const pool = this.pool;
    const prev = orders.prev(order);
    const next = orders.next(order);
    if (prev === NONE) pool.head[level] = next;
    else orders.setNext(prev, next);
    if (next === NONE) pool.tail[level] = prev;
    else orders.setPrev(next, prev);
    pool.total[level] = pool.total[level]! - orders.remaining(order);
    pool.count[level] = pool.count[level]! - 1;
    orders.setPrev(order, NONE);
    orders.setNext(order, NONE);
    if (pool.count[level] === 0) this.dropLevel(level);
  }

  /** The level at `price`, which must exist (a resting order's price always has one). */
  levelOf(price: number): number {
    const key = this.isBid ? price : -price;
    const n = this.size;
    if (this.keys[n - 1] === key) return this.levels[n - 1]!;
    const at = this.lowerBound(key);
    if (at === n || this.keys[at] !== key)
      throw new MatchingError('MATCH_INVARIANT_CONSERVATION', `no level at ${price}`);
    return this.levels[at]!;
  }

  /** The level at `price`, created in sorted position when missing. */
  private levelFor(price: number): number {
    const key = this.isBid ? price : -price;
    const n = this.size;
    // Fast path: the best level, or a new best, is the common case for a moving market.
    if (n > 0 && this.keys[n - 1] === key) return this.levels[n - 1]!;
    let at = n;
    if (n > 0 && key < this.keys[n - 1]!) {
      at = this.lowerBound(key);
      if (this.keys[at] === key) return this.levels[at]!;
    }
    const level = this.pool.alloc(price);
    if (n === this.levels.length) {
      const levels = new Int32Array(2 * n);
      levels.set(this.levels);
      this.levels = levels;
      const keys = new Float64Array(2 * n);
      keys.set(this.keys);
      this.keys = keys;
    }
    if (at < n) {
      this.levels.copyWithin(at + 1, at, n);
      this.keys.copyWithin(at + 1, at, n);
    }
    this.levels[at] = level;
    this.keys[at] = key;
    this.size = n + 1;
    return level;
  }

  private dropLevel(level: number): void {
    const n = this.size;
    let at = n - 1;
    if (this.levels[at] !== level) {
      const price = this.pool.price[level]!;
      at = this.lowerBound(this.isBid ? price : -price);
      this.levels.copyWithin(at, at + 1, n);
      this.keys.copyWithin(at, at + 1, n);
    }
    this.size = n - 1;
    this.pool.release(level);
  }

  /** First slot whose key is >= `key`. */
  private lowerBound(key: number): number {
    let lo = 0;
    let hi = this.size;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.keys[mid]! < key) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
