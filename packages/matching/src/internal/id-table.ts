// An insert-only table of string ids with dense handles 0, 1, 2, …: open addressing with linear
// probing over one Int32Array of 4-byte slots (a hash tag and handle + 1). Against a Map of a
// million string keys it costs at most one cache miss per insert (usually less, see hashId),
// rehashes from stored hashes without touching the strings, and gives the garbage collector one
// array of strings to trace, not a table of entries.

/**
 * Hash of an id, shaped for ids that end in a counter ("O1041", "o7-12"): FNV-1a over everything
 * but the trailing digits, mixed with the counter divided by 16, then the counter's low 4 bits.
 * Ids 16k … 16k+15 of one prefix land in 16 neighbouring slots, so a market receiving increasing
 * ids touches a new cache line every few inserts instead of a random line each time (about a
 * third of the book's time went to those misses). Any other id still gets a well-mixed hash; its
 * low 4 bits are then just its last digits (or 0), and linear probing treats each run of 16 slots
 * as a bucket. Equality is always decided by comparing the strings.
 */
function hashId(id: string): number {
  let h = 0x811c9dc5;
  let prefix = h;
  /** Value of the current run of digits, modulo 2^30 (consecutive counters stay consecutive). */
  let counter = 0;
  for (let i = 0; i < id.length; i++) {
    const c = id.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      counter = (counter * 10 + (c - 48)) & 0x3fffffff;
    } else {
      h = Math.imul(h ^ counter ^ c, 0x01000193);
      counter = 0;
      prefix = h;
    }
  }
  h = prefix ^ Math.imul(counter >>> 4, 0x9e3779b1);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  // 30 bits: a small integer to V8, so `lastHash` never changes representation (a deopt).
  return ((h << 4) | (counter & 15)) & 0x3fffffff;
}

/** Hashes are kept by handle in pages of this many (never copied), for rehashing. */
const HASH_PAGE_BITS = 12;
const HASH_PAGE_MASK = (1 << HASH_PAGE_BITS) - 1;

export class IdTable {
  /** Ids by handle (a literal with an element: it holds strings from the start, never Smis). */
  readonly ids: string[] = [''];
  /**
   * 2^bits slots, load factor at most 1/2. A slot holds 0 (empty) or `tag << bits | handle + 1`,
   * the tag being the hash's bits above `bits`: a probe skips other ids by comparing tags (one
   * in 2^(30 - bits) reaches a string compare), and 4-byte slots halve the table's memory.
   */
  private slots: Int32Array;
  private bits: number;
  private readonly hashes: Int32Array[];
  /** The last id looked up and its hash: callers look an id up, then add it. */
  private lastId = '';
  private lastHash = hashId('');

  constructor(expected = 512) {
    this.ids.pop();
    let bits = 4;
    while (1 << bits < 2 * expected) bits++;
    this.bits = bits;
    this.slots = new Int32Array(1 << bits);
    this.hashes = [new Int32Array(1 << HASH_PAGE_BITS)];
  }

  get size(): number {
    return this.ids.length;
  }

  /** Handle of `id`, or -1. */
  find(id: string): number {
    const slots = this.slots;
    const bits = this.bits;
    const mask = (1 << bits) - 1;
    const h = hashId(id);
    this.lastId = id;
    this.lastHash = h;
    const tag = h >>> bits;
    for (let s = h & mask; ; s = (s + 1) & mask) {
      const entry = slots[s]!;
      if (entry === 0) return -1;
      if (entry >>> bits === tag) {
        const handle = (entry & mask) - 1;
        if (this.ids[handle] === id) return handle;
      }
    }
  }

  /** Adds an id that `find` does not know and returns its handle (the previous size). */
  add(id: string): number {
    const handle = this.ids.length;
    if (2 * (handle + 1) > 1 << this.bits) this.rehash();
    this.ids.push(id);
    const h = id === this.lastId ? this.lastHash : hashId(id);
    const page = handle >> HASH_PAGE_BITS;
    if (page === this.hashes.length) this.hashes.push(new Int32Array(1 << HASH_PAGE_BITS));
    this.hashes[page]![handle & HASH_PAGE_MASK] = h;
    this.insertSlot(h, handle);
    return handle;
  }

  private insertSlot(h: number, handle: number): void {
    const slots = this.slots;
    const bits = this.bits;
    const mask = (1 << bits) - 1;
    let s = h & mask;
    while (slots[s] !== 0) s = (s + 1) & mask;
    slots[s] = ((h >>> bits) << bits) | (handle + 1);
  }

  private rehash(): void {
    this.bits += 1;
    this.slots = new Int32Array(1 << this.bits);
    const n = this.ids.length;
    for (let handle = 0; handle < n; handle++) {
      this.insertSlot(this.hashes[handle >> HASH_PAGE_BITS]![handle & HASH_PAGE_MASK]!, handle);
    }
  }
}
