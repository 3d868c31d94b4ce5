// A transaction: canonical encoding → sign bytes (chain id prefixed) → hash (TX-1, TX-2). The
// hash covers exactly what is signed, so neither the signature nor the PoW stamp can change a
// transaction's identity. Objects are frozen once built.
import { concatBytes, equalBytes, toHex } from '../bytes.ts';
import { DecodeError, Reader, Writer, hex32, uint } from '../encoding.ts';
import { domainPrefix, sha256 } from '../crypto/hash.ts';
import type { Signer } from '../crypto/keys.ts';
import { bodyCodec, kindCode, kindOfCode } from './kinds.ts';
import type { TxBodies, TxKind } from './kinds.ts';

export const TX_VERSION = 1;
const SIG_AND_STAMP = 64 + 8;

export interface UnsignedTx<K extends TxKind = TxKind> {
  readonly kind: K;
  /** Address (hex public key) of the account that signs. */
  readonly signer: string;
  /** Last height at which the transaction may be included (TX-5). */
  readonly validUntilHeight: number;
  readonly body: TxBodies[K];
}

export interface SignedTx<K extends TxKind = TxKind> extends UnsignedTx<K> {
  readonly chainId: string;
  readonly signature: Uint8Array;
  /** Proof-of-work stamp; 0 when the signer is exempt (POW-1). */
  readonly powNonce: bigint;
  /** Hex SHA-256 of the sign bytes: the transaction's identity. */
  readonly hash: string;
  readonly hashBytes: Uint8Array;
  readonly signBytes: Uint8Array;
  /** Canonical wire encoding: core ‖ signature ‖ PoW nonce. */
  readonly bytes: Uint8Array;
}

/** Any transaction, narrowed by `kind`. */
export type Tx = { [K in TxKind]: SignedTx<K> }[TxKind];

export type UnsignedAnyTx = { [K in TxKind]: UnsignedTx<K> }[TxKind];

/** version ‖ kind ‖ signer ‖ validUntilHeight ‖ body */
export function encodeTxCore(tx: UnsignedTx): Uint8Array {
  const w = new Writer(256);
  w.u8(TX_VERSION);
  w.u8(kindCode(tx.kind));
  hex32.write(w, tx.signer);
  uint.write(w, tx.validUntilHeight);
  bodyCodec(tx.kind).write(w, tx.body);
  return w.finish();
}

export function signBytesOf(chainId: string, core: Uint8Array): Uint8Array {
  return concatBytes(domainPrefix('tx', chainId), core);
}

/**
 * A transaction's bytes live in one buffer, sign bytes first: domain prefix ‖ core ‖ signature ‖
 * PoW nonce. `signBytes`, `bytes` and `signature` are views of it (one allocation per
 * transaction, fewer objects for the collector to move).
 */
function layout(chainId: string, core: Uint8Array, signature: Uint8Array, powNonce: bigint) {
  const prefix = domainPrefix('tx', chainId);
  const buf = new Uint8Array(prefix.length + core.length + SIG_AND_STAMP);
  buf.set(prefix, 0);
  buf.set(core, prefix.length);
  buf.set(signature, prefix.length + core.length);
  new DataView(buf.buffer).setBigUint64(prefix.length + core.length + 64, powNonce);
  return { buf, offset: prefix.length };
}

function freeze(
  chainId: string,
  unsigned: UnsignedTx,
  buf: Uint8Array,
  offset: number,
  powNonce: bigint,
  hashBytes?: Uint8Array,
  hash?: string,
): Tx {
  const coreEnd = buf.length - SIG_AND_STAMP;
  const signBytes = buf.subarray(0, coreEnd);
  const digest = hashBytes ?? sha256(signBytes);
  return Object.freeze({
    kind: unsigned.kind,
    signer: unsigned.signer,
    validUntilHeight: unsigned.validUntilHeight,
    body: Object.freeze(unsigned.body),
    chainId,
    signature: buf.subarray(coreEnd, coreEnd + 64),
    powNonce,
    hash: hash ?? toHex(digest),
    hashBytes: digest,
    signBytes,
    bytes: buf.subarray(offset),
  }) as Tx;
}

function assemble(
  chainId: string,
  unsigned: UnsignedTx,
  core: Uint8Array,
  signature: Uint8Array,
  powNonce: bigint,
): Tx {
  const { buf, offset } = layout(chainId, core, signature, powNonce);
  return freeze(chainId, unsigned, buf, offset, powNonce);
}

/** Signs a transaction. The signer's address must be the transaction's `signer`. */
export function signTx<K extends TxKind>(
  chainId: string,
  unsigned: UnsignedTx<K>,
  signer: Signer,
  powNonce = 0n,
): SignedTx<K> {
  if (signer.address !== unsigned.signer)
    throw new TypeError('signer key does not match tx.signer');
  const core = encodeTxCore(unsigned);
  const signature = signer.sign(signBytesOf(chainId, core));
  return assemble(chainId, unsigned, core, signature, powNonce) as unknown as SignedTx<K>;
}

/** The same transaction with another PoW stamp (identity and signature unchanged). */
export function withPowNonce<T extends Tx>(tx: T, powNonce: bigint): T {
  const core = tx.bytes.subarray(0, tx.bytes.length - SIG_AND_STAMP);
  return assemble(tx.chainId, tx, core, tx.signature, powNonce) as T;
}

/**
 * Recently decoded transactions by hash (which covers the chain id). A validator sees each
 * transaction twice — gossiped, then inside a proposal — and the second decode returns the same
 * frozen object, which the node has already verified. A hit must match byte for byte: another
 * signature or stamp over the same sign bytes is a different object, verified on its own.
 */
const interned = new Map<string, Tx>();
// A transaction is looked up again within seconds (its proposal); a smaller table keeps the old
// generation, which every full collection marks, small.
const INTERN_LIMIT = 50_000;

function intern(tx: Tx): void {
  if (interned.size >= INTERN_LIMIT) {
    const oldest = interned.keys().next().value;
    if (oldest !== undefined) interned.delete(oldest);
  }
  interned.set(tx.hash, tx);
}

/**
 * Remembers a transaction built here (signed, not decoded) so that decoding its bytes later — in
 * the block that includes it — returns this object. A node that admitted it has verified it, so
 * the block check finds it verified instead of running OpenSSL on the same signature again. The
 * byte-for-byte rule of `decodeTx` still applies.
 */
export function internTx(tx: Tx): void {
  const known = interned.get(tx.hash);
  if (known === tx) return;
  if (known !== undefined) interned.delete(tx.hash);
  intern(tx);
}

/** Decodes wire bytes; throws DecodeError if they are not a canonical transaction (ENC-2). */
export function decodeTx(chainId: string, bytes: Uint8Array): Tx {
  if (bytes.length < SIG_AND_STAMP + 2) throw new DecodeError('transaction too short');
  const prefix = domainPrefix('tx', chainId);
  const buf = new Uint8Array(prefix.length + bytes.length);
  buf.set(prefix, 0);
  buf.set(bytes, prefix.length);
  const hashBytes = sha256(buf.subarray(0, buf.length - SIG_AND_STAMP));
  const hash = toHex(hashBytes);
  const known = interned.get(hash);
  if (known !== undefined && known.chainId === chainId && equalBytes(known.bytes, bytes))
    return known;
  const tx = decodeFresh(chainId, buf, prefix.length, hashBytes, hash);
  if (known !== undefined) interned.delete(hash);
  intern(tx);
  return tx;
}

function decodeFresh(
  chainId: string,
  buf: Uint8Array,
  offset: number,
  hashBytes: Uint8Array,
  hash: string,
): Tx {
  const coreEnd = buf.length - SIG_AND_STAMP;
  const r = new Reader(buf.subarray(offset, coreEnd));
  const version = r.u8();
  if (version !== TX_VERSION) throw new DecodeError(`unknown transaction version ${version}`);
  const kind = kindOfCode(r.u8());
  if (kind === undefined) throw new DecodeError('unknown transaction kind');
  const signer = hex32.read(r);
  const validUntilHeight = uint.read(r);
  const body = bodyCodec(kind).read(r);
  r.end();
  const powNonce = new DataView(buf.buffer, buf.byteOffset, buf.byteLength).getBigUint64(
    coreEnd + 64,
  );
  return freeze(
    chainId,
    { kind, signer, validUntilHeight, body },
    buf,
    offset,
    powNonce,
    hashBytes,
    hash,
  );
}
