// Light-client checks run in the browser with @gridtokenx/chain's pure functions, so the explorer
// does not have to take the engine's word: a block's hash is recomputed from its header, its
// commit certificate checked against the validator set, and a transaction's Merkle proof checked
// against the block's tx root.
import {
  blockHashOf,
  decodeTx,
  verifyCommitCertificate,
  verifyTxInclusion,
  type BlockHeader,
} from '@gridtokenx/chain/browser';
import type { ChainBlock, ChainTx, Validator } from './api';

const HEX32 = /^[0-9a-f]{64}$/;

function hexToBytes(hex: string): Uint8Array | null {
  if (!/^([0-9a-f]{2})*$/i.test(hex)) return null;
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

/** The block header as the chain encodes it, or null when a field is missing or malformed. */
export function headerOf(raw: Record<string, unknown>): BlockHeader | null {
  const num = (k: string) => {
    const v = raw[k];
    return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? v : null;
  };
  const hex = (k: string) => {
    const v = raw[k];
    return typeof v === 'string' && HEX32.test(v) ? v : null;
  };
  const header = {
    version: num('version'),
    height: num('height'),
    parentHash: hex('parentHash'),
    timeMs: num('timeMs'),
    proposer: hex('proposer'),
    txCount: num('txCount'),
    txRoot: hex('txRoot'),
    stateRoot: hex('stateRoot'),
    gridHash: hex('gridHash'),
    lastCommitHash: hex('lastCommitHash'),
    evidenceHash: hex('evidenceHash'),
  };
  return Object.values(header).every((v) => v !== null) ? (header as BlockHeader) : null;
}

export interface BlockCheck {
  /** The header hashes to the block hash the engine named. */
  hashOk: boolean;
  /** Validators holding more than 2/3 of the power signed this block. */
  commitOk: boolean;
  signedPower: number;
  totalPower: number;
}

export function checkBlock(
  chainId: string,
  block: ChainBlock,
  validators: readonly Validator[],
): BlockCheck {
  const header = headerOf(block.header);
  const hashOk = header !== null && blockHashOf(chainId, header) === block.hash;
  const set = validators.map((v) => ({ address: v.address, power: v.votingPower }));
  const totalPower = set.reduce((s, v) => s + v.power, 0);
  const signatures = block.commit.signatures
    .map((s) => ({ validator: s.validator, signature: hexToBytes(s.signature) }))
    .filter((s): s is { validator: string; signature: Uint8Array } => s.signature !== null);
  const power = new Map(set.map((v) => [v.address, v.power]));
  const signedPower = signatures.reduce((s, x) => s + (power.get(x.validator) ?? 0), 0);
  let commitOk = false;
  if (header && signatures.length === block.commit.signatures.length) {
    try {
      commitOk = verifyCommitCertificate(
        chainId,
        { height: header.height, round: block.commit.round, blockHash: block.hash, signatures },
        set,
      );
    } catch {
      commitOk = false;
    }
  }
  return { hashOk, commitOk, signedPower, totalPower };
}

export type ProofCheck =
  | { state: 'verified' }
  | { state: 'failed'; reason: 'hash' | 'proof' | 'root' }
  /** The engine sent no transaction bytes, so the Merkle leaf cannot be computed here. */
  | { state: 'unavailable' };

/**
 * Checks a transaction's inclusion proof against the tx root of a header verified with
 * `checkBlock`. Needs the transaction's canonical bytes (hex) to hash the Merkle leaf.
 */
export function checkTx(chainId: string, tx: ChainTx, header: BlockHeader | null): ProofCheck {
  const bytesHex = 'bytes' in tx && typeof tx.bytes === 'string' ? tx.bytes : null;
  if (bytesHex === null) return { state: 'unavailable' };
  const bytes = hexToBytes(bytesHex);
  if (!bytes) return { state: 'failed', reason: 'hash' };
  try {
    if (decodeTx(chainId, bytes).hash !== tx.hash) return { state: 'failed', reason: 'hash' };
  } catch {
    return { state: 'failed', reason: 'hash' };
  }
  if (!header || header.txRoot !== tx.txRoot || header.txCount !== tx.txCount) {
    return { state: 'failed', reason: 'root' };
  }
  const p = tx.proof;
  const proof = {
    leafIndex: typeof p.leafIndex === 'number' ? p.leafIndex : -1,
    treeSize: typeof p.treeSize === 'number' ? p.treeSize : -1,
    path: Array.isArray(p.path) ? p.path.filter((x): x is string => typeof x === 'string') : [],
  };
  return verifyTxInclusion(bytes, proof, header)
    ? { state: 'verified' }
    : { state: 'failed', reason: 'proof' };
}
