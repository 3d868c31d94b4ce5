// What a node tells its host: the answer to a submission, each committed block with its
// transactions' hashes and outputs, transactions dropped after admission, and fatal errors.
import type { ChainError, ChainErrorCode, Rejection } from '../../errors.ts';
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

export type SubmitResult =
  | {
      readonly ok: true;
      readonly txHash: string;
      /** Coins the transaction will create (final once committed; spendable by later submissions now). */
      readonly outputs: readonly Outpoint[];
      readonly alreadyPending: boolean;
    }
  | Rejection;

export interface HeadInfo {
  readonly height: number;
  readonly hash: string;
  readonly timeMs: number;
  readonly stateRoot: string;
  readonly gridHash: string;
}
