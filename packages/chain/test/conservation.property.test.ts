// Property tests (COIN-2, STATE-2, REPLAY-1): random streams of valid and invalid transactions,
// in random blocks, keep each asset's holdings (coins + open escrows + stake) equal to minted
// minus burned; the incrementally maintained state root equals a from-scratch one; and replaying
// the same blocks on a fresh state reproduces every root.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toHex } from '../src/internal/bytes.ts';
import { createFastSigner } from '../src/internal/crypto/node-ed25519.ts';
import { makeEvidence, signVote } from '../src/internal/consensus/types.ts';
import type { Evidence } from '../src/internal/consensus/types.ts';
import { stateLeafHash, stateRootFromScratch } from '../src/internal/state/tree.ts';
import type { RecordOf } from '../src/internal/state/records.ts';
import type { Outpoint } from '../src/internal/tx/fields.ts';
import type { Tx } from '../src/internal/tx/tx.ts';
import {
  BANK,
  BUYERS,
  CHAIN_ID,
  CLEARING,
  EGAT,
  MEA,
  SELLERS,
  VALIDATORS,
  testGenesis,
} from './support/fixtures.ts';
import { Ledger } from './support/ledger.ts';
import { tx } from './support/txs.ts';

const I0 = 1_767_225_600_000;
const PEOPLE = [...BUYERS.slice(0, 4), ...SELLERS.slice(0, 4)];

function genesis() {
  const g = testGenesis();
  return {
    ...g,
    authorities: g.authorities.map((a) => ({ ...a, stakeSatang: 50_000_000n })),
  };
}

type Op =
  | { t: 'mint'; who: number; wh: number; reuse: boolean }
  | { t: 'burn'; who: number; wh: number }
  | {
      t: 'transfer';
      who: number;
      to: number;
      asset: 'GT' | 'THB';
      part: number;
      corrupt: 'none' | 'owner' | 'over' | 'dup';
    }
  | { t: 'trade'; buyer: number; seller: number; qty: number; price: number; overspend: boolean }
  | { t: 'deliver'; pick: number; part: number; charge: number }
  | { t: 'refund'; pick: number }
  | { t: 'issue'; who: number; amount: number }
  | { t: 'redeem'; who: number; part: number }
  | { t: 'bond'; who: number; part: number }
  | { t: 'unbond'; who: number; part: number }
  | { t: 'withdraw'; who: number }
  | { t: 'slash'; validator: number };

const who = fc.integer({ min: 0, max: PEOPLE.length - 1 });
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    t: fc.constant('mint' as const),
    who,
    wh: fc.integer({ min: 0, max: 50_000 }),
    reuse: fc.boolean(),
  }),
  fc.record({ t: fc.constant('burn' as const), who, wh: fc.integer({ min: 0, max: 2_000_000 }) }),
  fc.record({
    t: fc.constant('transfer' as const),
    who,
    to: who,
    asset: fc.constantFrom('GT' as const, 'THB' as const),
    part: fc.integer({ min: 0, max: 100 }),
    corrupt: fc.constantFrom(
      'none' as const,
      'none' as const,
      'owner' as const,
      'over' as const,
      'dup' as const,
    ),
  }),
  fc.record({
    t: fc.constant('trade' as const),
    buyer: who,
    seller: who,
    qty: fc.integer({ min: 0, max: 20_000 }),
    price: fc.integer({ min: 0, max: 80_000 }),
    overspend: fc.boolean(),
  }),
  fc.record({
    t: fc.constant('deliver' as const),
    pick: fc.nat(),
    part: fc.integer({ min: 0, max: 110 }),
    charge: fc.integer({ min: 0, max: 3_000 }),
  }),
  fc.record({ t: fc.constant('refund' as const), pick: fc.nat() }),
  fc.record({
    t: fc.constant('issue' as const),
    who,
    amount: fc.integer({ min: 0, max: 1_000_000 }),
  }),
  fc.record({ t: fc.constant('redeem' as const), who, part: fc.integer({ min: 0, max: 110 }) }),
  fc.record({ t: fc.constant('bond' as const), who, part: fc.integer({ min: 0, max: 110 }) }),
  fc.record({ t: fc.constant('unbond' as const), who, part: fc.integer({ min: 0, max: 110 }) }),
  fc.record({ t: fc.constant('withdraw' as const), who }),
  fc.record({ t: fc.constant('slash' as const), validator: fc.integer({ min: 0, max: 3 }) }),
);

class Driver {
  readonly l = new Ledger(genesis());
  private seq = 0;
  private slashRound = 0;

  coins(owner: string, asset: 'GT' | 'THB'): { op: Outpoint; amount: bigint }[] {
    const ids = [...(this.l.state.utxosByOwner.get(owner) ?? [])].sort();
    return ids
      .map((id) => ({ id, u: this.l.get('utxo', id)! }))
      .filter((c) => c.u.asset === asset)
      .map((c) => ({
        op: { txHash: c.id.slice(0, 64), index: Number(c.id.slice(65)) },
        amount: c.u.amount,
      }));
  }

  openEscrows(): string[] {
    const out = new Set<string>();
    for (const k of PEOPLE)
      for (const id of this.l.state.escrowsByParty.get(k.address) ?? []) out.add(id);
    return [...out].sort().filter((id) => this.l.get('escrow', id)?.status === 'OPEN');
  }

  build(o: Op): { tx: Tx | null; evidence: Evidence | null } {
    const n = ++this.seq;
    const pow = { powBits: 8 };
    switch (o.t) {
      case 'mint':
        return {
          tx: tx('METER_MINT', MEA, {
            meterId: o.reuse ? 'meter-reused' : `meter-${n}`,
            owner: PEOPLE[o.who]!.address,
            zone: 'MEA-BKK',
            technology: 'SOLAR',
            intervalStartMs: I0,
            energyWh: BigInt(o.wh),
          }),
          evidence: null,
        };
      case 'burn': {
        const owner = PEOPLE[o.who]!;
        const coins = this.coins(owner.address, 'GT').slice(0, 3);
        return {
          tx: tx('CONSUMPTION_BURN', MEA, {
            meterId: `burn-${n}`,
            owner: owner.address,
            zone: 'MEA-BKK',
            intervalStartMs: I0,
            energyWh: BigInt(o.wh),
            inputs: coins.map((c) => c.op),
          }),
          evidence: null,
        };
      }
      case 'transfer': {
        const from = PEOPLE[o.who]!;
        const coins = this.coins(
          (o.corrupt === 'owner' ? PEOPLE[o.to]! : from).address,
          o.asset,
        ).slice(0, 2);
        if (coins.length === 0) return { tx: null, evidence: null };
        const total = coins.reduce((s, c) => s + c.amount, 0n);
        const first = (total * BigInt(o.part)) / 100n;
        const outputs = [
          { owner: PEOPLE[o.to]!.address, asset: o.asset, amount: first },
          {
            owner: from.address,
            asset: o.asset,
            amount: total - first + (o.corrupt === 'over' ? 1n : 0n),
          },
        ].filter((x) => x.amount > 0n);
        const inputs = coins.map((c) => c.op);
        if (o.corrupt === 'dup') inputs.push(inputs[0]!);
        return { tx: tx('TRANSFER', from, { inputs, outputs }, pow), evidence: null };
      }
      case 'trade': {
        const buyer = PEOPLE[o.buyer]!;
        const coin = this.coins(buyer.address, 'THB')[0];
        if (coin === undefined) return { tx: null, evidence: null };
        const qty = BigInt(o.qty);
        const price = BigInt(o.price);
        const amount = o.overspend ? coin.amount + 1n : (qty * price) / 100_000n;
        return {
          tx: tx('TRADE_SETTLE', CLEARING, {
            tradeId: `p-${n}`,
            buyer: buyer.address,
            seller: PEOPLE[o.seller]!.address,
            buyerZone: 'MEA-BKK',
            sellerZone: n % 3 === 0 ? 'PEA-C' : 'MEA-BKK',
            intervalStartMs: I0,
            quantityWh: qty,
            priceTicks: price,
            amountSatang: amount,
            inputs: [coin.op],
          }),
          evidence: null,
        };
      }
      case 'deliver': {
        const open = this.openEscrows();
        if (open.length === 0) return { tx: null, evidence: null };
        const id = open[o.pick % open.length]!;
        const e = this.l.get('escrow', id) as RecordOf<'escrow'>;
        const delivered = (e.quantityWh * BigInt(o.part)) / 100n;
        const coins = delivered > 0n ? this.coins(e.seller, 'GT').slice(0, 3) : [];
        return {
          tx: tx('DELIVERY_SETTLE', CLEARING, {
            tradeId: id,
            deliveredWh: delivered,
            imbalanceChargeSatang: BigInt(o.charge),
            imbalanceAccount: EGAT.address,
            inputs: coins.map((c) => c.op),
          }),
          evidence: null,
        };
      }
      case 'refund': {
        const open = this.openEscrows();
        if (open.length === 0) return { tx: null, evidence: null };
        return {
          tx: tx('ESCROW_REFUND', CLEARING, {
            tradeId: open[o.pick % open.length]!,
            reason: 'random',
          }),
          evidence: null,
        };
      }
      case 'issue':
        return {
          tx: tx('THB_ISSUE', BANK, {
            depositRef: `dep-${n}`,
            to: PEOPLE[o.who]!.address,
            amountSatang: BigInt(o.amount),
          }),
          evidence: null,
        };
      case 'redeem': {
        const owner = PEOPLE[o.who]!;
        const coin = this.coins(owner.address, 'THB')[0];
        if (coin === undefined) return { tx: null, evidence: null };
        return {
          tx: tx(
            'THB_REDEEM',
            owner,
            {
              withdrawalRef: `w-${n}`,
              amountSatang: (coin.amount * BigInt(o.part)) / 100n,
              inputs: [coin.op],
            },
            pow,
          ),
          evidence: null,
        };
      }
      case 'bond': {
        const owner = PEOPLE[o.who]!;
        const coin = this.coins(owner.address, 'THB')[0];
        if (coin === undefined) return { tx: null, evidence: null };
        return {
          tx: tx(
            'STAKE_BOND',
            owner,
            { amountSatang: (coin.amount * BigInt(o.part)) / 100n, inputs: [coin.op] },
            pow,
          ),
          evidence: null,
        };
      }
      case 'unbond': {
        const owner = PEOPLE[o.who]!;
        const bonded = this.l.get('account', owner.address)?.bondedSatang ?? 0n;
        return {
          tx: tx('STAKE_UNBOND', owner, { amountSatang: (bonded * BigInt(o.part)) / 100n }, pow),
          evidence: null,
        };
      }
      case 'withdraw':
        return {
          tx: tx(
            'STAKE_WITHDRAW',
            PEOPLE[o.who]!,
            {},
            { powBits: 8, validUntilHeight: 400 + (n % 50) },
          ),
          evidence: null,
        };
      case 'slash': {
        const v = VALIDATORS[o.validator]!;
        const signer = createFastSigner(v.secretKey);
        const round = ++this.slashRound;
        const a = signVote(CHAIN_ID, signer, {
          type: 'PREVOTE',
          height: 1,
          round,
          blockHash: null,
        });
        const b = signVote(CHAIN_ID, signer, {
          type: 'PREVOTE',
          height: 1,
          round,
          blockHash: 'ee'.repeat(32),
        });
        return { tx: null, evidence: makeEvidence(a, b) };
      }
    }
  }
}

function fromScratchRoot(l: Ledger): string {
  const leaves = new Map<string, Uint8Array>();
  for (const [key, bytes] of l.state.snapshotEntries()) leaves.set(key, stateLeafHash(key, bytes));
  return toHex(stateRootFromScratch(leaves));
}

describe('random transaction streams (COIN-2, STATE-2, REPLAY-1)', () => {
  it('keep every asset’s supply equal to mints minus burns, and replay to the same roots', () => {
    const seen = { applied: 0, offered: 0, evidence: 0 };
    fc.assert(
      fc.property(
        fc.array(fc.array(op, { minLength: 0, maxLength: 6 }), { minLength: 1, maxLength: 25 }),
        (blocks) => {
          const d = new Driver();
          d.l.block([], { advanceMs: 3_600_000 });
          const roots: string[] = [];
          for (const ops of blocks) {
            const built = ops.map((o) => d.build(o));
            d.l.block(
              built.flatMap((b) => (b.tx === null ? [] : [b.tx])),
              { evidence: built.flatMap((b) => (b.evidence === null ? [] : [b.evidence])) },
            );
            expect(d.l.holdings()).toEqual(d.l.supply());
            roots.push(d.l.root());
            const last = d.l.blocks[d.l.blocks.length - 1]!;
            seen.applied += last.txs.length;
            seen.evidence += last.evidence.length;
            seen.offered += built.filter((b) => b.tx !== null).length;
          }
          expect(fromScratchRoot(d.l)).toBe(d.l.root());
          // Replay the committed blocks on a fresh state.
          const fresh = new Ledger(genesis());
          fresh.block([], { advanceMs: 3_600_000 });
          d.l.blocks.slice(1).forEach((b, i) => {
            fresh.block(b.txs, { evidence: b.evidence });
            expect(fresh.root()).toBe(roots[i]);
          });
        },
      ),
      { numRuns: 60 },
    );
    // The streams must exercise both paths: plenty accepted, plenty rejected, some slashing.
    expect(seen.applied).toBeGreaterThan(200);
    expect(seen.offered - seen.applied).toBeGreaterThan(100);
    expect(seen.evidence).toBeGreaterThan(5);
  });
});
