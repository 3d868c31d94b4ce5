// Encodings of state changes and full-state snapshots for stores: sorted (key, value) pairs,
// a missing value meaning "deleted". Restart replays these diffs instead of re-executing blocks.
import { decode, encode, list, optional, struct, text, varBytes } from '../encoding.ts';
import type { EncodedChanges } from '../state/view.ts';

const entryCodec = struct({ key: text(1024), value: optional(varBytes(1 << 24)) });
const entriesCodec = list(entryCodec, 100_000_000);

export function encodeStateDiff(changes: EncodedChanges): Uint8Array {
  const keys = [...changes.keys()].sort();
  return encode(
    entriesCodec,
    keys.map((key) => ({ key, value: changes.get(key) ?? null })),
    64 * keys.length + 64,
  );
}

export function decodeStateDiff(bytes: Uint8Array): EncodedChanges {
  const out: EncodedChanges = new Map();
  for (const e of decode(entriesCodec, bytes)) out.set(e.key, e.value);
  return out;
}

export function encodeSnapshot(entries: Iterable<[string, Uint8Array]>): Uint8Array {
  const list: { key: string; value: Uint8Array | null }[] = [];
  for (const [key, value] of entries) list.push({ key, value });
  return encode(entriesCodec, list, 1 << 16);
}
