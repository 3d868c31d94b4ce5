// ENC-1..4: one encoding per value. Decoding then encoding is the identity on every byte string
// the decoder accepts, and arbitrary mutations are either refused or re-encode to themselves.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { concatBytes, toHex, utf8 } from '../src/internal/bytes.ts';
import {
  DecodeError,
  decode,
  encode,
  hex32,
  list,
  optional,
  struct,
  text,
  u64,
  uint,
} from '../src/internal/encoding.ts';
import { decodeTx, internTx, withPowNonce } from '../src/internal/tx/tx.ts';
import { decodeBlock, encodeBlock, buildBlock } from '../src/internal/block.ts';
import { BUYERS, CHAIN_ID, CLEARING, EGAT, SELLERS } from './support/fixtures.ts';
import { thbOf, trade, tx } from './support/txs.ts';

const sample = [
  trade(BUYERS[0]!, SELLERS[0]!, thbOf(BUYERS[0]!), { tradeId: 'enc-1' }),
  tx('GOV_PROPOSE', EGAT, {
    proposalId: 'p',
    title: 'ราคาเพดาน',
    action: { type: 'ROLE_GRANT', address: CLEARING.address, role: 'CLEARING' },
    deadlineHeight: 5,
    effectiveHeight: 6,
  }),
  tx('TRANSFER', BUYERS[1]!, {
    inputs: [thbOf(BUYERS[1]!)],
    outputs: [{ owner: SELLERS[1]!.address, asset: 'THB', amount: 100_000_000n }],
  }),
];

/** A block at height 3 over `txs`, with a one-signature last commit (encoding only). */
const sampleBlock = (txs: typeof sample) =>
  buildBlock(CHAIN_ID, {
    height: 3,
    parentHash: '11'.repeat(32),
    timeMs: 1_767_225_700_000,
    proposer: EGAT.address,
    stateRoot: '22'.repeat(32),
    gridHash: '33'.repeat(32),
    txs,
    evidence: [],
    lastCommit: {
      height: 2,
      round: 1,
      blockHash: '11'.repeat(32),
      signatures: [{ validator: EGAT.address, signature: new Uint8Array(64).fill(9) }],
    },
  });

describe('canonical encoding (ENC-1..4)', () => {
  it('transactions round-trip byte for byte', () => {
    for (const t of sample) {
      const back = decodeTx(CHAIN_ID, t.bytes);
      expect(toHex(back.bytes)).toBe(toHex(t.bytes));
      expect(back.hash).toBe(t.hash);
      expect(back.body).toEqual(t.body);
    }
  });

  it('a transaction built here and interned decodes to itself, only byte for byte', () => {
    const built = trade(BUYERS[2]!, SELLERS[2]!, thbOf(BUYERS[2]!));
    // Not interned yet: its bytes decode to a fresh object.
    expect(decodeTx(CHAIN_ID, built.bytes)).not.toBe(built);
    internTx(built);
    expect(decodeTx(CHAIN_ID, built.bytes)).toBe(built);
    // Inside a block, too.
    expect(decodeBlock(CHAIN_ID, encodeBlock(sampleBlock([built]))).txs[0]).toBe(built);
    // Another stamp over the same sign bytes has the same hash but other bytes: decoded afresh.
    const restamped = withPowNonce(built, built.powNonce + 1n);
    expect(restamped.hash).toBe(built.hash);
    const decoded = decodeTx(CHAIN_ID, restamped.bytes);
    expect(decoded).not.toBe(built);
    expect(toHex(decoded.bytes)).toBe(toHex(restamped.bytes));
    // Another chain's decode of the same bytes never returns this chain's object.
    expect(decodeTx(`${CHAIN_ID}-other`, built.bytes)).not.toBe(built);
  });

  it('mutated transaction bytes are refused or re-encode to themselves', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: sample.length - 1 }),
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        fc.boolean(),
        (i, pos, xor, truncate) => {
          const bytes = sample[i]!.bytes.slice();
          const at = pos % bytes.length;
          const mutated = truncate ? bytes.subarray(0, at) : ((bytes[at]! ^= xor), bytes);
          let decoded;
          try {
            decoded = decodeTx(CHAIN_ID, mutated);
          } catch (err) {
            expect(err).toBeInstanceOf(DecodeError);
            return;
          }
          expect(toHex(decoded.bytes)).toBe(toHex(mutated));
        },
      ),
      { numRuns: 2_000 },
    );
  });

  it('trailing bytes, bad flags and invalid UTF-8 are refused', () => {
    const c = struct({ a: optional(u64), b: text(10) });
    const good = encode(c, { a: 5n, b: 'ok' });
    expect(() => decode(c, new Uint8Array([...good, 0]))).toThrow(DecodeError);
    const badFlag = good.slice();
    badFlag[0] = 2;
    expect(() => decode(c, badFlag)).toThrow(DecodeError);
    expect(() => decode(text(10), new Uint8Array([0, 2, 0xc3, 0x28]))).toThrow(DecodeError);
    expect(() => decode(uint, new Uint8Array([0xff, 0, 0, 0, 0, 0, 0, 0]))).toThrow(DecodeError);
    expect(() => encode(list(u64, 1), [1n, 2n])).toThrow(DecodeError);
  });

  it('random structures round-trip', () => {
    const c = struct({ xs: list(u64, 50), s: text(200), o: optional(uint) });
    fc.assert(
      fc.property(
        fc.array(fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), { maxLength: 50 }),
        fc.string({ maxLength: 50 }),
        fc.option(fc.nat()),
        (xs, s, o) => {
          const v = { xs, s, o };
          const bytes = encode(c, v);
          expect(decode(c, bytes)).toEqual(v);
          expect(toHex(encode(c, decode(c, bytes)))).toBe(toHex(bytes));
        },
      ),
    );
  });

  it('blocks round-trip', () => {
    const block = sampleBlock(sample);
    const back = decodeBlock(CHAIN_ID, encodeBlock(block));
    expect(back.hash).toBe(block.hash);
    expect(toHex(encodeBlock(back))).toBe(toHex(encodeBlock(block)));
  });

  it('fast paths write what the plain definitions write (uint, hex32, text) and refuse the same', () => {
    // Reference encodings: uint as a u64 bigint, hex32 as its 32 bytes, text as u16 ‖ UTF-8.
    fc.assert(
      fc.property(fc.nat({ max: Number.MAX_SAFE_INTEGER }), (n) => {
        const want = new Uint8Array(8);
        new DataView(want.buffer).setBigUint64(0, BigInt(n));
        expect(toHex(encode(uint, n))).toBe(toHex(want));
        expect(decode(uint, want)).toBe(n);
      }),
    );
    const above = new Uint8Array(8);
    new DataView(above.buffer).setBigUint64(0, BigInt(Number.MAX_SAFE_INTEGER) + 1n);
    expect(() => decode(uint, above)).toThrow(DecodeError);
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (b) => {
        expect(toHex(encode(hex32, toHex(b)))).toBe(toHex(b));
        expect(decode(hex32, b)).toBe(toHex(b));
      }),
    );
    for (const bad of ['AB'.repeat(32), 'g0'.repeat(32), 'ab'.repeat(31), 'ab'.repeat(33), ''])
      expect(() => encode(hex32, bad)).toThrow(DecodeError);
    const t = text(12);
    fc.assert(
      fc.property(fc.string({ maxLength: 14, unit: 'binary' }), (s) => {
        const bytes = utf8(s);
        if (bytes.length > 12) {
          expect(() => encode(t, s)).toThrow(DecodeError);
          return;
        }
        const len = new Uint8Array([bytes.length >> 8, bytes.length & 0xff]);
        expect(toHex(encode(t, s))).toBe(toHex(concatBytes(len, bytes)));
      }),
    );
  });
});
