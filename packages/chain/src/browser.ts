// Browser-safe subset of @gridtokenx/chain (import '@gridtokenx/chain/browser'): keys, signing,
// transaction encoding, PoW stamps and proof checks in pure JS, with no node:* or ws imports.

export { CHAIN_ERROR_CODES, ChainError } from './errors.ts';
export type { ChainErrorCode, Rejection } from './errors.ts';
export { createPortableSigner, generateKeyPair, keyPairFromSeed } from './internal/crypto/keys.ts';
export type { KeyPair, Signer } from './internal/crypto/keys.ts';
export { verifyPortable as verifySignature } from './internal/crypto/signature-rule.ts';
export { decodeTx, signTx } from './internal/tx/tx.ts';
export type { SignedTx, Tx, UnsignedTx } from './internal/tx/tx.ts';
export { TX_KINDS } from './internal/tx/kinds.ts';
export type { TxBodies, TxKind } from './internal/tx/kinds.ts';
export type { Outpoint } from './internal/tx/fields.ts';
export { powStampBits, stampTx } from './internal/tx/pow.ts';
export { blockHashOf, decodeBlock } from './internal/block.ts';
export type { Block, BlockHeader } from './internal/block.ts';
export { verifyCommitCertificate, verifyTxInclusion } from './internal/proofs.ts';
export type { InclusionProof } from './internal/merkle.ts';
export type { CommitCertificate } from './internal/consensus/types.ts';
