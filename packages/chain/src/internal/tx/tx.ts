// A transaction: canonical encoding → sign bytes (chain id prefixed) → hash (TX-1, TX-2). The
// hash covers exactly what is signed, so neither the signature nor the PoW stamp can change a
// transaction's identity. Objects are frozen once built.
import { concatBytes, toHex } from '../bytes.ts';
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

function assemble(
  chainId: string,
  unsigned: UnsignedTx,
  core: Uint8Array,
  signature: Uint8Array,
  powNonce: bigint,
  wire?: Uint8Array,
): Tx {
  const signBytes = signBytesOf(chainId, core);
  const hashBytes = sha256(signBytes);
  let bytes = wire;
  if (bytes === undefined) {
    bytes = new Uint8Array(core.length + SIG_AND_STAMP);
    bytes.set(core, 0);
    bytes.set(signature, core.length);
    new DataView(bytes.buffer).setBigUint64(core.length + 64, powNonce);
  }
  return Object.freeze({
    kind: unsigned.kind,
    signer: unsigned.signer,
    validUntilHeight: unsigned.validUntilHeight,
    body: Object.freeze(unsigned.body),
    chainId,
    signature,
    powNonce,
    hash: toHex(hashBytes),
    hashBytes,
    signBytes,
    bytes,
  }) as Tx;
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
 * Recently decoded transactions by (chain id, SHA-256 of the bytes). A validator sees each
 * transaction twice — gossiped, then inside a proposal — and the second decode returns the same
 * frozen object, which the node has already verified.
 */
const interned = new Map<string, Tx>();
const INTERN_LIMIT = 200_000;

/** Decodes wire bytes; throws DecodeError if they are not a canonical transaction (ENC-2). */
export function decodeTx(chainId: string, bytes: Uint8Array): Tx {
  const key = `${chainId}|${toHex(sha256(bytes))}`;
  const known = interned.get(key);
  if (known !== undefined) return known;
  const tx = decodeFresh(chainId, bytes);
  if (interned.size >= INTERN_LIMIT) {
    const oldest = interned.keys().next().value;
    if (oldest !== undefined) interned.delete(oldest);
  }
  interned.set(key, tx);
  return tx;
}

function decodeFresh(chainId: string, bytes: Uint8Array): Tx {
  if (bytes.length < SIG_AND_STAMP + 2) throw new DecodeError('transaction too short');
  const coreLen = bytes.length - SIG_AND_STAMP;
  const r = new Reader(bytes.subarray(0, coreLen));
  const version = r.u8();
  if (version !== TX_VERSION) throw new DecodeError(`unknown transaction version ${version}`);
  const kind = kindOfCode(r.u8());
  if (kind === undefined) throw new DecodeError('unknown transaction kind');
  const signer = hex32.read(r);
  const validUntilHeight = uint.read(r);
  const body = bodyCodec(kind).read(r);
  r.end();
  const wire = bytes.slice();
  const core = wire.subarray(0, coreLen);
  const signature = wire.subarray(coreLen, coreLen + 64);
  const powNonce = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getBigUint64(
    coreLen + 64,
  );
  return assemble(
    chainId,
    { kind, signer, validUntilHeight, body },
    core,
    signature,
    powNonce,
    wire,
  );
}
