// Canonical binary encoding: fixed-width big-endian integers, length-prefixed strings and lists,
// strict flags. Every value has exactly one encoding and decoding rejects anything else
// (trailing bytes, bad flags, non-UTF-8), so bytes → value → bytes is the identity (ENC-1..4).
import { ChainError } from '../errors.ts';
import { fromUtf8, utf8 } from './bytes.ts';

/** Malformed bytes: a ChainError with code CHAIN_MALFORMED (the package's one error class). */
export class DecodeError extends ChainError {
  constructor(message: string) {
    super('CHAIN_MALFORMED', message);
    this.name = 'DecodeError';
  }
}

const HEX_PAIRS = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

function hexOf(buf: Uint8Array, off: number, n: number): string {
  let out = '';
  for (let i = off; i < off + n; i++) out += HEX_PAIRS[buf[i] as number];
  return out;
}

function lowerNibble(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  return -1;
}

export class Writer {
  private buf: Uint8Array;
  private view: DataView;
  private len = 0;

  constructor(initial = 128) {
    this.buf = new Uint8Array(initial);
    this.view = new DataView(this.buf.buffer);
  }

  private ensure(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.len + n) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  u8(v: number): void {
    this.ensure(1);
    this.buf[this.len++] = v;
  }

  u16(v: number): void {
    this.ensure(2);
    this.view.setUint16(this.len, v);
    this.len += 2;
  }

  u32(v: number): void {
    this.ensure(4);
    this.view.setUint32(this.len, v);
    this.len += 4;
  }

  u64(v: bigint): void {
    this.ensure(8);
    this.view.setBigUint64(this.len, v);
    this.len += 8;
  }

  raw(bytes: Uint8Array): void {
    this.ensure(bytes.length);
    this.buf.set(bytes, this.len);
    this.len += bytes.length;
  }

  /** A safe integer as 8 big-endian bytes, without going through a bigint. */
  uint53(v: number): void {
    this.ensure(8);
    this.view.setUint32(this.len, Math.floor(v / 0x1_0000_0000));
    this.view.setUint32(this.len + 4, v >>> 0);
    this.len += 8;
  }

  /** Lowercase hex of exactly `n` bytes written as those bytes; false (nothing written) if not. */
  hex(v: string, n: number): boolean {
    if (v.length !== 2 * n) return false;
    this.ensure(n);
    const buf = this.buf;
    const start = this.len;
    for (let i = 0; i < n; i++) {
      const hi = lowerNibble(v.charCodeAt(2 * i));
      const lo = lowerNibble(v.charCodeAt(2 * i + 1));
      if ((hi | lo) < 0) return false;
      buf[start + i] = (hi << 4) | lo;
    }
    this.len += n;
    return true;
  }

  /** An all-ASCII string's bytes (its UTF-8); false (nothing written) if any char is not ASCII. */
  ascii(v: string): boolean {
    this.ensure(v.length);
    const buf = this.buf;
    const start = this.len;
    for (let i = 0; i < v.length; i++) {
      const c = v.charCodeAt(i);
      if (c >= 0x80) return false;
      buf[start + i] = c;
    }
    this.len += v.length;
    return true;
  }

  get length(): number {
    return this.len;
  }

  /** Drops everything written after `length` bytes (undoing a speculative write). */
  truncate(length: number): void {
    this.len = length;
  }

  /** The bytes written (a view of the writer's buffer; the writer must not be reused). */
  finish(): Uint8Array {
    return this.buf.subarray(0, this.len);
  }
}

export class Reader {
  private off = 0;
  private readonly view: DataView;

  constructor(private readonly buf: Uint8Array) {
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  private need(n: number): void {
    if (this.off + n > this.buf.length) throw new DecodeError('unexpected end of input');
  }

  u8(): number {
    this.need(1);
    return this.buf[this.off++] as number;
  }

  u16(): number {
    this.need(2);
    const v = this.view.getUint16(this.off);
    this.off += 2;
    return v;
  }

  u32(): number {
    this.need(4);
    const v = this.view.getUint32(this.off);
    this.off += 4;
    return v;
  }

  u64(): bigint {
    this.need(8);
    const v = this.view.getBigUint64(this.off);
    this.off += 8;
    return v;
  }

  raw(n: number): Uint8Array {
    this.need(n);
    const out = this.buf.slice(this.off, this.off + n);
    this.off += n;
    return out;
  }

  /** 8 big-endian bytes as a number; throws if above 2^53 − 1. */
  uint53(): number {
    this.need(8);
    const hi = this.view.getUint32(this.off);
    const lo = this.view.getUint32(this.off + 4);
    this.off += 8;
    if (hi > 0x1f_ffff) throw new DecodeError('uint above 2^53');
    return hi * 0x1_0000_0000 + lo;
  }

  /** `n` bytes as lowercase hex, without copying them first. */
  hex(n: number): string {
    this.need(n);
    const out = hexOf(this.buf, this.off, n);
    this.off += n;
    return out;
  }

  get offset(): number {
    return this.off;
  }

  get remaining(): number {
    return this.buf.length - this.off;
  }

  end(): void {
    if (this.off !== this.buf.length) throw new DecodeError('trailing bytes');
  }
}

/** A canonical codec for values of type T. */
export interface Codec<T> {
  write(w: Writer, value: T): void;
  read(r: Reader): T;
}

export type Infer<C> = C extends Codec<infer T> ? T : never;

/**
 * A writer kept for small encodes (state records, votes, headers: several per transaction), so
 * each costs one exact-size copy instead of a fresh buffer, a DataView and regrowth. Taken while
 * in use, so an encode nested inside a codec gets its own.
 */
let spare: Writer | null = null;
const SPARE_MAX = 1 << 16;

export function encode<T>(codec: Codec<T>, value: T, sizeHint = 128): Uint8Array {
  if (sizeHint > SPARE_MAX || spare === null) {
    if (sizeHint > SPARE_MAX) {
      const w = new Writer(sizeHint);
      codec.write(w, value);
      return w.finish();
    }
    spare = new Writer(4096);
  }
  const w = spare;
  spare = null;
  w.truncate(0);
  try {
    codec.write(w, value);
  } catch (err) {
    spare = w;
    throw err;
  }
  if (w.length > SPARE_MAX) return w.finish(); // keep the big buffer as the result, not as spare
  const out = w.finish().slice();
  spare = w;
  return out;
}

/** Decodes a whole buffer; throws DecodeError on malformed or trailing input. */
export function decode<T>(codec: Codec<T>, bytes: Uint8Array): T {
  const r = new Reader(bytes);
  const v = codec.read(r);
  r.end();
  return v;
}

function check(cond: boolean, message: string): asserts cond {
  if (!cond) throw new DecodeError(message);
}

export const u8: Codec<number> = {
  write: (w, v) => {
    check(Number.isInteger(v) && v >= 0 && v <= 0xff, 'u8 out of range');
    w.u8(v);
  },
  read: (r) => r.u8(),
};

export const u16: Codec<number> = {
  write: (w, v) => {
    check(Number.isInteger(v) && v >= 0 && v <= 0xffff, 'u16 out of range');
    w.u16(v);
  },
  read: (r) => r.u16(),
};

export const u32: Codec<number> = {
  write: (w, v) => {
    check(Number.isInteger(v) && v >= 0 && v <= 0xffffffff, 'u32 out of range');
    w.u32(v);
  },
  read: (r) => r.u32(),
};

const U64_MAX = (1n << 64n) - 1n;

/** Unsigned 64-bit integer as bigint (amounts: Wh, satang). */
export const u64: Codec<bigint> = {
  write: (w, v) => {
    check(typeof v === 'bigint' && v >= 0n && v <= U64_MAX, 'u64 out of range');
    w.u64(v);
  },
  read: (r) => r.u64(),
};

/** Unsigned integer up to 2^53 − 1 carried as a JS number (heights, times in ms). */
export const uint: Codec<number> = {
  write: (w, v) => {
    check(Number.isSafeInteger(v) && v >= 0, 'uint out of range');
    w.uint53(v);
  },
  read: (r) => r.uint53(),
};

export const bool: Codec<boolean> = {
  write: (w, v) => w.u8(v ? 1 : 0),
  read: (r) => {
    const b = r.u8();
    check(b === 0 || b === 1, 'bool flag not 0/1');
    return b === 1;
  },
};

/** Fixed-length bytes carried as lowercase hex (addresses, hashes). */
export function hexBytes(n: number): Codec<string> {
  return {
    write: (w, v) => {
      check(typeof v === 'string' && w.hex(v, n), `expected ${n} bytes of lowercase hex`);
    },
    read: (r) => r.hex(n),
  };
}

export const hex32 = hexBytes(32);

export function fixedBytes(n: number): Codec<Uint8Array> {
  return {
    write: (w, v) => {
      check(v instanceof Uint8Array && v.length === n, `expected ${n} bytes`);
      w.raw(v);
    },
    read: (r) => r.raw(n),
  };
}

/** Variable-length bytes with a u32 length prefix. */
export function varBytes(max: number): Codec<Uint8Array> {
  return {
    write: (w, v) => {
      check(v.length <= max, 'bytes too long');
      w.u32(v.length);
      w.raw(v);
    },
    read: (r) => {
      const n = r.u32();
      check(n <= max, 'bytes too long');
      return r.raw(n);
    },
  };
}

/** UTF-8 text with a u16 byte-length prefix; `pattern` restricts identifiers. */
export function text(maxBytes: number, pattern?: RegExp): Codec<string> {
  return {
    write: (w, v) => {
      check(typeof v === 'string', 'expected string');
      // Identifiers are short ASCII: their UTF-8 is their char codes, written in place.
      const at = w.length;
      if (v.length <= maxBytes) {
        w.u16(v.length);
        if (w.ascii(v)) {
          check(pattern === undefined || pattern.test(v), 'text has a forbidden character');
          return;
        }
        w.truncate(at);
      }
      const bytes = utf8(v);
      check(bytes.length <= maxBytes, 'text too long');
      check(pattern === undefined || pattern.test(v), 'text has a forbidden character');
      w.u16(bytes.length);
      w.raw(bytes);
    },
    read: (r) => {
      const n = r.u16();
      check(n <= maxBytes, 'text too long');
      let v: string;
      try {
        v = fromUtf8(r.raw(n));
      } catch {
        throw new DecodeError('invalid UTF-8');
      }
      check(pattern === undefined || pattern.test(v), 'text has a forbidden character');
      return v;
    },
  };
}

/** One of a closed list of strings, encoded as its index. */
export function oneOf<const V extends readonly string[]>(values: V): Codec<V[number]> {
  return {
    write: (w, v) => {
      const i = values.indexOf(v);
      check(i >= 0, `not one of ${values.join(', ')}`);
      w.u8(i);
    },
    read: (r) => {
      const v = values[r.u8()];
      check(v !== undefined, 'enum index out of range');
      return v;
    },
  };
}

export function list<T>(item: Codec<T>, max: number): Codec<readonly T[]> {
  return {
    write: (w, v) => {
      check(v.length <= max, 'list too long');
      w.u32(v.length);
      for (const x of v) item.write(w, x);
    },
    read: (r) => {
      const n = r.u32();
      check(n <= max, 'list too long');
      const out: T[] = [];
      for (let i = 0; i < n; i++) out.push(item.read(r));
      return out;
    },
  };
}

export function optional<T>(item: Codec<T>): Codec<T | null> {
  return {
    write: (w, v) => {
      if (v === null) {
        w.u8(0);
      } else {
        w.u8(1);
        item.write(w, v);
      }
    },
    read: (r) => {
      const flag = r.u8();
      check(flag === 0 || flag === 1, 'option flag not 0/1');
      return flag === 1 ? item.read(r) : null;
    },
  };
}

type Fields = Record<string, Codec<unknown>>;
type StructOf<F> = { readonly [K in keyof F]: F[K] extends Codec<infer T> ? T : never };

/** Fields encoded in declaration order. */
export function struct<F extends Record<string, Codec<unknown>>>(fields: F): Codec<StructOf<F>> {
  const entries: [string, Codec<unknown>][] = Object.entries(fields as unknown as Fields);
  return {
    write: (w, v) => {
      const obj = v as Record<string, unknown>;
      for (const [k, c] of entries) c.write(w, obj[k]);
    },
    read: (r) => {
      const obj: Record<string, unknown> = {};
      for (const [k, c] of entries) obj[k] = c.read(r);
      return obj as StructOf<F>;
    },
  };
}

type VariantsOf<V> = {
  [K in keyof V]: { readonly type: K } & (V[K] extends Codec<infer T> ? T : never);
}[keyof V];

/** A tagged union: a u8 tag (index of the variant) and the variant's fields. */
export function tagged<V extends Record<string, Codec<unknown>>>(
  variants: V,
): Codec<VariantsOf<V>> {
  const names = Object.keys(variants);
  return {
    write: (w, v) => {
      const value = v as { type: string };
      const i = names.indexOf(value.type);
      check(i >= 0, `unknown variant ${value.type}`);
      w.u8(i);
      (variants[value.type] as Codec<unknown>).write(w, value);
    },
    read: (r) => {
      const name = names[r.u8()];
      check(name !== undefined, 'variant tag out of range');
      const body = (variants[name] as Codec<object>).read(r);
      return { type: name, ...body } as VariantsOf<V>;
    },
  };
}
