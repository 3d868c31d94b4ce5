// The validator set: voting power = authority weight + ⌊bonded stake / stakePerPower⌋, zero when
// revoked or jailed (CONS-2). Proposers rotate by smooth weighted round-robin over that power, so
// a stronger validator proposes more often but every validator gets its turn (CONS-3).
import { getRecord } from './view.ts';
import type { StateReader } from './view.ts';
import type { ChainParams } from './params.ts';
import type { ValidatorSetRecord } from './records.ts';
import { SINGLETON } from './records.ts';

export interface ValidatorMember {
  readonly address: string;
  readonly power: number;
}

export class ValidatorSet {
  readonly members: readonly ValidatorMember[];
  readonly totalPower: number;
  private readonly powerByAddress: Map<string, number>;
  private schedule: string[] | undefined;

  constructor(members: readonly ValidatorMember[]) {
    this.members = [...members].sort((a, b) => (a.address < b.address ? -1 : 1));
    this.totalPower = this.members.reduce((s, m) => s + m.power, 0);
    this.powerByAddress = new Map(this.members.map((m) => [m.address, m.power]));
  }

  static fromRecord(record: ValidatorSetRecord): ValidatorSet {
    return new ValidatorSet(record.members);
  }

  toRecord(): ValidatorSetRecord {
    return { members: this.members.map((m) => ({ address: m.address, power: m.power })) };
  }

  powerOf(address: string): number {
    return this.powerByAddress.get(address) ?? 0;
  }

  has(address: string): boolean {
    return this.powerByAddress.has(address);
  }

  /** More than two thirds of the total power (CONS-4). */
  isQuorum(power: number): boolean {
    return power * 3 > this.totalPower * 2;
  }

  /** More than one third: at least one honest validator is among them (CONS-7). */
  isOneThird(power: number): boolean {
    return power * 3 > this.totalPower;
  }

  equals(other: ValidatorSet): boolean {
    if (other.members.length !== this.members.length) return false;
    return this.members.every(
      (m, i) => m.address === other.members[i]!.address && m.power === other.members[i]!.power,
    );
  }

  proposer(height: number, round: number): string {
    const schedule = (this.schedule ??= this.buildSchedule());
    return schedule[(height + round) % schedule.length]!;
  }

  /** Smooth weighted round-robin over the powers (scaled so the cycle stays ≤ 10,000 slots). */
  private buildSchedule(): string[] {
    if (this.members.length === 0) return [];
    const scale = this.totalPower > 10_000 ? 10_000 / this.totalPower : 1;
    let weights = this.members.map((m) => Math.max(1, Math.floor(m.power * scale)));
    const g = weights.reduce(gcd);
    weights = weights.map((w) => w / g);
    const total = weights.reduce((s, w) => s + w, 0);
    const current = weights.map(() => 0);
    const out: string[] = [];
    for (let slot = 0; slot < total; slot++) {
      let best = 0;
      for (let i = 0; i < weights.length; i++) {
        current[i]! += weights[i]!;
        if (current[i]! > current[best]!) best = i;
      }
      current[best]! -= total;
      out.push(this.members[best]!.address);
    }
    return out;
  }
}

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

/** The set implied by the validator records in `view` (used at the end of every block). */
export function computeValidatorSet(view: StateReader, params: ChainParams): ValidatorSet {
  const authorities = getRecord(view, 'authorities', SINGLETON)?.addresses ?? [];
  const members: ValidatorMember[] = [];
  for (const address of authorities) {
    const v = getRecord(view, 'validator', address);
    if (v === undefined || !v.active || v.jailed) continue;
    const bonded = getRecord(view, 'account', address)?.bondedSatang ?? 0n;
    const power = v.weight + Number(bonded / params.stakePerPowerSatang);
    if (power > 0) members.push({ address, power });
  }
  return new ValidatorSet(members);
}

/** The set that validated `height`, given the stored current and previous sets (CONS-2). */
export function validatorSetAt(view: StateReader, height: number): ValidatorSet {
  const sets = getRecord(view, 'validatorSets', SINGLETON);
  if (sets === undefined) return new ValidatorSet([]);
  return ValidatorSet.fromRecord(height >= sets.changedAtHeight ? sets.next : sets.previous);
}
