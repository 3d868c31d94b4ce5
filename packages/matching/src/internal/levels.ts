// Price levels of one side of one zone's book: a sorted array of levels with the best level last
// (so consuming the best level is a pop) and a map by price, each level an intrusive FIFO list of
// order nodes. Intrusive links avoid per-fill allocation and make removal O(1).
import type { OrderType, TimeInForce } from '../types.ts';

export const BUY = 0;
export const SELL = 1;
export type SideCode = typeof BUY | typeof SELL;

export const OPEN = 0;
export const FILLED = 1;
export const CANCELLED = 2;
export const EXPIRED = 3;
export type StatusCode = typeof OPEN | typeof FILLED | typeof CANCELLED | typeof EXPIRED;

/** One order, resting or finished; finished orders keep their node for views and snapshots. */
export class OrderNode {
  prev: OrderNode | null = null;
  next: OrderNode | null = null;
  level: PriceLevel | null = null;
  status: StatusCode = OPEN;
  filled = 0;

  constructor(
    readonly id: string,
    readonly account: string,
    readonly zone: number,
    readonly side: SideCode,
    readonly type: OrderType,
    readonly tif: TimeInForce,
    readonly postOnly: boolean,
    public price: number,
    /** Total size: always `filled + remaining` while open. */
    public quantity: number,
    public remaining: number,
    public seq: number,
  ) {}
}

export class PriceLevel {
  totalWh = 0;
  count = 0;
  head: OrderNode | null = null;
  tail: OrderNode | null = null;

  constructor(readonly price: number) {}
}

export class SideBook {
  /** Worst first, best last. */
  readonly levels: PriceLevel[] = [];
  private readonly byPrice = new Map<number, PriceLevel>();

  constructor(readonly isBid: boolean) {}

  best(): PriceLevel | undefined {
    return this.levels[this.levels.length - 1];
  }

  /** Appends at the tail of its price level (it becomes the latest in time priority). */
  add(order: OrderNode): void {
    let level = this.byPrice.get(order.price);
    if (level === undefined) {
      level = new PriceLevel(order.price);
      this.byPrice.set(order.price, level);
      this.insertLevel(level);
    }
    order.level = level;
    order.next = null;
    order.prev = level.tail;
    if (level.tail === null) level.head = order;
    else level.tail.next = order;
    level.tail = order;
    level.totalWh += order.remaining;
    level.count += 1;
  }

  remove(order: OrderNode): void {
    const level = order.level;
    if (level === null) return;
    if (order.prev === null) level.head = order.next;
    else order.prev.next = order.next;
    if (order.next === null) level.tail = order.prev;
    else order.next.prev = order.prev;
    level.totalWh -= order.remaining;
    level.count -= 1;
    order.prev = null;
    order.next = null;
    order.level = null;
    if (level.count === 0) this.dropLevel(level);
  }

  private insertLevel(level: PriceLevel): void {
    const levels = this.levels;
    const n = levels.length;
    const price = level.price;
    // Fast path: a new best or worst level is the common case for a moving market.
    if (n === 0 || this.isWorse(levels[n - 1]!.price, price)) {
      levels.push(level);
      return;
    }
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.isWorse(levels[mid]!.price, price)) lo = mid + 1;
      else hi = mid;
    }
    levels.splice(lo, 0, level);
  }

  private dropLevel(level: PriceLevel): void {
    this.byPrice.delete(level.price);
    const levels = this.levels;
    const n = levels.length;
    if (levels[n - 1] === level) {
      levels.pop();
      return;
    }
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.isWorse(levels[mid]!.price, level.price)) lo = mid + 1;
      else hi = mid;
    }
    levels.splice(lo, 1);
  }

  /** True when price `a` is strictly worse than price `b` for this side. */
  private isWorse(a: number, b: number): boolean {
    return this.isBid ? a < b : a > b;
  }
}
