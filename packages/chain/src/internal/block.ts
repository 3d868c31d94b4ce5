// Blocks: a header that commits to everything (parent, time, proposer, tx Merkle root, state
// root, grid-state hash, last commit, evidence) and a body of transactions ≤ 1 MB (BLK-1..5).
// The block hash is SHA-256 over the chain id and the canonical header, fixed once built.
import { concatBytes, toHex } from './bytes.ts';
import {
  DecodeError,
  Reader,
  Writer,
  decode,
  encode,
  hex32,
  list,
  optional,
  struct,
  u32,
  uint,
  varBytes,
} from './encoding.ts';
import type { Infer } from './encoding.ts';
import { domainPrefix, sha256 } from './crypto/hash.ts';
import { merkleInclusionProof, merkleLeafHash, merkleRoot } from './merkle.ts';
import type { InclusionProof } from './merkle.ts';
import { decodeTx } from './tx/tx.ts';
import type { Tx } from './tx/tx.ts';
import { commitCodec, commitHash, evidenceCodec, evidenceListHash } from './consensus/types.ts';
import type { CommitCertificate, Evidence } from './consensus/types.ts';

export const BLOCK_VERSION = 1;

export const headerCodec = struct({
  version: u32,
  height: uint,
  parentHash: hex32,
  timeMs: uint,
  proposer: hex32,
  txCount: u32,
  txRoot: hex32,
  stateRoot: hex32,
  gridHash: hex32,
  lastCommitHash: hex32,
  evidenceHash: hex32,
});
export type BlockHeader = Infer<typeof headerCodec>;

export interface Block {
  readonly chainId: string;
  readonly header: BlockHeader;
  readonly hash: string;
  readonly txs: readonly Tx[];
  readonly evidence: readonly Evidence[];
  /** The commit certificate of the parent (null in block 1). */
  readonly lastCommit: CommitCertificate | null;
  /** Sum of the transactions' wire sizes (BLK-2 limits it). */
  readonly bodyBytes: number;
}

export function blockHashOf(chainId: string, header: BlockHeader): string {
  return toHex(sha256(concatBytes(domainPrefix('block', chainId), encode(headerCodec, header))));
}

/** Leaf hashes are cached per (frozen) transaction object: blocks are re-hashed by every check. */
const leafCache = new WeakMap<Tx, Uint8Array>();

export function txLeafHashes(txs: readonly Tx[]): Uint8Array[] {
  return txs.map((tx) => {
    let leaf = leafCache.get(tx);
    if (leaf === undefined) leafCache.set(tx, (leaf = merkleLeafHash(tx.bytes)));
    return leaf;
  });
}

export function txRootOf(txs: readonly Tx[]): string {
  return toHex(merkleRoot(txLeafHashes(txs)));
}

export interface BlockFields {
  readonly height: number;
  readonly parentHash: string;
  readonly timeMs: number;
  readonly proposer: string;
  readonly stateRoot: string;
  readonly gridHash: string;
  readonly txs: readonly Tx[];
  readonly evidence: readonly Evidence[];
  readonly lastCommit: CommitCertificate | null;
}

export function buildBlock(chainId: string, f: BlockFields): Block {
  const header: BlockHeader = {
    version: BLOCK_VERSION,
    height: f.height,
    parentHash: f.parentHash,
    timeMs: f.timeMs,
    proposer: f.proposer,
    txCount: f.txs.length,
    txRoot: txRootOf(f.txs),
    stateRoot: f.stateRoot,
    gridHash: f.gridHash,
    lastCommitHash: toHex(commitHash(chainId, f.lastCommit)),
    evidenceHash: toHex(evidenceListHash(chainId, f.evidence)),
  };
  return freezeBlock(chainId, header, f.txs, f.evidence, f.lastCommit);
}

function freezeBlock(
  chainId: string,
  header: BlockHeader,
  txs: readonly Tx[],
  evidence: readonly Evidence[],
  lastCommit: CommitCertificate | null,
): Block {
  let bodyBytes = 0;
  for (const tx of txs) bodyBytes += tx.bytes.length;
  return Object.freeze({
    chainId,
    header: Object.freeze(header),
    hash: blockHashOf(chainId, header),
    txs: Object.freeze([...txs]),
    evidence: Object.freeze([...evidence]),
    lastCommit,
    bodyBytes,
  });
}

const MAX_BLOCK_TXS = 100_000;
const txBytesCodec = varBytes(1 << 20);

export function encodeBlock(block: Block): Uint8Array {
  const w = new Writer(1024 + block.bodyBytes + 8 * block.txs.length);
  headerCodec.write(w, block.header);
  w.u32(block.txs.length);
  for (const tx of block.txs) txBytesCodec.write(w, tx.bytes);
  list(evidenceCodec, 64).write(w, block.evidence);
  optional(commitCodec).write(w, block.lastCommit);
  return w.finish();
}

const encodedCache = new WeakMap<Block, Uint8Array>();

/** encodeBlock, computed once per (frozen) block object: the lock record and the store share it. */
export function encodeBlockCached(block: Block): Uint8Array {
  let bytes = encodedCache.get(block);
  if (bytes === undefined) encodedCache.set(block, (bytes = encodeBlock(block)));
  return bytes;
}

/**
 * Decodes a block; throws DecodeError on malformed bytes. Whether the header matches the body is
 * checked on validation (headerBodyMismatch), state on execution.
 */
export function decodeBlock(chainId: string, bytes: Uint8Array): Block {
  const r = new Reader(bytes);
  const header = headerCodec.read(r);
  const n = r.u32();
  if (n > MAX_BLOCK_TXS) throw new DecodeError('too many transactions');
  const txs: Tx[] = [];
  for (let i = 0; i < n; i++) txs.push(decodeTx(chainId, txBytesCodec.read(r)));
  const evidence = list(evidenceCodec, 64).read(r);
  const lastCommit = optional(commitCodec).read(r);
  r.end();
  return freezeBlock(chainId, header, txs, evidence, lastCommit);
}

/** Decodes only the header at the start of an encoded block. */
export function decodeBlockHeader(bytes: Uint8Array): BlockHeader {
  return headerCodec.read(new Reader(bytes));
}

export function headerBodyMismatch(block: Block): string | null {
  const { chainId, header, txs, evidence, lastCommit } = block;
  if (header.version !== BLOCK_VERSION) return `unknown block version ${header.version}`;
  if (header.txCount !== txs.length) return 'header tx count does not match the body';
  if (header.txRoot !== txRootOf(txs)) return 'header tx root does not match the body';
  if (header.lastCommitHash !== toHex(commitHash(chainId, lastCommit)))
    return 'last commit hash mismatch';
  if (header.evidenceHash !== toHex(evidenceListHash(chainId, evidence)))
    return 'evidence hash mismatch';
  return null;
}

export function encodeCommit(commit: CommitCertificate): Uint8Array {
  return encode(commitCodec, commit);
}

export function decodeCommit(bytes: Uint8Array): CommitCertificate {
  return decode(commitCodec, bytes);
}

/** BLK-4: a Merkle inclusion proof for the transaction at `index`. */
export function txInclusionProof(block: Block, index: number): InclusionProof {
  return merkleInclusionProof(txLeafHashes(block.txs), index);
}
