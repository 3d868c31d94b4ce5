// Re-executes a store's blocks from genesis on a fresh state and checks each state root against
// its header (REPLAY-1): the determinism check, and the store replay figure of the benchmark.
import { ChainError } from '../../errors.ts';
import { decodeBlock } from '../block.ts';
import type { VerifyFn } from '../crypto/signature-rule.ts';
import { fromHex } from '../bytes.ts';
import { executeBlock } from '../state/execute.ts';
import { buildGenesis } from '../state/genesis.ts';
import type { GenesisConfig } from '../state/genesis.ts';
import { CommittedState } from '../state/view.ts';
import type { ChainStore } from '../store/store.ts';
import { toHex } from '../bytes.ts';

export interface ReplayResult {
  readonly height: number;
  readonly stateRoot: string;
  readonly blocks: number;
  readonly txs: number;
}

export interface ReplayOptions {
  /** Also verify every transaction signature (default false: the store's own blocks were verified
   * when first committed). */
  readonly verifySignatures?: VerifyFn;
  /** Stop after this height. */
  readonly toHeight?: number;
}

export async function replayFromStore(
  genesis: GenesisConfig,
  store: ChainStore,
  options: ReplayOptions = {},
): Promise<ReplayResult> {
  const state = new CommittedState();
  buildGenesis(genesis, state);
  const head = await store.head();
  const last = Math.min(head?.height ?? 0, options.toHeight ?? Number.MAX_SAFE_INTEGER);
  let txs = 0;
  const verify = options.verifySignatures;
  for (let h = 1; h <= last; h++) {
    const rec = await store.block(h);
    if (rec === null) throw new ChainError('CHAIN_STORE_CORRUPT', `block ${h} missing`);
    const block = decodeBlock(genesis.chainId, rec.block);
    if (verify !== undefined) {
      for (const tx of block.txs) {
        if (!verify(fromHex(tx.signer), tx.signBytes, tx.signature)) {
          throw new ChainError('CHAIN_STORE_CORRUPT', `bad signature in stored block ${h}`);
        }
      }
    }
    const exec = executeBlock(
      state,
      {
        chainId: genesis.chainId,
        height: h,
        timeMs: block.header.timeMs,
        txs: block.txs,
        evidence: block.evidence,
        lastCommit: block.lastCommit,
        verify: verify ?? (() => true),
      },
      'validate',
    );
    if ('code' in exec)
      throw new ChainError(
        'CHAIN_STORE_CORRUPT',
        `stored block ${h} does not execute: ${exec.message}`,
      );
    if (exec.stateRoot !== block.header.stateRoot) {
      throw new ChainError(
        'CHAIN_INVARIANT',
        `replay of block ${h} gives state root ${exec.stateRoot}, header says ${block.header.stateRoot}`,
      );
    }
    state.apply(exec.prepared);
    txs += block.txs.length;
  }
  return { height: last, stateRoot: toHex(state.stateRoot()), blocks: last, txs };
}
