// Vote bookkeeping for one height: per round, prevotes and precommits tallied by voting power.
// A validator's second, different vote for the same (round, type) is evidence (CONS-9) and is
// still counted towards the block it names: otherwise a node that happened to receive an
// equivocator's other vote first could never recognise a quorum its peers saw, and rounds would
// spin. Counting both is safe: two quorums for different blocks would need more than a third of
// the power to vote twice. "Any vote" totals count each validator once.
import type { Vote } from './types.ts';

export const NIL = 'nil';
/** Distinct votes kept per validator, round and type (bounds what an equivocator can make us store). */
const MAX_VOTES_PER_VALIDATOR = 4;

export class VoteSet {
  private readonly byValidator = new Map<string, Vote[]>();
  private readonly byHash = new Map<string, number>();
  total = 0;

  /** Adds a verified vote; returns the validator's earlier, different vote if it equivocated. */
  add(vote: Vote, power: number): Vote | 'added' | 'duplicate' {
    const mine = this.byValidator.get(vote.validator);
    if (mine !== undefined && mine.some((v) => v.blockHash === vote.blockHash)) return 'duplicate';
    if (mine !== undefined && mine.length >= MAX_VOTES_PER_VALIDATOR) return 'duplicate';
    const key = vote.blockHash ?? NIL;
    this.byHash.set(key, (this.byHash.get(key) ?? 0) + power);
    if (mine === undefined) {
      this.byValidator.set(vote.validator, [vote]);
      this.total += power;
      return 'added';
    }
    mine.push(vote);
    return mine[0]!;
  }

  has(validator: string, blockHash: string | null): boolean {
    return this.byValidator.get(validator)?.some((v) => v.blockHash === blockHash) ?? false;
  }

  powerFor(blockHash: string | null): number {
    return this.byHash.get(blockHash ?? NIL) ?? 0;
  }

  /** Voting power per block hash ('nil' for nil votes). */
  tally(): Record<string, number> {
    return Object.fromEntries(this.byHash);
  }

  /** Hashes (not nil) that some vote supports. */
  hashes(): string[] {
    return [...this.byHash.keys()].filter((k) => k !== NIL);
  }

  /** Each validator's vote for `blockHash`, if it cast one. */
  votesFor(blockHash: string): Vote[] {
    const out: Vote[] = [];
    for (const votes of this.byValidator.values()) {
      const v = votes.find((x) => x.blockHash === blockHash);
      if (v !== undefined) out.push(v);
    }
    return out;
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
