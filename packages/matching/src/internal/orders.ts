// Every order a market ever accepted, as fixed 48-byte records in fixed-size pages of ArrayBuffer
// (each read through a Float64Array and an Int32Array view), plus an id table from order id to
// record. No per-order JS object exists, so the garbage collector has nothing to trace; pages are
// never copied when the store grows, so a market allocates only the memory its orders need (V8
// runs a full collection for every ~64 MB of ArrayBuffers allocated, see BENCHMARKS.md).
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

// Record layout: 6 float64 slots = 12 int32 slots. Prices, quantities and sequence numbers are
// safe integers held exactly in float64; filled is quantity - remaining, and a resting order's
// level is found from its price (SideBook.levelOf), so neither takes space.
const F_STRIDE = 6;
const F_PRICE = 0;
const F_QUANTITY = 1;
const F_REMAINING = 2;
const F_SEQ = 3;
const I_STRIDE = 12;
const I_ACCOUNT = 8;
/** side (bit 0), type (bit 1), tif (bits 2–3), post-only (bit 4), status (bits 5–6), zone (bits 8–31). */
const I_META = 9;
const I_PREV = 10;
const I_NEXT = 11;
const STATUS_SHIFT = 5;
const STATUS_MASK = 3 << STATUS_SHIFT;
const ZONE_SHIFT = 8;

/** Records per page (384 KiB). The first page starts small and doubles up to this size. */
const PAGE_BITS = 13;
const PAGE_SIZE = 1 << PAGE_BITS;
const PAGE_MASK = PAGE_SIZE - 1;
const FIRST_CAPACITY = 64;

/**
 * Order records by handle (0, 1, … in acceptance order); record h is slot h & PAGE_MASK of page
 * h >> PAGE_BITS. A resting order is linked into its price level's FIFO queue through
 * `prev`/`next`.
 */
export class OrderStore {
  count = 0;
  private readonly table = new IdTable();
  private readonly f: Float64Array[];
  private readonly i: Int32Array[];
  private capacity = FIRST_CAPACITY;

  constructor() {
    const page = new Float64Array(FIRST_CAPACITY * F_STRIDE);
    // Literals with an element, so these arrays hold objects from the start (an empty literal
    // would begin as a Smi array and change kind on its first push, deoptimising readers).
    this.f = [page];
    this.i = [new Int32Array(page.buffer)];
  }

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
    const page = handle >> PAGE_BITS;
    const f = this.f[page]!;
    const k = (handle & PAGE_MASK) * F_STRIDE;
    f[k + F_PRICE] = price;
    f[k + F_QUANTITY] = quantity;
    f[k + F_REMAINING] = remaining;
    f[k + F_SEQ] = seq;
    const i = this.i[page]!;
    const j = (handle & PAGE_MASK) * I_STRIDE;
    i[j + I_ACCOUNT] = account;
    i[j + I_META] = side | (type << 1) | (tif << 2) | (postOnly ? 16 : 0) | (zone << ZONE_SHIFT);
    i[j + I_PREV] = NONE;
    i[j + I_NEXT] = NONE;
    return handle;
  }

  id(h: number): string {
    return this.table.ids[h]!;
  }
  account(h: number): number {
    return this.i[h >> PAGE_BITS]![(h & PAGE_MASK) * I_STRIDE + I_ACCOUNT]!;
  }
  private meta(h: number): number {
    return this.i[h >> PAGE_BITS]![(h & PAGE_MASK) * I_STRIDE + I_META]!;
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
    const i = this.i[h >> PAGE_BITS]!;
    const k = (h & PAGE_MASK) * I_STRIDE + I_META;
    i[k] = (i[k]! & ~STATUS_MASK) | (status << STATUS_SHIFT);
  }
  price(h: number): number {
    return this.f[h >> PAGE_BITS]![(h & PAGE_MASK) * F_STRIDE + F_PRICE]!;
  }
  setPrice(h: number, price: number): void {
    this.f[h >> PAGE_BITS]![(h & PAGE_MASK) * F_STRIDE + F_PRICE] = price;
  }
  /** Total size: always `filled + remaining`. */
  quantity(h: number): number {
    return this.f[h >> PAGE_BITS]![(h & PAGE_MASK) * F_STRIDE + F_QUANTITY]!;
  }
  setQuantity(h: number, quantity: number): void {
    this.f[h >> PAGE_BITS]![(h & PAGE_MASK) * F_STRIDE + F_QUANTITY] = quantity;
  }
  remaining(h: number): number {
    return this.f[h >> PAGE_BITS]![(h & PAGE_MASK) * F_STRIDE + F_REMAINING]!;
  }
  setRemaining(h: number, remaining: number): void {
    this.f[h >> PAGE_BITS]![(h & PAGE_MASK) * F_STRIDE + F_REMAINING] = remaining;
  }
  filled(h: number): number {
    const f = this.f[h >> PAGE_BITS]!;
    const k = (h & PAGE_MASK) * F_STRIDE;
    return f[k + F_QUANTITY]! - f[k + F_REMAINING]!;
  }
  /** Moves `qty` from remaining to filled. */
  fill(h: number, qty: number): void {
    const f = this.f[h >> PAGE_BITS]!;
    const k = (h & PAGE_MASK) * F_STRIDE + F_REMAINING;
    f[k] = f[k]! - qty;
  }
  /** Time priority: lower is earlier. */
  seq(h: number): number {
    return this.f[h >> PAGE_BITS]![(h & PAGE_MASK) * F_STRIDE + F_SEQ]!;
  }
  setSeq(h: number, seq: number): void {
    this.f[h >> PAGE_BITS]![(h & PAGE_MASK) * F_STRIDE + F_SEQ] = seq;
  }
  prev(h: number): number {
    return this.i[h >> PAGE_BITS]![(h & PAGE_MASK) * I_STRIDE + I_PREV]!;
  }
  setPrev(h: number, prev: number): void {
    this.i[h >> PAGE_BITS]![(h & PAGE_MASK) * I_STRIDE + I_PREV] = prev;
  }
  next(h: number): number {
    return this.i[h >> PAGE_BITS]![(h & PAGE_MASK) * I_STRIDE + I_NEXT]!;
  }
  setNext(h: number, next: number): void {
    this.i[h >> PAGE_BITS]![(h & PAGE_MASK) * I_STRIDE + I_NEXT] = next;
  }

  /** Room for one more page of records: the first page doubles up to PAGE_SIZE, then pages are added. */
  private grow(): void {
    if (this.capacity < PAGE_SIZE) {
      this.capacity *= 2;
      const f = new Float64Array(this.capacity * F_STRIDE);
      f.set(this.f[0]!);
      this.f[0] = f;
      this.i[0] = new Int32Array(f.buffer);
      return;
    }
    const f = new Float64Array(PAGE_SIZE * F_STRIDE);
    this.f.push(f);
    this.i.push(new Int32Array(f.buffer));
    this.capacity += PAGE_SIZE;
  }
}
