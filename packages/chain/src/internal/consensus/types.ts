// Signed consensus objects that also appear inside blocks: votes, commit certificates (a quorum
// of precommits) and double-sign evidence. Sign bytes carry the chain id and a domain tag, so a
// vote can never be replayed as a transaction or onto another chain (CONS-5).
import { concatBytes } from '../bytes.ts';
import {
  encode,
  fixedBytes,
  hex32,
  list,
  oneOf,
  optional,
  struct,
  u32,
  uint,
} from '../encoding.ts';
import type { Infer } from '../encoding.ts';
import { domainPrefix, sha256 } from '../crypto/hash.ts';
import type { Signer } from '../crypto/keys.ts';
import type { VerifyFn } from '../crypto/signature-rule.ts';
import { fromHex } from '../bytes.ts';

export const VOTE_TYPES = ['PREVOTE', 'PRECOMMIT'] as const;
export type VoteType = (typeof VOTE_TYPES)[number];

const voteCore = struct({
  type: oneOf(VOTE_TYPES),
  height: uint,
  round: u32,
  blockHash: optional(hex32),
});

export const voteCodec = struct({
  type: oneOf(VOTE_TYPES),
  height: uint,
  round: u32,
  /** null is a vote for nothing ("nil"). */
  blockHash: optional(hex32),
  validator: hex32,
  signature: fixedBytes(64),
});
export type Vote = Infer<typeof voteCodec>;

export function voteSignBytes(
  chainId: string,
  v: Pick<Vote, 'type' | 'height' | 'round' | 'blockHash'>,
): Uint8Array {
  return concatBytes(
    domainPrefix('vote', chainId),
    encode(voteCore, { type: v.type, height: v.height, round: v.round, blockHash: v.blockHash }),
  );
}

export function signVote(
  chainId: string,
  signer: Signer,
  v: Pick<Vote, 'type' | 'height' | 'round' | 'blockHash'>,
): Vote {
  return Object.freeze({
    type: v.type,
    height: v.height,
    round: v.round,
    blockHash: v.blockHash,
    validator: signer.address,
    signature: signer.sign(voteSignBytes(chainId, v)),
  });
}

export function verifyVote(chainId: string, v: Vote, verify: VerifyFn): boolean {
  return verify(fromHex(v.validator), voteSignBytes(chainId, v), v.signature);
}

export const commitSignatureCodec = struct({ validator: hex32, signature: fixedBytes(64) });

/** BLK-3: precommits for one block from validators holding > 2/3 of the power. */
export const commitCodec = struct({
  height: uint,
  round: u32,
  blockHash: hex32,
  signatures: list(commitSignatureCodec, 256),
});
export type CommitCertificate = Infer<typeof commitCodec>;

export function commitHash(chainId: string, commit: CommitCertificate | null): Uint8Array {
  if (commit === null) return new Uint8Array(32);
  return sha256(concatBytes(domainPrefix('commit', chainId), encode(commitCodec, commit)));
}

export const evidenceCodec = struct({ a: voteCodec, b: voteCodec });
/** Two conflicting votes by one validator for the same height, round and type (CONS-9). */
export type Evidence = Infer<typeof evidenceCodec>;

export function evidenceId(e: Evidence): string {
  return `${e.a.validator}|${e.a.height}|${e.a.round}|${e.a.type}`;
}

/** Canonical order of the two votes: nil first, then by block hash. */
export function makeEvidence(x: Vote, y: Vote): Evidence {
  const kx = x.blockHash ?? '';
  const ky = y.blockHash ?? '';
  return kx < ky ? { a: x, b: y } : { a: y, b: x };
}

export function evidenceListHash(chainId: string, evidence: readonly Evidence[]): Uint8Array {
  if (evidence.length === 0) return new Uint8Array(32);
  return sha256(
    concatBytes(domainPrefix('evidence', chainId), encode(list(evidenceCodec, 64), evidence)),
  );
}

/** Structural and cryptographic checks of one evidence item (state checks come later). */
export function checkEvidence(chainId: string, e: Evidence, verify: VerifyFn): string | null {
  const { a, b } = e;
  if (
    a.validator !== b.validator ||
    a.height !== b.height ||
    a.round !== b.round ||
    a.type !== b.type
  ) {
    return 'votes are not from the same validator, height, round and type';
  }
  if ((a.blockHash ?? '') >= (b.blockHash ?? ''))
    return 'votes do not conflict or are not in canonical order';
  if (!verifyVote(chainId, a, verify) || !verifyVote(chainId, b, verify))
    return 'a vote signature is invalid';
  return null;
}

/** Checks a commit certificate against the validator powers it claims a quorum of. */
export function commitPower(
  chainId: string,
  commit: CommitCertificate,
  powerOf: (address: string) => number,
  verify: VerifyFn,
): number | string {
  let power = 0;
  let last = '';
  for (const s of commit.signatures) {
    if (s.validator <= last) return 'commit signatures are not sorted and distinct';
    last = s.validator;
    const p = powerOf(s.validator);
    if (p === 0) return `commit signer ${s.validator} is not a validator`;
    const bytes = voteSignBytes(chainId, {
      type: 'PRECOMMIT',
      height: commit.height,
      round: commit.round,
      blockHash: commit.blockHash,
    });
    if (!verify(fromHex(s.validator), bytes, s.signature))
      return `bad commit signature from ${s.validator}`;
    power += p;
  }
  return power;
}
