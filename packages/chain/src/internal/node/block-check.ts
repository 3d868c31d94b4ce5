// Everything a validator checks before prevoting or committing a block (BLK-7, CONS-5): it
// extends our head, its time advances, its header matches its body, its last commit certifies the
// parent, every signature verifies, and executing it reproduces its state root and grid hash.
// The bound against the local clock is the node's (it changes as time passes, so it is not cached).
import { reject } from '../../errors.ts';
import type { Rejection } from '../../errors.ts';
import { headerBodyMismatch } from '../block.ts';
import type { Block } from '../block.ts';
import { commitPower } from '../consensus/types.ts';
import type { VerifyFn } from '../crypto/signature-rule.ts';
import { executeBlock } from '../state/execute.ts';
import type { BlockExecution } from '../state/execute.ts';
import { validatorSetAt } from '../state/validators.ts';
import type { ValidatorSet } from '../state/validators.ts';
import type { CommittedState } from '../state/view.ts';
import type { Tx } from '../tx/tx.ts';

export interface BlockCheckContext {
  readonly chainId: string;
  readonly head: Block;
  readonly state: CommittedState;
  /** The set that validates the block's height. */
  readonly validators: ValidatorSet;
  readonly verify: VerifyFn;
  /** Signature check with the node's caches (mempool, verified set). */
  readonly verifyTx: (tx: Tx) => boolean;
}

export function checkBlock(ctx: BlockCheckContext, block: Block): BlockExecution | Rejection {
  const h = block.header;
  const parent = ctx.head.header;
  const bad = (why: string): Rejection => reject('CHAIN_BAD_BLOCK', why);
  if (block.chainId !== ctx.chainId) return bad('wrong chain');
  if (h.height !== parent.height + 1 || h.parentHash !== ctx.head.hash) {
    return bad('not a child of our head');
  }
  if (h.timeMs <= parent.timeMs) return bad('block time does not advance');
  if (!ctx.validators.has(h.proposer)) return bad('proposer is not a validator');
  const mismatch = headerBodyMismatch(block);
  if (mismatch !== null) return bad(mismatch);
  if (h.height === 1) {
    if (block.lastCommit !== null) return bad('block 1 carries a last commit');
  } else {
    const lc = block.lastCommit;
    if (lc === null || lc.height !== parent.height || lc.blockHash !== ctx.head.hash) {
      return reject('CHAIN_BAD_COMMIT', 'last commit does not certify the parent');
    }
    const prev = validatorSetAt(ctx.state, parent.height);
    const power = commitPower(ctx.chainId, lc, (a) => prev.powerOf(a), ctx.verify);
    if (typeof power === 'string') return reject('CHAIN_BAD_COMMIT', power);
    if (!prev.isQuorum(power)) return reject('CHAIN_BAD_COMMIT', 'last commit lacks a quorum');
  }
  for (const tx of block.txs) {
    if (tx.chainId !== ctx.chainId) return bad('transaction for another chain');
    if (!ctx.verifyTx(tx)) return bad(`bad signature on ${tx.hash}`);
  }
  const exec = executeBlock(
    ctx.state,
    {
      chainId: ctx.chainId,
      height: h.height,
      timeMs: h.timeMs,
      txs: block.txs,
      evidence: block.evidence,
      lastCommit: block.lastCommit,
      verify: ctx.verify,
    },
    'validate',
  );
  if ('code' in exec) return exec;
  if (exec.stateRoot !== h.stateRoot) return bad('state root mismatch');
  if (exec.gridHash !== h.gridHash) return bad('grid hash mismatch');
  return exec;
}
