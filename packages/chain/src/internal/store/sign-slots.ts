// The file store's sign state (STORE-4, STORE-5): two preallocated slot files written in turn,
// each holding a sequence number, a length, a checksum and the state. A write overwrites the
// older slot in place and fdatasyncs it (no open, rename or directory change per signed vote),
// so a torn write can only damage the slot that did not hold the latest durable state.
import { open, readFile, rm } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { ChainError } from '../../errors.ts';
import { equalBytes } from '../bytes.ts';
import { sha256Parts } from '../crypto/hash.ts';
import { syncDirectory, writeDurably } from './durable.ts';

const MAGIC = 0x47535331; // "GSS1"
/** magic u32 ‖ sequence u64 ‖ length u32 ‖ kind u32 ‖ SHA-256(first 20 bytes ‖ state). */
const HEADER = 20 + 32;
const KIND_NONE = 0;
const KIND_STATE = 1;
/** Each slot starts this large (zero-filled), so the usual write does not grow the file. */
const PREALLOCATED = 64 * 1024;
const SLOT_NAMES = ['sign-state.0', 'sign-state.1'] as const;
/** Where the sign state lived before the slots (one file replaced by rename); read once. */
const LEGACY_NAME = 'sign-state.bin';

interface SlotRecord {
  readonly sequence: number;
  /** null: nothing signed yet. */
  readonly state: Uint8Array | null;
}

function frame(record: SlotRecord, minSize: number): Uint8Array {
  const state = record.state ?? new Uint8Array(0);
  const bytes = new Uint8Array(Math.max(minSize, HEADER + state.length));
  const view = new DataView(bytes.buffer);
  view.setUint32(0, MAGIC);
  view.setUint32(4, Math.floor(record.sequence / 2 ** 32));
  view.setUint32(8, record.sequence >>> 0);
  view.setUint32(12, state.length);
  view.setUint32(16, record.state === null ? KIND_NONE : KIND_STATE);
  bytes.set(sha256Parts(bytes.subarray(0, 20), state), 20);
  bytes.set(state, HEADER);
  return bytes;
}

/** The record a slot file holds, or null when it is missing, torn or damaged. */
export function parseSlot(bytes: Uint8Array | null): SlotRecord | null {
  if (bytes === null || bytes.length < HEADER) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  if (view.getUint32(0) !== MAGIC) return null;
  const length = view.getUint32(12);
  const kind = view.getUint32(16);
  if (HEADER + length > bytes.length || (kind !== KIND_NONE && kind !== KIND_STATE)) return null;
  if (kind === KIND_NONE && length !== 0) return null;
  const state = bytes.subarray(HEADER, HEADER + length);
  if (!equalBytes(sha256Parts(bytes.subarray(0, 20), state), bytes.subarray(20, HEADER))) {
    return null;
  }
  return {
    sequence: view.getUint32(4) * 2 ** 32 + view.getUint32(8),
    state: kind === KIND_NONE ? null : state.slice(),
  };
}

async function readIfExists(path: string): Promise<Uint8Array | null> {
  return readFile(path).then(
    (b) => new Uint8Array(b),
    (err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return null;
      throw err;
    },
  );
}

/** Creates `path` whole or not at all (temp file, fsync, rename, directory fsync). */
/** Creates `path` whole or not at all. */
async function createDurably(dir: string, name: string, bytes: Uint8Array): Promise<void> {
  await writeDurably(join(dir, name), bytes);
  await syncDirectory(dir);
}

export class SignStateSlots {
  private writing: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly handles: readonly [FileHandle, FileHandle],
    private latest: SlotRecord,
  ) {}

  /**
   * Opens the two slots in `dir`, creating them (from the legacy single file, if any) when
   * neither exists. Both present and neither valid is `CHAIN_STORE_CORRUPT`: the state a
   * signature was released under is gone, and signing on without it could double-sign.
   */
  static async open(dir: string): Promise<SignStateSlots> {
    const files = await Promise.all(SLOT_NAMES.map((n) => readIfExists(join(dir, n))));
    let latest: SlotRecord;
    if (files.every((f) => f === null)) {
      const legacy = await readIfExists(join(dir, LEGACY_NAME));
      latest = { sequence: 0, state: legacy };
      // Both slots hold the starting state, so a torn first write still leaves it readable.
      for (const name of SLOT_NAMES) await createDurably(dir, name, frame(latest, PREALLOCATED));
      if (legacy !== null) await rm(join(dir, LEGACY_NAME), { force: true });
    } else {
      const valid = files.map(parseSlot).filter((r): r is SlotRecord => r !== null);
      const best = valid.sort((a, b) => b.sequence - a.sequence)[0];
      if (best === undefined) {
        throw new ChainError(
          'CHAIN_STORE_CORRUPT',
          'sign state: both slots are damaged (the last signed state is lost)',
        );
      }
      latest = best;
      // A crash while the slots were first created can leave one missing: recreate it.
      for (const [i, name] of SLOT_NAMES.entries()) {
        if (files[i] === null) await createDurably(dir, name, frame(latest, PREALLOCATED));
      }
    }
    const handles = await Promise.all(SLOT_NAMES.map((n) => open(join(dir, n), 'r+')));
    return new SignStateSlots([handles[0]!, handles[1]!], latest);
  }

  /** The state of the newest valid slot (null: nothing signed yet). */
  get state(): Uint8Array | null {
    return this.latest.state;
  }

  /**
   * Overwrites the slot not holding the latest state and fdatasyncs it; resolves once the new
   * state is durable. A failed write leaves `latest` as it was, so the next write goes to the
   * same (possibly damaged) slot and never to the one holding the last durable state.
   */
  put(state: Uint8Array): Promise<void> {
    const run = async (): Promise<void> => {
      const next = { sequence: this.latest.sequence + 1, state: state.slice() };
      const fh = this.handles[next.sequence % 2]!;
      const bytes = frame(next, 0);
      for (let at = 0; at < bytes.length;) {
        at += (await fh.write(bytes, at, bytes.length - at, at)).bytesWritten;
      }
      await fh.datasync();
      this.latest = next;
    };
    const result = this.writing.then(run);
    this.writing = result.catch(() => undefined);
    return result;
  }

  async close(): Promise<void> {
    await this.writing;
    await Promise.all(this.handles.map((h) => h.close()));
  }
}
