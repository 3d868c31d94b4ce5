// What a node tells its host: each committed block with its transactions' hashes and outputs,
// transactions dropped from the mempool after admission (with the code), and fatal errors.
import type { ChainError, ChainErrorCode } from '../../errors.ts';
import type { Outpoint } from '../tx/fields.ts';
import type { TxKind } from '../tx/kinds.ts';

export interface CommittedTx {
  readonly hash: string;
  readonly kind: TxKind;
  readonly signer: string;
  /** Position in the block (for the Merkle proof). */
  readonly index: number;
  /** Coins the transaction created, in output order (COIN-3). */
  readonly outputs: readonly Outpoint[];
}

export interface CommitEvent {
  readonly type: 'commit';
  readonly height: number;
  readonly hash: string;
  readonly round: number;
  readonly timeMs: number;
  readonly proposer: string;
  readonly stateRoot: string;
  readonly txs: readonly CommittedTx[];
  readonly evidence: number;
}

export interface DroppedEvent {
  readonly type: 'dropped';
  readonly txHash: string;
  readonly code: ChainErrorCode;
  readonly message: string;
}

export interface FatalEvent {
  readonly type: 'fatal';
  readonly error: ChainError | Error;
}

export type ChainEvent = CommitEvent | DroppedEvent | FatalEvent;
export type ChainListener = (event: ChainEvent) => void;
