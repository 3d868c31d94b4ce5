// Orders of one market. A live order (resting, or being matched) has a record of 9 doubles in pages
// of plain JS arrays of unboxed doubles, reached by slot; when it finishes, what the market must
// still answer about it (views, snapshots, cancel and amend checks) is packed into 3 doubles kept
// by id handle, and its slot goes on a free list for the next accepted order. The memory a command
// touches is then bounded by the live book, not by every order ever accepted: first touch of a
// page costs 16–26 µs on the bench's VM (BENCHMARKS.md). No per-order JS object exists and no page
// holds pointers, so the GC has nothing to trace. Not ArrayBuffers: V8 starts a full collection for
// every 64 MB of ArrayBuffers that outlive a scavenge, see BENCHMARKS.md.
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

/** No handle (empty link, no level, unknown id, no record). */
export const NONE = -1;

// Record layout: 9 doubles. Prices, quantities and sequence numbers are safe integers held
// exactly; the int fields (account, meta, links, key) are small integers. Filled is quantity -
// remaining, and a resting order's level is found from its price (SideBook.levelOf).
const STRIDE = 9;
const F_PRICE = 0;
const F_QUANTITY = 1;
const F_REMAINING = 2;
const F_SEQ = 3;
const I_ACCOUNT = 4;
/** side (bit 0), type (bit 1), tif (bits 2–3), post-only (bit 4), status (bits 5–6), zone (bits 8–31). */
const I_META = 5;
const I_PREV = 6;
/** The next order in the level's queue; for a free slot, the next free slot. */
const I_NEXT = 7;
/** The order's id handle (its key). */
const I_KEY = 8;
const STATUS_SHIFT = 5;
const STATUS_MASK = 3 << STATUS_SHIFT;
const ZONE_SHIFT = 8;

// Entry layout, by key: 3 doubles. E_SEQ < 0 means the order has a record, at slot -E_SEQ - 1
// (live orders, and finished ones whose fields do not fit the packing below). Otherwise it is
// finished and packed, each double an exact integer below 2^53:
//   E_SEQ   seq · 2^21 + (side | type << 1 | tif << 2 | postOnly << 4 | status << 5 | zone << 7)
//   E_PRICE account · 2^27 + (price + 2^26)
//   E_QTY   quantity · 2^26 + remaining
const E_STRIDE = 3;
const E_SEQ = 0;
const E_PRICE = 1;
const E_QTY = 2;
const LOW_BITS = 2 ** 21;
const PRICE_BITS = 2 ** 27;
const PRICE_BIAS = 2 ** 26;
const REMAINING_BITS = 2 ** 26;

/** Records (and entries) per page. The first page starts small and doubles up to this size. */
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
    zeroPage = page.slice(0, PAGE_SIZE * STRIDE);
  }
  return n === zeroPage.length ? zeroPage.slice() : zeroPage.slice(0, n);
}

/** Every field of an order, as `OrderStore.read` fills it. */
export interface OrderFields {
  account: number;
  zone: number;
  side: SideCode;
  type: number;
  tif: number;
  postOnly: boolean;
  status: StatusCode;
  price: number;
  quantity: number;
  remaining: number;
  seq: number;
}

/**
 * Orders by key (their id handle: 0, 1, … in acceptance order) and live records by slot; record
 * s is slot s & PAGE_MASK of page s >> PAGE_BITS. A resting order is linked into its price
 * level's FIFO queue through `prev`/`next`. Every method but `find`, `slot`, `read` and the
 * `*OfKey` ones takes a slot.
 */
export class OrderStore {
  private readonly table = new IdTable();
  /** Record pages (a literal with an element: it holds arrays from the start, never Smis). */
  private readonly pages: number[][] = [zeros(FIRST_CAPACITY * STRIDE)];
  private capacity = FIRST_CAPACITY;
  /** Slots ever used; slots below it are live or on the free list. */
  private used = 0;
  private freeHead = NONE;
  /** Entry pages, by key. */
  private readonly entries: number[][] = [zeros(FIRST_CAPACITY * E_STRIDE)];
  private entryCapacity = FIRST_CAPACITY;

  /** Number of orders ever accepted; keys are 0 … count - 1. */
  get count(): number {
    return this.table.size;
  }

  /** Key of `id`, or NONE. */
  find(id: string): number {
    return this.table.find(id);
  }

  /** The record slot of a key, or NONE when the order is finished and packed. */
  slot(key: number): number {
    const e = this.entries[key >> PAGE_BITS]![(key & PAGE_MASK) * E_STRIDE + E_SEQ]!;
    return e < 0 ? -e - 1 : NONE;
  }

  /** Adds an open, unlinked order for an id that `find` does not know; returns its slot. */
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
    const key = this.table.add(id);
    if (key === this.entryCapacity) this.growEntries();
    let slot = this.freeHead;
    if (slot !== NONE) {
      // `| 0`: a read from a page is a double, and storing one here would change the field's
      // representation (a deopt of every function that inlined a store method).
      this.freeHead = this.next(slot) | 0;
    } else {
      slot = this.used++;
      if (slot === this.capacity) this.grow();
    }
    this.entries[key >> PAGE_BITS]![(key & PAGE_MASK) * E_STRIDE + E_SEQ] = -slot - 1;
    const p = this.pages[slot >> PAGE_BITS]!;
    const k = (slot & PAGE_MASK) * STRIDE;
    p[k + F_PRICE] = price;
    p[k + F_QUANTITY] = quantity;
    p[k + F_REMAINING] = remaining;
    p[k + F_SEQ] = seq;
    p[k + I_ACCOUNT] = account;
    p[k + I_META] = side | (type << 1) | (tif << 2) | (postOnly ? 16 : 0) | (zone << ZONE_SHIFT);
    p[k + I_PREV] = NONE;
    p[k + I_NEXT] = NONE;
    p[k + I_KEY] = key;
    return slot;
  }

  /**
   * Finishes an unlinked order: sets its final status and, when its fields fit the packed entry,
   * moves them there and frees the slot (which the caller must not use again).
   */
  retire(h: number, status: StatusCode): void {
    const p = this.pages[h >> PAGE_BITS]!;
    const k = (h & PAGE_MASK) * STRIDE;
    const meta = p[k + I_META]!;
    const zone = meta >> ZONE_SHIFT;
    const seq = p[k + F_SEQ]!;
    const account = p[k + I_ACCOUNT]!;
    const price = p[k + F_PRICE]!;
    const quantity = p[k + F_QUANTITY]!;
    const remaining = p[k + F_REMAINING]!;
    if (
      !(seq >= 0 && seq < 2 ** 32) ||
      zone >= 2 ** 14 ||
      account >= 2 ** 26 ||
      !(price >= -PRICE_BIAS && price < PRICE_BIAS) ||
      !(quantity >= 0 && quantity < 2 ** 27) ||
      !(remaining >= 0 && remaining < REMAINING_BITS)
    ) {
      this.setStatus(h, status);
      return;
    }
    const key = p[k + I_KEY]!;
    const e = this.entries[key >> PAGE_BITS]!;
    const j = (key & PAGE_MASK) * E_STRIDE;
    e[j + E_SEQ] = seq * LOW_BITS + ((meta & 31) | (status << 5) | (zone << 7));
    e[j + E_PRICE] = account * PRICE_BITS + (price + PRICE_BIAS);
    e[j + E_QTY] = quantity * REMAINING_BITS + remaining;
    p[k + I_NEXT] = this.freeHead;
    this.freeHead = h;
  }

  /** Every field of the order of `key`, written into `f`. */
  read(key: number, f: OrderFields): void {
    const h = this.slot(key);
    if (h !== NONE) {
      const meta = this.meta(h);
      f.account = this.account(h);
      f.zone = meta >> ZONE_SHIFT;
      f.side = (meta & 1) as SideCode;
      f.type = (meta >> 1) & 1;
      f.tif = (meta >> 2) & 3;
      f.postOnly = (meta & 16) !== 0;
      f.status = ((meta & STATUS_MASK) >> STATUS_SHIFT) as StatusCode;
      f.price = this.price(h);
      f.quantity = this.quantity(h);
      f.remaining = this.remaining(h);
      f.seq = this.seq(h);
      return;
    }
    const e = this.entries[key >> PAGE_BITS]!;
    const j = (key & PAGE_MASK) * E_STRIDE;
    const e0 = e[j + E_SEQ]!;
    const e1 = e[j + E_PRICE]!;
    const e2 = e[j + E_QTY]!;
    const low = e0 % LOW_BITS;
    f.account = (e1 - (e1 % PRICE_BITS)) / PRICE_BITS;
    f.zone = low >> 7;
    f.side = (low & 1) as SideCode;
    f.type = (low >> 1) & 1;
    f.tif = (low >> 2) & 3;
    f.postOnly = (low & 16) !== 0;
    f.status = ((low >> 5) & 3) as StatusCode;
    f.price = (e1 % PRICE_BITS) - PRICE_BIAS;
    f.remaining = e2 % REMAINING_BITS;
    f.quantity = (e2 - f.remaining) / REMAINING_BITS;
    f.seq = (e0 - low) / LOW_BITS;
  }

  /** The account of a finished, packed order (`slot(key)` is NONE). */
  accountOfKey(key: number): number {
    const e1 = this.entries[key >> PAGE_BITS]![(key & PAGE_MASK) * E_STRIDE + E_PRICE]!;
    return (e1 - (e1 % PRICE_BITS)) / PRICE_BITS;
  }

  /** The seq of any order. */
  seqOfKey(key: number): number {
    const h = this.slot(key);
    if (h !== NONE) return this.seq(h);
    const e0 = this.entries[key >> PAGE_BITS]![(key & PAGE_MASK) * E_STRIDE + E_SEQ]!;
    return (e0 - (e0 % LOW_BITS)) / LOW_BITS;
  }

  /** The id of any order, by key. */
  idOfKey(key: number): string {
    return this.table.id(key);
  }
  id(h: number): string {
    return this.table.id(this.key(h));
  }
  key(h: number): number {
    return this.pages[h >> PAGE_BITS]![(h & PAGE_MASK) * STRIDE + I_KEY]!;
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

  /** The same for entries. */
  private growEntries(): void {
    if (this.entryCapacity < PAGE_SIZE) {
      this.entryCapacity *= 2;
      const old = this.entries[0]!;
      this.entries[0] = old.concat(zeros(old.length));
      return;
    }
    this.entries.push(zeros(PAGE_SIZE * E_STRIDE));
    this.entryCapacity += PAGE_SIZE;
  }
}
