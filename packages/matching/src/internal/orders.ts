// Every order a market ever accepted, as fixed 64-byte records in one ArrayBuffer (read through a
// Float64Array and an Int32Array view), plus an id table from order id to record. No per-order JS
// object exists, so a market of millions of orders gives the garbage collector nothing to trace,
// and one record is one or two cache lines, so touching a resting maker is cheap.
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

// Record layout: 8 float64 slots = 16 int32 slots. Quantities, prices and sequence numbers are
// safe integers held exactly in float64.
const F_STRIDE = 8;
const F_PRICE = 0;
const F_QUANTITY = 1;
const F_REMAINING = 2;
const F_FILLED = 3;
const F_SEQ = 4;
const I_STRIDE = 16;
const I_ACCOUNT = 10;
const I_ZONE = 11;
/** side (bit 0), type (bit 1), tif (bits 2–3), post-only (bit 4), status (bits 5–6). */
const I_META = 12;
const I_PREV = 13;
const I_NEXT = 14;
const I_LEVEL = 15;
const STATUS_SHIFT = 5;
const STATUS_MASK = 3 << STATUS_SHIFT;

const INITIAL_CAPACITY = 1_024;

/**
 * Order records by handle (0, 1, … in acceptance order). A resting order is linked into its
 * price level's FIFO queue through `prev`/`next` and knows its `level` (NONE when not resting).
 */
export class OrderStore {
  count = 0;
  private readonly table = new IdTable();
  private f: Float64Array = new Float64Array(INITIAL_CAPACITY * F_STRIDE);
  private i: Int32Array = new Int32Array(this.f.buffer);
  private capacity = INITIAL_CAPACITY;

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
    const f = handle * F_STRIDE;
    this.f[f + F_PRICE] = price;
    this.f[f + F_QUANTITY] = quantity;
    this.f[f + F_REMAINING] = remaining;
    this.f[f + F_FILLED] = quantity - remaining;
    this.f[f + F_SEQ] = seq;
    const i = handle * I_STRIDE;
    this.i[i + I_ACCOUNT] = account;
    this.i[i + I_ZONE] = zone;
    this.i[i + I_META] = side | (type << 1) | (tif << 2) | (postOnly ? 16 : 0);
    this.i[i + I_PREV] = NONE;
    this.i[i + I_NEXT] = NONE;
    this.i[i + I_LEVEL] = NONE;
    return handle;
  }

  id(h: number): string {
    return this.table.ids[h]!;
  }
  account(h: number): number {
    return this.i[h * I_STRIDE + I_ACCOUNT]!;
  }
  zone(h: number): number {
    return this.i[h * I_STRIDE + I_ZONE]!;
  }
  side(h: number): SideCode {
    return (this.i[h * I_STRIDE + I_META]! & 1) as SideCode;
  }
  type(h: number): number {
    return (this.i[h * I_STRIDE + I_META]! >> 1) & 1;
  }
  tif(h: number): number {
    return (this.i[h * I_STRIDE + I_META]! >> 2) & 3;
  }
  postOnly(h: number): boolean {
    return (this.i[h * I_STRIDE + I_META]! & 16) !== 0;
  }
  status(h: number): StatusCode {
    return ((this.i[h * I_STRIDE + I_META]! & STATUS_MASK) >> STATUS_SHIFT) as StatusCode;
  }
  setStatus(h: number, status: StatusCode): void {
    const k = h * I_STRIDE + I_META;
    this.i[k] = (this.i[k]! & ~STATUS_MASK) | (status << STATUS_SHIFT);
  }
  price(h: number): number {
    return this.f[h * F_STRIDE + F_PRICE]!;
  }
  setPrice(h: number, price: number): void {
    this.f[h * F_STRIDE + F_PRICE] = price;
  }
  /** Total size: always `filled + remaining`. */
  quantity(h: number): number {
    return this.f[h * F_STRIDE + F_QUANTITY]!;
  }
  setQuantity(h: number, quantity: number): void {
    this.f[h * F_STRIDE + F_QUANTITY] = quantity;
  }
  remaining(h: number): number {
    return this.f[h * F_STRIDE + F_REMAINING]!;
  }
  setRemaining(h: number, remaining: number): void {
    this.f[h * F_STRIDE + F_REMAINING] = remaining;
  }
  filled(h: number): number {
    return this.f[h * F_STRIDE + F_FILLED]!;
  }
  /** Moves `qty` from remaining to filled. */
  fill(h: number, qty: number): void {
    const f = h * F_STRIDE;
    this.f[f + F_REMAINING] = this.f[f + F_REMAINING]! - qty;
    this.f[f + F_FILLED] = this.f[f + F_FILLED]! + qty;
  }
  /** Time priority: lower is earlier. */
  seq(h: number): number {
    return this.f[h * F_STRIDE + F_SEQ]!;
  }
  setSeq(h: number, seq: number): void {
    this.f[h * F_STRIDE + F_SEQ] = seq;
  }
  prev(h: number): number {
    return this.i[h * I_STRIDE + I_PREV]!;
  }
  setPrev(h: number, prev: number): void {
    this.i[h * I_STRIDE + I_PREV] = prev;
  }
  next(h: number): number {
    return this.i[h * I_STRIDE + I_NEXT]!;
  }
  setNext(h: number, next: number): void {
    this.i[h * I_STRIDE + I_NEXT] = next;
  }
  level(h: number): number {
    return this.i[h * I_STRIDE + I_LEVEL]!;
  }
  setLevel(h: number, level: number): void {
    this.i[h * I_STRIDE + I_LEVEL] = level;
  }

  private grow(): void {
    this.capacity *= 2;
    const f = new Float64Array(this.capacity * F_STRIDE);
    f.set(this.f);
    this.f = f;
    this.i = new Int32Array(f.buffer);
  }
}
