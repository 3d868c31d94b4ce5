// An insert-only table of string ids with dense handles 0, 1, 2, …: open addressing with linear
// probing over one Int32Array of 4-byte slots (a hash tag and handle + 1). Against a Map of a
// million string keys it costs at most one cache miss per insert (usually less, see hashId),
// rehashes from stored hashes without touching the strings, and gives the garbage collector
// arrays of strings to trace, not a table of entries. Ids and hashes are kept by handle in
// fixed pages that are never copied: new memory costs a page fault of 10–25 µs per 4 KiB on the
// bench's VM (BENCHMARKS.md), and a growing array rewrites itself into fresh memory each time.

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

/** Ids and hashes are kept by handle in pages of this many (never copied). */
const PAGE_BITS = 12;
const PAGE_SIZE = 1 << PAGE_BITS;
const PAGE_MASK = PAGE_SIZE - 1;

/** A page of ids: one array kind (holey, holding strings) for every page, so reads stay monomorphic. */
function idPage(): string[] {
  return new Array<string>(PAGE_SIZE).fill('');
}

export class IdTable {
  private count = 0;
  /** Ids by handle: id h is slot h & PAGE_MASK of page h >> PAGE_BITS. */
  private readonly idPages: string[][] = [idPage()];
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
    let bits = 4;
    while (1 << bits < 2 * expected) bits++;
    this.bits = bits;
    this.slots = new Int32Array(1 << bits);
    this.hashes = [new Int32Array(PAGE_SIZE)];
  }

  /** Number of ids; the next handle. */
  get size(): number {
    return this.count;
  }

  /** The id of a handle below `size`. */
  id(handle: number): string {
    return this.idPages[handle >> PAGE_BITS]![handle & PAGE_MASK]!;
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
        if (this.idPages[handle >> PAGE_BITS]![handle & PAGE_MASK] === id) return handle;
      }
    }
  }

  /** Adds an id that `find` does not know and returns its handle (the previous size). */
  add(id: string): number {
    const handle = this.count;
    if (2 * (handle + 1) > 1 << this.bits) this.rehash();
    const page = handle >> PAGE_BITS;
    if (page === this.hashes.length) {
      this.hashes.push(new Int32Array(PAGE_SIZE));
      this.idPages.push(idPage());
    }
    this.idPages[page]![handle & PAGE_MASK] = id;
    this.count = handle + 1;
    const h = id === this.lastId ? this.lastHash : hashId(id);
    this.hashes[page]![handle & PAGE_MASK] = h;
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
    const n = this.count;
    for (let handle = 0; handle < n; handle++) {
      this.insertSlot(this.hashes[handle >> PAGE_BITS]![handle & PAGE_MASK]!, handle);
    }
  }
}
