// An insert-only table of string ids with dense handles 0, 1, 2, …: open addressing with linear
// probing over one Int32Array of (hash, handle + 1) pairs. Against a Map of a million string keys
// it costs about one cache miss per insert, rehashes without touching the strings, and gives the
// garbage collector one array of strings to trace instead of a hash table of entries.

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
