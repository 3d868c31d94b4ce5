// Every order a market ever accepted, as fixed 64-byte records in one ArrayBuffer (read through a
// Float64Array and an Int32Array view), plus an open-addressing table from order id to record.
// No per-order JS object exists, so a market of millions of orders gives the garbage collector
// nothing to trace; one record is one or two cache lines, so touching a resting maker is cheap;
// and the id table (hash and handle side by side) costs about one cache miss per insert.

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

/** FNV-1a over UTF-16 code units with a final avalanche, so low bits index the table well. */
function hashId(id: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/**
 * Order records by handle (0, 1, … in acceptance order). A resting order is linked into its
 * price level's FIFO queue through `prev`/`next` and knows its `level` (NONE when not resting).
 */
export class OrderStore {
  count = 0;
  readonly ids: string[] = [];
  private f: Float64Array = new Float64Array(INITIAL_CAPACITY * F_STRIDE);
  private i: Int32Array = new Int32Array(this.f.buffer);
  private capacity = INITIAL_CAPACITY;
  /** Pairs (hash, handle + 1); handle + 1 = 0 marks an empty slot. Load factor at most 1/2. */
  private slots: Int32Array = new Int32Array(4 * INITIAL_CAPACITY);
  private mask = 2 * INITIAL_CAPACITY - 1;
  /** The last id looked up and its hash: a place looks its id up, then adds it. */
  private lastId = '';
  private lastHash = hashId('');

  /** Handle of `id`, or NONE. */
  find(id: string): number {
    const slots = this.slots;
    const mask = this.mask;
    const h = hashId(id);
    this.lastId = id;
    this.lastHash = h;
    for (let s = h & mask; ; s = (s + 1) & mask) {
      const handle = slots[2 * s + 1]! - 1;
      if (handle < 0) return NONE;
      if (slots[2 * s] === h && this.ids[handle] === id) return handle;
    }
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
    const handle = this.count;
    if (handle === this.capacity) this.grow();
    if (2 * (handle + 1) > this.mask + 1) this.rehash();
    this.count = handle + 1;
    this.ids.push(id);
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
    this.insertSlot(id === this.lastId ? this.lastHash : hashId(id), handle);
    return handle;
  }

  id(h: number): string {
    return this.ids[h]!;
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

  private insertSlot(h: number, handle: number): void {
    const slots = this.slots;
    const mask = this.mask;
    let s = h & mask;
    while (slots[2 * s + 1] !== 0) s = (s + 1) & mask;
    slots[2 * s] = h;
    slots[2 * s + 1] = handle + 1;
  }

  private rehash(): void {
    const old = this.slots;
    const size = 2 * (this.mask + 1);
    this.slots = new Int32Array(2 * size);
    this.mask = size - 1;
    for (let s = 0; s < old.length; s += 2) {
      const stored = old[s + 1]!;
      if (stored !== 0) this.insertSlot(old[s]!, stored - 1);
    }
  }

  private grow(): void {
    this.capacity *= 2;
    const f = new Float64Array(this.capacity * F_STRIDE);
    f.set(this.f);
    this.f = f;
    this.i = new Int32Array(f.buffer);
  }
}
