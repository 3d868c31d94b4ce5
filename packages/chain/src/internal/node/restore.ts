// Rebuilding a node's state from its store at start-up (STORE-3): the latest snapshot, then each
// later block's state diff, checking every resulting root against the block header. A mismatch
// means the store is damaged, and the node refuses to start.
import { ChainError } from '../../errors.ts';
import { toHex } from '../bytes.ts';
import { decodeBlock, decodeBlockHeader, decodeCommit } from '../block.ts';
import type { Block } from '../block.ts';
import type { CommitCertificate } from '../consensus/types.ts';
import { buildGenesis } from '../state/genesis.ts';
import type { Genesis, GenesisConfig } from '../state/genesis.ts';
import { CommittedState } from '../state/view.ts';
import type { ChainStore } from '../store/store.ts';
import { decodeStateDiff } from '../store/diff.ts';

export interface Restored {
  readonly genesis: Genesis;
  readonly state: CommittedState;
  readonly head: Block;
  readonly headCommit: CommitCertificate | null;
}

export async function restoreFromStore(
  config: GenesisConfig,
  store: ChainStore,
): Promise<Restored> {
  const genesisState = new CommittedState();
  const genesis = buildGenesis(config, genesisState);
  const head = await store.head();
  if (head === null) return { genesis, state: genesisState, head: genesis.block, headCommit: null };
  const snapshot = await store.latestSnapshot();
  let state = genesisState;
  let from = 1;
  if (snapshot !== null && snapshot.height <= head.height) {
    state = new CommittedState();
    state.applyEncoded(decodeStateDiff(snapshot.state));
    from = snapshot.height + 1;
    const rec = await store.block(snapshot.height);
    if (rec === null || toHex(state.stateRoot()) !== decodeBlockHeader(rec.block).stateRoot) {
      throw new ChainError(
        'CHAIN_STORE_CORRUPT',
        `snapshot at ${snapshot.height} does not match its block`,
      );
    }
  }
  for (let h = from; h <= head.height; h++) {
    const rec = await store.block(h);
    if (rec === null)
      throw new ChainError('CHAIN_STORE_CORRUPT', `block ${h} missing from the store`);
    const root = toHex(state.applyEncoded(decodeStateDiff(rec.stateDiff)));
    const header = decodeBlockHeader(rec.block);
    if (header.height !== h || root !== header.stateRoot) {
      throw new ChainError(
        'CHAIN_STORE_CORRUPT',
        `state diff of block ${h} does not reproduce its state root`,
      );
    }
  }
  const last = await store.block(head.height);
  if (last === null) throw new ChainError('CHAIN_STORE_CORRUPT', 'head block missing');
  return {
    genesis,
    state,
    head: decodeBlock(config.chainId, last.block),
    headCommit: decodeCommit(last.commit),
  };
}
