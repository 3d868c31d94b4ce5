// Every order a market ever accepted, as fixed records of 8 doubles in pages of 8,192 records held
// in plain JS arrays of unboxed doubles, plus an id table from order id to record. No per-order JS
// object exists and a page holds no pointers, so the garbage collector has nothing to trace; pages
// are never copied when the store grows. Not ArrayBuffers: V8 starts a full collection for every
// 64 MB of ArrayBuffers that outlive a scavenge (about one per million orders), see BENCHMARKS.md.
import { IdTable } from './id-table.ts';

export const BUY = 0;
export const SELL = 1;
export type SideCode = typeof BUY | typeof SELL;

export const OPEN = 0;
export const FILLED = 1;
export const CANCELLED = 2;
export const EXPIRED = 3;
export type StatusCode = typeof OPEN | typeof FILLED | typeof CANCELLED | typeof EXPIRED;

export const LIMIT = 0;
export const MARKET = 1;

export const GTC = 0;
export const IOC = 1;
export const FOK = 2;

/** No handle (empty link, no level, unknown id). */
export const NONE = -1;

// Record layout: 8 doubles. Prices, quantities and sequence numbers are safe integers held
// exactly; the int fields (account, meta, links) are small integers. Filled is quantity -
// remaining, and a resting order's level is found from its price (SideBook.levelOf).
const STRIDE = 8;
const F_PRICE = 0;
const F_QUANTITY = 1;
const F_REMAINING = 2;
const F_SEQ = 3;
const I_ACCOUNT = 4;
/** side (bit 0), type (bit 1), tif (bits 2–3), post-only (bit 4), status (bits 5–6), zone (bits 8–31). */
const I_META = 5;
const I_PREV = 6;
const I_NEXT = 7;
const STATUS_SHIFT = 5;
const STATUS_MASK = 3 << STATUS_SHIFT;
const ZONE_SHIFT = 8;

/** Records per page (512 KiB). The first page starts small and doubles up to this size. */
const PAGE_BITS = 13;
const PAGE_SIZE = 1 << PAGE_BITS;
const PAGE_MASK = PAGE_SIZE - 1;
const FIRST_CAPACITY = 64;

/** A page of zeros, copied for every new page (a copy is one memcpy, building one is not). */
let zeroPage: number[] | undefined;

/**
 * A packed array of `n` <= PAGE_SIZE * STRIDE zeros (doubles). V8 lets its own heap grow to a
 * multiple of the live size before a full collection, where ArrayBuffers (external memory) trigger
 * one every 64 MB, and marking an array of doubles costs nothing.
 */
function zeros(n: number): number[] {
  if (zeroPage === undefined) {
    // A double literal: the array holds unboxed doubles from the start (concat keeps the kind).
    let page = [0.5];
    page[0] = 0;
    while (page.length < PAGE_SIZE * STRIDE) page = page.concat(page);
    zeroPage = page;
  }
  return n === zeroPage.length ? zeroPage.slice() : zeroPage.slice(0, n);
}

/**
 * Order records by handle (0, 1, … in acceptance order); record h is slot h & PAGE_MASK of page
 * h >> PAGE_BITS. A resting order is linked into its price level's FIFO queue through
 * `prev`/`next`.
 */
export class OrderStore {
  count = 0;
  private readonly table = new IdTable();
  /** Pages of records (a literal with an element: it holds arrays from the start, never Smis). */
  private readonly pages: number[][] = [zeros(FIRST_CAPACITY * STRIDE)];
  private capacity = FIRST_CAPACITY;

  /** Handle of `id`, or NONE. */
  find(id: string): number {
    return this.table.find(id);
  }

  /** Appends an open, unlinked record for an id that `find` does not know; returns its handle. */
  add(
    id: string,
    account: number,
    zone: number,
    side: SideCode,
    type: number,
    tif: number,
    postOnly: boolean,
    price: number,
    quantity: number,
    remaining: number,
    seq: number,
  ): number {
    const handle = this.table.add(id);
    if (handle === this.capacity) this.grow();
    this.count = handle + 1;
    const p = this.pages[handle >> PAGE_BITS]!;
    const k = (handle & PAGE_MASK) * STRIDE;
    p[k + F_PRICE] = price;
    p[k + F_QUANTITY] = quantity;
    p[k + F_REMAINING] = remaining;
    p[k + F_SEQ] = seq;
    p[k + I_ACCOUNT] = account;
    p[k + I_META] = side | (type << 1) | (tif << 2) | (postOnly ? 16 : 0) | (zone << ZONE_SHIFT);
    p[k + I_PREV] = NONE;
    p[k + I_NEXT] = NONE;
    return handle;
  }

  id(h: number): string {
    return this.table.id(h);
  }
  account(h: number): number {
    return this.pages[h >> PAGE_BITS]![(h & PAGE_MASK) * STRIDE + I_ACCOUNT]!;
  }
  private meta(h: number): number {
    return this.pages[h >> PAGE_BITS]![(h & PAGE_MASK) * STRIDE + I_META]!;
  }
  zone(h: number): number {
    return this.meta(h) >> ZONE_SHIFT;
  }
  side(h: number): SideCode {
    return (this.meta(h) & 1) as SideCode;
  }
  type(h: number): number {
    return (this.meta(h) >> 1) & 1;
  }
  tif(h: number): number {
    return (this.meta(h) >> 2) & 3;
  }
  postOnly(h: number): boolean {
    return (this.meta(h) & 16) !== 0;
  }
  status(h: number): StatusCode {
    return ((this.meta(h) & STATUS_MASK) >> STATUS_SHIFT) as StatusCode;
  }
  setStatus(h: number, status: StatusCode): void {
    const p = this.pages[h >> PAGE_BITS]!;
    const k = (h & PAGE_MASK) * STRIDE + I_META;
    p[k] = (p[k]! & ~STATUS_MASK) | (status << STATUS_SHIFT);
  }
  price(h: number): number {
    return this.pages[h >> PAGE_BITS]![(h & PAGE_MASK) * STRIDE + F_PRICE]!;
  }
  setPrice(h: number, price: number): void {
    this.pages[h >> PAGE_BITS]![(h & PAGE_MASK) * STRIDE + F_PRICE] = price;
  }
  /** Total size: always `filled + remaining`. */
  quantity(h: number): number {
    return this.pages[h >> PAGE_BITS]![(h & PAGE_MASK) * STRIDE + F_QUANTITY]!;
  }
  setQuantity(h: number, quantity: number): void {
    this.pages[h >> PAGE_BITS]![(h & PAGE_MASK) * STRIDE + F_QUANTITY] = quantity;
  }
  remaining(h: number): number {
    return this.pages[h >> PAGE_BITS]![(h & PAGE_MASK) * STRIDE + F_REMAINING]!;
  }
  setRemaining(h: number, remaining: number): void {
    this.pages[h >> PAGE_BITS]![(h & PAGE_MASK) * STRIDE + F_REMAINING] = remaining;
  }
  filled(h: number): number {
    const p = this.pages[h >> PAGE_BITS]!;
    const k = (h & PAGE_MASK) * STRIDE;
    return p[k + F_QUANTITY]! - p[k + F_REMAINING]!;
  }
  /** Moves `qty` from remaining to filled. */
  fill(h: number, qty: number): void {
    const p = this.pages[h >> PAGE_BITS]!;
    const k = (h & PAGE_MASK) * STRIDE + F_REMAINING;
    p[k] = p[k]! - qty;
  }
  /** Time priority: lower is earlier. */
  seq(h: number): number {
    return this.pages[h >> PAGE_BITS]![(h & PAGE_MASK) * STRIDE + F_SEQ]!;
  }
  setSeq(h: number, seq: number): void {
    this.pages[h >> PAGE_BITS]![(h & PAGE_MASK) * STRIDE + F_SEQ] = seq;
  }
  prev(h: number): number {
    return this.pages[h >> PAGE_BITS]![(h & PAGE_MASK) * STRIDE + I_PREV]!;
  }
  setPrev(h: number, prev: number): void {
    this.pages[h >> PAGE_BITS]![(h & PAGE_MASK) * STRIDE + I_PREV] = prev;
  }
  next(h: number): number {
    return this.pages[h >> PAGE_BITS]![(h & PAGE_MASK) * STRIDE + I_NEXT]!;
  }
  setNext(h: number, next: number): void {
    this.pages[h >> PAGE_BITS]![(h & PAGE_MASK) * STRIDE + I_NEXT] = next;
  }

  /** Room for one more page of records: the first page doubles up to PAGE_SIZE, then pages are added. */
  private grow(): void {
    if (this.capacity < PAGE_SIZE) {
      this.capacity *= 2;
      const old = this.pages[0]!;
      this.pages[0] = old.concat(zeros(old.length));
      return;
    }
    this.pages.push(zeros(PAGE_SIZE * STRIDE));
    this.capacity += PAGE_SIZE;
  }
}
