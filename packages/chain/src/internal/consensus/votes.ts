// Vote bookkeeping for one height: per round, prevotes and precommits tallied by voting power.
// A second, different vote from the same validator for the same (round, type) is returned as a
// conflict so the caller can turn it into double-sign evidence (CONS-9); the first vote stands.
import type { Vote } from './types.ts';

export const NIL = 'nil';

export class VoteSet {
  readonly votes = new Map<string, Vote>();
  private readonly byHash = new Map<string, number>();
  total = 0;

  /** Adds a verified vote; returns the earlier conflicting vote, if any. */
  add(vote: Vote, power: number): Vote | 'added' | 'duplicate' {
    const existing = this.votes.get(vote.validator);
    if (existing !== undefined)
      return existing.blockHash === vote.blockHash ? 'duplicate' : existing;
    this.votes.set(vote.validator, vote);
    const key = vote.blockHash ?? NIL;
    this.byHash.set(key, (this.byHash.get(key) ?? 0) + power);
    this.total += power;
    return 'added';
  }

  powerFor(blockHash: string | null): number {
    return this.byHash.get(blockHash ?? NIL) ?? 0;
  }

  /** Hashes (not nil) that some vote supports. */
  hashes(): string[] {
    return [...this.byHash.keys()].filter((k) => k !== NIL);
  }
}

export class RoundVotes {
  readonly prevotes = new VoteSet();
  readonly precommits = new VoteSet();
  private readonly voters = new Map<string, number>();

  /** Power of distinct validators with any vote in this round (for the round-skip rule). */
  get anyPower(): number {
    let p = 0;
    for (const v of this.voters.values()) p += v;
    return p;
  }

  noteVoter(validator: string, power: number): void {
    this.voters.set(validator, power);
  }
}
