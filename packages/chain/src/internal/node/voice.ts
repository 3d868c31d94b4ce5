// A validator's own messages: proposals and votes are signed through the signing guard (CONS-10),
// broadcast, delivered to the node itself, and remembered for the height so they can be re-sent
// while it is unfinished (CONS-13).
import { encodeBlockCached } from '../block.ts';
import type { Block } from '../block.ts';
import { proposalSignBytes } from '../consensus/tendermint.ts';
import { STEP_PRECOMMIT, STEP_PREVOTE, STEP_PROPOSE } from '../consensus/privval.ts';
import type { PrivValidator } from '../consensus/privval.ts';
import { voteSignBytes } from '../consensus/types.ts';
import type { Vote, VoteType } from '../consensus/types.ts';
import type { PeerMessage, Proposal, Transport } from '../transport/transport.ts';

export interface VoiceHost {
  readonly chainId: string;
  readonly transport: Transport;
  isRunning(): boolean;
  deliverProposal(proposal: Proposal): void;
  deliverVote(vote: Vote): void;
  onError(err: unknown): void;
}

export class ValidatorVoice {
  private own: PeerMessage[] = [];

  constructor(
    private readonly privval: PrivValidator,
    private readonly host: VoiceHost,
  ) {}

  propose(height: number, round: number, validRound: number, block: Block): void {
    const bytes = proposalSignBytes(this.host.chainId, height, round, validRound, block.hash);
    void this.privval.sign(height, round, STEP_PROPOSE, bytes, block.hash).then(
      (signature) => {
        if (signature === null || !this.host.isRunning()) return;
        const proposal: Proposal = {
          height,
          round,
          validRound,
          block,
          proposer: this.privval.signer.address,
          signature,
        };
        this.send({ type: 'proposal', proposal });
        this.host.deliverProposal(proposal);
      },
      (err: unknown) => this.host.onError(err),
    );
  }

  /** Signs and sends a vote; a precommit for a block also persists that block (CONS-14). */
  vote(
    type: VoteType,
    height: number,
    round: number,
    blockHash: string | null,
    block: Block | null,
  ): void {
    const bytes = voteSignBytes(this.host.chainId, { type, height, round, blockHash });
    const step = type === 'PREVOTE' ? STEP_PREVOTE : STEP_PRECOMMIT;
    const lockBlock =
      type === 'PRECOMMIT' && block !== null && block.hash === blockHash
        ? () => encodeBlockCached(block)
        : undefined;
    void this.privval.sign(height, round, step, bytes, blockHash, lockBlock).then(
      (signature) => {
        if (signature === null || !this.host.isRunning()) return;
        const vote: Vote = Object.freeze({
          type,
          height,
          round,
          blockHash,
          validator: this.privval.signer.address,
          signature,
        });
        this.send({ type: 'vote', vote });
        this.host.deliverVote(vote);
      },
      (err: unknown) => this.host.onError(err),
    );
  }

  private send(message: PeerMessage): void {
    this.own.push(message);
    this.host.transport.broadcast(message);
  }

  /** After a restart: our votes of this height, re-sent like any other (CONS-10, CONS-13). */
  restore(votes: readonly Vote[]): void {
    for (const vote of votes) this.own.push({ type: 'vote', vote });
  }

  /** Re-sends this height's own messages (CONS-13). */
  resend(): void {
    for (const m of this.own) this.host.transport.broadcast(m);
  }

  /** A new height: forget the old messages. */
  clear(): void {
    this.own = [];
  }
}
