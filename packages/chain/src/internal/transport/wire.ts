// The wire format of peer messages: one tag byte, then canonical fields. Blocks and transactions
// travel as their canonical encodings and are fully decoded (and later verified) on arrival.
import {
  DecodeError,
  Reader,
  Writer,
  fixedBytes,
  hex32,
  list,
  optional,
  struct,
  text,
  u32,
  u8,
  uint,
  varBytes,
} from '../encoding.ts';
import { decodeBlock, decodeCommit, encodeBlock, encodeCommit } from '../block.ts';
import { voteCodec } from '../consensus/types.ts';
import { decodeTx } from '../tx/tx.ts';
import type { PeerMessage } from './transport.ts';

export const TAGS = [
  'txs',
  'proposal',
  'vote',
  'status',
  'syncRequest',
  'syncResponse',
  'subscribe',
  'txResults',
  'committed',
  'hello',
] as const;

const txList = list(varBytes(1 << 20), 100_000);
const proposalFields = struct({
  height: uint,
  round: u32,
  validRoundPlusOne: u32,
  proposer: hex32,
  signature: fixedBytes(64),
  block: varBytes(1 << 26),
});
const statusFields = struct({ height: uint, round: u32 });
const syncRequestFields = struct({ fromHeight: uint, maxBlocks: u32 });
const syncResponseFields = list(
  struct({ block: varBytes(1 << 26), commit: varBytes(1 << 20) }),
  1_000,
);
const txResultsFields = list(struct({ hash: hex32, code: optional(text(64)) }), 100_000);
const committedFields = struct({
  height: uint,
  hash: hex32,
  round: u32,
  timeMs: uint,
  txHashes: list(hex32, 1_000_000),
});
export const helloFields = struct({ chainId: text(64), address: hex32, role: u8 });

export interface Hello {
  readonly chainId: string;
  /** The sender's validator address (zeros for a client). */
  readonly address: string;
  /** 0 = validator peer, 1 = client. */
  readonly role: number;
}

export function encodeHello(hello: Hello): Uint8Array {
  const w = new Writer(128);
  w.u8(TAGS.indexOf('hello'));
  helloFields.write(w, hello);
  return w.finish();
}

export function decodeHello(bytes: Uint8Array): Hello | null {
  try {
    const r = new Reader(bytes);
    if (TAGS[r.u8()] !== 'hello') return null;
    const h = helloFields.read(r);
    r.end();
    return h;
  } catch {
    return null;
  }
}

export function encodeMessage(m: PeerMessage): Uint8Array {
  const w = new Writer(256);
  w.u8(TAGS.indexOf(m.type));
  switch (m.type) {
    case 'txs':
      txList.write(
        w,
        m.txs.map((t) => t.bytes),
      );
      break;
    case 'proposal': {
      const p = m.proposal;
      proposalFields.write(w, {
        height: p.height,
        round: p.round,
        validRoundPlusOne: p.validRound + 1,
        proposer: p.proposer,
        signature: p.signature,
        block: encodeBlock(p.block),
      });
      break;
    }
    case 'vote':
      voteCodec.write(w, m.vote);
      break;
    case 'status':
      statusFields.write(w, { height: m.height, round: m.round });
      break;
    case 'syncRequest':
      syncRequestFields.write(w, { fromHeight: m.fromHeight, maxBlocks: m.maxBlocks });
      break;
    case 'syncResponse':
      syncResponseFields.write(
        w,
        m.blocks.map((b) => ({ block: encodeBlock(b.block), commit: encodeCommit(b.commit) })),
      );
      break;
    case 'subscribe':
      break;
    case 'txResults':
      txResultsFields.write(w, m.results);
      break;
    case 'committed':
      committedFields.write(w, m);
      break;
  }
  return w.finish();
}

/** Decodes a peer message; throws DecodeError on anything malformed. */
export function decodeMessage(chainId: string, bytes: Uint8Array): PeerMessage {
  const r = new Reader(bytes);
  const tag = TAGS[r.u8()];
  if (tag === undefined || tag === 'hello') throw new DecodeError('unexpected message tag');
  let m: PeerMessage;
  switch (tag) {
    case 'txs':
      m = { type: 'txs', txs: txList.read(r).map((b) => decodeTx(chainId, b)) };
      break;
    case 'proposal': {
      const p = proposalFields.read(r);
      m = {
        type: 'proposal',
        proposal: {
          height: p.height,
          round: p.round,
          validRound: p.validRoundPlusOne - 1,
          proposer: p.proposer,
          signature: p.signature,
          block: decodeBlock(chainId, p.block),
        },
      };
      break;
    }
    case 'vote':
      m = { type: 'vote', vote: Object.freeze(voteCodec.read(r)) };
      break;
    case 'status':
      m = { type: 'status', ...statusFields.read(r) };
      break;
    case 'syncRequest':
      m = { type: 'syncRequest', ...syncRequestFields.read(r) };
      break;
    case 'syncResponse':
      m = {
        type: 'syncResponse',
        blocks: syncResponseFields.read(r).map((b) => ({
          block: decodeBlock(chainId, b.block),
          commit: decodeCommit(b.commit),
        })),
      };
      break;
    case 'subscribe':
      m = { type: 'subscribe' };
      break;
    case 'txResults':
      m = { type: 'txResults', results: txResultsFields.read(r) };
      break;
    case 'committed':
      m = { type: 'committed', ...committedFields.read(r) };
      break;
  }
  r.end();
  return m;
}
