// The signing guard (CONS-10, CONS-14): no earlier step and no second message at a step, the body
// of the latest precommit for a block kept with it, earlier rounds' nil votes pruned, and sign
// states written by the first format (a bare entry list) still read.
import { describe, expect, it } from 'vitest';
import { utf8 } from '../src/internal/bytes.ts';
import {
  encode,
  fixedBytes,
  hex32,
  list,
  optional,
  struct,
  u32,
  u8,
  uint,
  varBytes,
} from '../src/internal/encoding.ts';
import { createFastSigner } from '../src/internal/crypto/node-ed25519.ts';
import {
  PrivValidator,
  STEP_PRECOMMIT,
  STEP_PREVOTE,
  STEP_PROPOSE,
  decodeSignState,
} from '../src/internal/consensus/privval.ts';
import { MemoryStore } from '../src/internal/store/memory-store.ts';
import { EGAT } from './support/fixtures.ts';

const A = 'aa'.repeat(32);
const B = 'bb'.repeat(32);
const bytes = (s: string): Uint8Array => utf8(s);

async function fresh(): Promise<{ pv: PrivValidator; store: MemoryStore }> {
  const store = new MemoryStore();
  const pv = new PrivValidator(createFastSigner(EGAT.secretKey), store);
  await pv.load();
  return { pv, store };
}

describe('signing guard (CONS-10, CONS-14)', () => {
  it('refuses earlier steps and a different message at a signed step; re-signs the same one', async () => {
    const { pv } = await fresh();
    const first = await pv.sign(5, 1, STEP_PREVOTE, bytes('prevote A'), A);
    expect(first).not.toBeNull();
    expect(await pv.sign(5, 1, STEP_PREVOTE, bytes('prevote A'), A)).toEqual(first);
    expect(await pv.sign(5, 1, STEP_PREVOTE, bytes('prevote B'), B)).toBeNull();
    expect(await pv.sign(5, 0, STEP_PRECOMMIT, bytes('late'), A)).toBeNull();
    expect(await pv.sign(4, 9, STEP_PRECOMMIT, bytes('old height'), A)).toBeNull();
  });

  it('persists the locked block with a precommit for it and restores it after a restart (CONS-14)', async () => {
    const { pv, store } = await fresh();
    await pv.sign(7, 0, STEP_PREVOTE, bytes('pv'), A);
    await pv.sign(7, 0, STEP_PRECOMMIT, bytes('pc'), A, () => Uint8Array.of(1, 2, 3));
    await pv.sign(7, 1, STEP_PREVOTE, bytes('pv1'), null);
    const again = new PrivValidator(createFastSigner(EGAT.secretKey), store);
    await again.load();
    expect(again.lockedAt(7)).toEqual({ blockHash: A, block: Uint8Array.of(1, 2, 3) });
    expect(again.lockedAt(8)).toBeNull();
    expect(again.signedAt(7).map((s) => [s.round, s.step, s.blockHash])).toEqual([
      [0, STEP_PREVOTE, A],
      [0, STEP_PRECOMMIT, A],
      [1, STEP_PREVOTE, null],
    ]);
    // A later precommit for another block replaces the lock; a new height clears it.
    await again.sign(7, 2, STEP_PRECOMMIT, bytes('pc2'), B, () => Uint8Array.of(9));
    expect(again.lockedAt(7)).toEqual({ blockHash: B, block: Uint8Array.of(9) });
    await again.sign(8, 0, STEP_PREVOTE, bytes('next'), null);
    expect(again.lockedAt(8)).toBeNull();
    expect(again.signedAt(7)).toEqual([]);
  });

  it("prunes earlier rounds' nil votes and proposals, keeping votes for blocks and the last entry", async () => {
    const { pv, store } = await fresh();
    await pv.sign(3, 0, STEP_PROPOSE, bytes('prop'), A);
    await pv.sign(3, 0, STEP_PREVOTE, bytes('pv A'), A);
    await pv.sign(3, 0, STEP_PRECOMMIT, bytes('pc nil'), null);
    for (let r = 1; r < 50; r++) {
      await pv.sign(3, r, STEP_PREVOTE, bytes(`pv ${r}`), null);
      await pv.sign(3, r, STEP_PRECOMMIT, bytes(`pc ${r}`), null);
    }
    const kept = decodeSignState((await store.signState())!).entries;
    expect(kept.map((s) => [s.round, s.step])).toEqual([
      [0, STEP_PREVOTE],
      [49, STEP_PREVOTE],
      [49, STEP_PRECOMMIT],
    ]);
    // The guard still refuses anything before the last entry.
    expect(await pv.sign(3, 48, STEP_PRECOMMIT, bytes('pc 48'), null)).toBeNull();
  });

  it('reads a sign state in the first format (a bare list of entries, no lock)', async () => {
    const signed = struct({
      height: uint,
      round: u32,
      step: u8,
      blockHash: optional(hex32),
      signBytes: varBytes(1024),
      signature: fixedBytes(64),
    });
    const old = encode(list(signed, 10_000), [
      {
        height: 16,
        round: 2,
        step: STEP_PRECOMMIT,
        blockHash: A,
        signBytes: bytes('pc'),
        signature: new Uint8Array(64).fill(7),
      },
    ]);
    const store = new MemoryStore();
    await store.putSignState(old);
    const pv = new PrivValidator(createFastSigner(EGAT.secretKey), store);
    await pv.load();
    expect(pv.signedAt(16)).toHaveLength(1);
    expect(pv.lockedAt(16)).toBeNull();
    expect(await pv.sign(16, 2, STEP_PREVOTE, bytes('earlier step'), null)).toBeNull();
  });
});
