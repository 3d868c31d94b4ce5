// An insert-only table of string ids with dense handles 0, 1, 2, …: open addressing with linear
// probing over one Int32Array of (hash, handle + 1) pairs. Against a Map of a million string keys
// it costs at most one cache miss per insert (usually less, see hashId), rehashes without touching
// the strings, and gives the garbage collector one array of strings to trace, not a table of entries.

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
  return (h << 4) | (counter & 15);
}

export class IdTable {
  /** Ids by handle. */
  readonly ids: string[] = [];
  /** Pairs (hash, handle + 1); handle + 1 = 0 marks an empty slot. Load factor at most 1/2. */
  private slots: Int32Array;
  private mask: number;
  /** The last id looked up and its hash: callers look an id up, then add it. */
  private lastId = '';
  private lastHash = hashId('');

  constructor(expected = 512) {
    let size = 16;
    while (size < 2 * expected) size *= 2;
    this.slots = new Int32Array(2 * size);
    this.mask = size - 1;
  }

  get size(): number {
    return this.ids.length;
  }

  /** Handle of `id`, or -1. */
  find(id: string): number {
    const slots = this.slots;
    const mask = this.mask;
    const h = hashId(id);
    this.lastId = id;
    this.lastHash = h;
    for (let s = h & mask; ; s = (s + 1) & mask) {
      const handle = slots[2 * s + 1]! - 1;
      if (handle < 0) return -1;
      if (slots[2 * s] === h && this.ids[handle] === id) return handle;
    }
  }

  /** Adds an id that `find` does not know and returns its handle (the previous size). */
  add(id: string): number {
    const handle = this.ids.length;
    if (2 * (handle + 1) > this.mask + 1) this.rehash();
    this.ids.push(id);
    this.insertSlot(id === this.lastId ? this.lastHash : hashId(id), handle);
    return handle;
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
}
