// Every transaction kind: the valid path, and each invalid variant rejected with its code
// (TX-*, COIN-*, EN-*, CASH-*, TRD-*, REC-*, STK-*, GOV-*, GRID-*, POW-1).
import { describe, expect, it } from 'vitest';
import type { ChainErrorCode } from '../src/errors.ts';
import type { Tx } from '../src/internal/tx/tx.ts';
import { outpointKey } from '../src/internal/tx/fields.ts';
import type { Outpoint } from '../src/internal/tx/fields.ts';
import {
  BANK,
  BUYERS,
  CLEARING,
  EGAT,
  ERC,
  MEA,
  PEA,
  SELLERS,
  STRANGER,
  key,
  testGenesis,
} from './support/fixtures.ts';
import { Ledger } from './support/ledger.ts';
import type { Outcome } from './support/ledger.ts';
import { gtOf, thbOf, trade, tx } from './support/txs.ts';

const I0 = 1_767_225_600_000; // an aligned interval start (genesis time)
const HOUR = 3_600_000;
const [B0, B1, B2] = BUYERS as [(typeof BUYERS)[0], (typeof BUYERS)[0], (typeof BUYERS)[0]];
const [S0, S1] = SELLERS as [(typeof SELLERS)[0], (typeof SELLERS)[0]];

function expectCode(o: Outcome, code: ChainErrorCode): void {
  expect(o.ok ? 'ok' : o.code).toBe(code);
}

function mint(
  meterId: string,
  owner = S0,
  energyWh = 10_000n,
  opts: {
    zone?: string;
    by?: typeof MEA;
    interval?: number;
    technology?: 'SOLAR' | 'BATTERY';
  } = {},
): Tx {
  return tx('METER_MINT', opts.by ?? MEA, {
    meterId,
    owner: owner.address,
    zone: opts.zone ?? 'MEA-BKK',
    technology: opts.technology ?? 'SOLAR',
    intervalStartMs: opts.interval ?? I0,
    energyWh,
  });
}

describe('common rules (TX-3..TX-6, POW-1)', () => {
  it('an expired transaction is rejected with CHAIN_TX_EXPIRED (TX-5)', () => {
    const l = new Ledger();
    l.block([]);
    l.block([]);
    expectCode(
      l.apply(
        tx(
          'THB_ISSUE',
          BANK,
          { depositRef: 'd-exp', to: B0.address, amountSatang: 1n },
          { validUntilHeight: 2 },
        ),
      ),
      'CHAIN_TX_EXPIRED',
    );
  });

  it('a lifetime beyond maxTxLifetimeBlocks is rejected (TX-5)', () => {
    const l = new Ledger(testGenesis({ maxTxLifetimeBlocks: 10 }));
    expectCode(
      l.apply(
        tx(
          'THB_ISSUE',
          BANK,
          { depositRef: 'd-long', to: B0.address, amountSatang: 1n },
          { validUntilHeight: 50 },
        ),
      ),
      'CHAIN_TX_LIFETIME_TOO_LONG',
    );
  });

  it('the same transaction twice is rejected with CHAIN_TX_DUPLICATE (TX-6)', () => {
    const l = new Ledger();
    const t = tx('GRID_ZONE_HALT', MEA, { zone: 'MEA-BKK', reason: 'test' });
    l.ok(t);
    expectCode(l.apply(t), 'CHAIN_TX_DUPLICATE');
  });

  it('every replayed transaction is refused: by the replay set, or by its own rules (TX-6)', () => {
    const l = new Ledger();
    const once = <T extends Tx>(t: T): T => (l.ok(t), t);
    const t1 = once(trade(B0, S0, thbOf(B0), { tradeId: 'R-1' }));
    expectCode(l.apply(t1), 'CHAIN_TRADE_EXISTS');
    const t2 = once(
      tx(
        'TRANSFER',
        B1,
        {
          inputs: [thbOf(B1)],
          outputs: [{ owner: B2.address, asset: 'THB', amount: 100_000_000n }],
        },
        { powBits: 8 },
      ),
    );
    expectCode(l.apply(t2), 'CHAIN_INPUT_UNAVAILABLE');
    const t3 = once(
      tx('GOV_PROPOSE', EGAT, {
        proposalId: 'R-P',
        title: '',
        action: { type: 'PARAM_SET', name: 'slashBps', value: 5n },
        deadlineHeight: 50,
        effectiveHeight: 60,
      }),
    );
    expectCode(l.apply(t3), 'CHAIN_PROPOSAL_EXISTS');
    const t4 = once(tx('GOV_VOTE', MEA, { proposalId: 'R-P', approve: true }));
    expectCode(l.apply(t4), 'CHAIN_ALREADY_VOTED');
    const t5 = once(tx('THB_ISSUE', BANK, { depositRef: 'R-D', to: B2.address, amountSatang: 9n }));
    expectCode(l.apply(t5), 'CHAIN_REF_USED');
    const t6 = once(
      tx('MANDATE_SET', B2, { clearing: CLEARING.address, granted: false }, { powBits: 8 }),
    );
    l.ok(tx('MANDATE_SET', B2, { clearing: CLEARING.address, granted: true }, { powBits: 8 }));
    expectCode(l.apply(t6), 'CHAIN_TX_DUPLICATE');
    expect(l.get('account', B2.address)?.mandates).toEqual([CLEARING.address]);
  });

  it('a transaction above txMaxBytes is rejected (TX-3)', () => {
    const l = new Ledger(testGenesis({ txMaxBytes: 1_024 }));
    const big = tx('GRID_ZONE_HALT', MEA, { zone: 'MEA-BKK', reason: 'x'.repeat(256) });
    const huge = tx(
      'TRANSFER',
      B0,
      {
        inputs: Array.from({ length: 40 }, (_, i) => ({ txHash: 'ab'.repeat(32), index: i })),
        outputs: [{ owner: B1.address, asset: 'THB', amount: 1n }],
      },
      { powBits: 8 },
    );
    expect(big.bytes.length).toBeLessThan(1_024);
    expectCode(l.apply(huge), 'CHAIN_TX_TOO_LARGE');
  });

  it('an account without stake needs a PoW stamp; with one it passes (POW-1)', () => {
    const l = new Ledger();
    const unstamped = tx('TRANSFER', B0, {
      inputs: [thbOf(B0)],
      outputs: [{ owner: B1.address, asset: 'THB', amount: 100_000_000n }],
    });
    expectCode(l.apply(unstamped), 'CHAIN_POW_REQUIRED');
    const stamped = tx(
      'TRANSFER',
      B0,
      { inputs: [thbOf(B0)], outputs: [{ owner: B1.address, asset: 'THB', amount: 100_000_000n }] },
      { powBits: 8 },
    );
    expect(stamped.hash).toBe(unstamped.hash);
    expect(l.apply(stamped).ok).toBe(true);
  });
});

describe('METER_MINT (EN-1)', () => {
  it('mints GT for an ended interval, once', () => {
    const l = new Ledger();
    const out = l.ok(mint('m-1'), { advanceMs: HOUR });
    expect(l.get('utxo', outpointKey(out[0]!))).toMatchObject({
      owner: S0.address,
      asset: 'GT',
      amount: 10_000n,
    });
    expectCode(l.apply(mint('m-1', S0, 5n)), 'CHAIN_METER_INTERVAL_USED');
  });
  it('rejects each invalid variant with its code', () => {
    const l = new Ledger();
    l.block([], { advanceMs: HOUR });
    expectCode(l.apply(mint('m-2', S0, 1n, { zone: 'XX' })), 'CHAIN_UNKNOWN_ZONE');
    expectCode(l.apply(mint('m-2', S0, 1n, { by: ERC })), 'CHAIN_UNAUTHORIZED');
    expectCode(l.apply(mint('m-2', S0, 1n, { by: PEA })), 'CHAIN_UNAUTHORIZED');
    expectCode(l.apply(mint('m-2', S0, 1n, { interval: I0 + 1 })), 'CHAIN_BAD_INTERVAL');
    expectCode(
      l.apply(mint('m-2', S0, 1n, { interval: I0 + 100 * 900_000 })),
      'CHAIN_BAD_INTERVAL',
    );
    expectCode(l.apply(mint('m-2', S0, 0n)), 'CHAIN_BAD_AMOUNT');
  });
});

describe('CONSUMPTION_BURN (EN-2)', () => {
  const burn = (inputs: Outpoint[], energyWh: bigint, owner = S0, meterId = 'c-1'): Tx =>
    tx('CONSUMPTION_BURN', MEA, {
      meterId,
      owner: owner.address,
      zone: 'MEA-BKK',
      intervalStartMs: I0,
      energyWh,
      inputs,
    });
  it('burns GT, returns change, once per interval', () => {
    const l = new Ledger();
    const out = l.ok(burn([gtOf(S0)], 400_000n), { advanceMs: HOUR });
    expect(l.get('utxo', outpointKey(out[0]!))?.amount).toBe(600_000n);
    expect(l.supply().GT).toBe((16n * 1_000_000n) / 2n - 400_000n);
    expectCode(l.apply(burn([out[0]!], 1n)), 'CHAIN_METER_INTERVAL_USED');
  });
  it('rejects each invalid variant with its code', () => {
    const l = new Ledger();
    l.block([], { advanceMs: HOUR });
    expectCode(l.apply(burn([gtOf(S1)], 1n)), 'CHAIN_NOT_OWNER');
    expectCode(l.apply(burn([gtOf(S0)], 2_000_000n)), 'CHAIN_INSUFFICIENT_FUNDS');
    expectCode(l.apply(burn([thbOf(B0)], 1n, B0)), 'CHAIN_WRONG_ASSET');
    expectCode(l.apply(burn([gtOf(S0), gtOf(S0)], 1n)), 'CHAIN_DUPLICATE_INPUT');
  });
});

describe('TRANSFER (EN-3, COIN-1..3)', () => {
  const transfer = (
    by: typeof B0,
    inputs: Outpoint[],
    outputs: { owner: string; asset: 'GT' | 'THB'; amount: bigint }[],
  ): Tx => tx('TRANSFER', by, { inputs, outputs }, { powBits: 8 });
  it('moves coins with exact conservation and ordered outputs', () => {
    const l = new Ledger();
    const out = l.ok(
      transfer(
        B0,
        [thbOf(B0)],
        [
          { owner: B1.address, asset: 'THB', amount: 1n },
          { owner: B0.address, asset: 'THB', amount: 99_999_999n },
        ],
      ),
    );
    expect(out.map((o) => o.index)).toEqual([0, 1]);
    expectCode(
      l.apply(transfer(B0, [thbOf(B0)], [{ owner: B1.address, asset: 'THB', amount: 1n }])),
      'CHAIN_INPUT_UNAVAILABLE',
    );
  });
  it('rejects each invalid variant with its code', () => {
    const l = new Ledger();
    expectCode(
      l.apply(
        transfer(B0, [thbOf(B1)], [{ owner: B0.address, asset: 'THB', amount: 100_000_000n }]),
      ),
      'CHAIN_NOT_OWNER',
    );
    expectCode(
      l.apply(transfer(B0, [thbOf(B0)], [{ owner: B1.address, asset: 'THB', amount: 5n }])),
      'CHAIN_CONSERVATION',
    );
    expectCode(
      l.apply(
        transfer(B0, [thbOf(B0)], [{ owner: B1.address, asset: 'GT', amount: 100_000_000n }]),
      ),
      'CHAIN_CONSERVATION',
    );
    expectCode(
      l.apply(transfer(B0, [thbOf(B0)], [{ owner: B1.address, asset: 'THB', amount: 0n }])),
      'CHAIN_BAD_AMOUNT',
    );
    expectCode(
      l.apply(transfer(B0, [], [{ owner: B1.address, asset: 'THB', amount: 1n }])),
      'CHAIN_BAD_FIELD',
    );
    expectCode(
      l.apply(
        transfer(
          B0,
          [{ txHash: 'cd'.repeat(32), index: 0 }],
          [{ owner: B1.address, asset: 'THB', amount: 1n }],
        ),
      ),
      'CHAIN_INPUT_UNAVAILABLE',
    );
  });
});

describe('MANDATE_SET (EN-4) and THB issue/redeem (CASH-1, CASH-2)', () => {
  it('grants and revokes a mandate; refuses a non-clearing delegate', () => {
    const l = new Ledger();
    l.ok(tx('MANDATE_SET', B0, { clearing: CLEARING.address, granted: false }, { powBits: 8 }));
    expect(l.get('account', B0.address)?.mandates).toEqual([]);
    expectCode(l.apply(trade(B0, S0, thbOf(B0))), 'CHAIN_NO_MANDATE');
    expectCode(
      l.apply(tx('MANDATE_SET', B0, { clearing: STRANGER.address, granted: true }, { powBits: 8 })),
      'CHAIN_UNAUTHORIZED',
    );
  });
  it('issues THB against a deposit once and redeems it against a withdrawal once', () => {
    const l = new Ledger();
    const [coin] = l.ok(
      tx('THB_ISSUE', BANK, { depositRef: 'dep-1', to: B2.address, amountSatang: 5_000n }),
    );
    expectCode(
      l.apply(tx('THB_ISSUE', BANK, { depositRef: 'dep-1', to: B2.address, amountSatang: 5_001n })),
      'CHAIN_REF_USED',
    );
    expectCode(
      l.apply(
        tx('THB_ISSUE', CLEARING, { depositRef: 'dep-2', to: B2.address, amountSatang: 5_000n }),
      ),
      'CHAIN_UNAUTHORIZED',
    );
    expectCode(
      l.apply(tx('THB_ISSUE', BANK, { depositRef: 'dep-3', to: B2.address, amountSatang: 0n })),
      'CHAIN_BAD_AMOUNT',
    );
    const redeem = (ref: string, amount: bigint, inputs: Outpoint[]): Tx =>
      tx('THB_REDEEM', B2, { withdrawalRef: ref, amountSatang: amount, inputs }, { powBits: 8 });
    expectCode(l.apply(redeem('w-1', 10_000n, [coin!])), 'CHAIN_INSUFFICIENT_FUNDS');
    const change = l.ok(redeem('w-1', 2_000n, [coin!]));
    expect(l.get('utxo', outpointKey(change[0]!))?.amount).toBe(3_000n);
    expectCode(l.apply(redeem('w-1', 1n, [change[0]!])), 'CHAIN_REF_USED');
  });
});

describe('TRADE_SETTLE (TRD-1, TRD-2)', () => {
  it('locks the buyer THB in escrow and returns change', () => {
    const l = new Ledger();
    const t = trade(B0, S0, thbOf(B0), { tradeId: 'T-1' });
    const out = l.ok(t);
    expect(l.get('escrow', 'T-1')).toMatchObject({
      status: 'OPEN',
      amountSatang: 2_000n,
      buyer: B0.address,
    });
    expect(l.get('utxo', outpointKey(out[0]!))?.amount).toBe(100_000_000n - 2_000n);
    expectCode(l.apply(trade(B0, S0, out[0]!, { tradeId: 'T-1' })), 'CHAIN_TRADE_EXISTS');
  });
  it('rejects each invalid variant with its code', () => {
    const l = new Ledger(testGenesis({}, [{ address: STRANGER.address, thbSatang: 1_000_000n }]));
    const notClearing = tx('TRADE_SETTLE', BANK, {
      ...trade(B0, S0, thbOf(B0)).body,
      tradeId: 'x1',
    });
    expectCode(l.apply(notClearing), 'CHAIN_UNAUTHORIZED');
    expectCode(l.apply(trade(STRANGER, S0, thbOf(STRANGER))), 'CHAIN_NO_MANDATE');
    expectCode(l.apply(trade(B0, B0, thbOf(B0))), 'CHAIN_BAD_FIELD');
    expectCode(l.apply(trade(B0, S0, thbOf(B0), { buyerZone: 'XX' })), 'CHAIN_UNKNOWN_ZONE');
    expectCode(l.apply(trade(B0, S0, thbOf(B0), { quantityWh: 0n })), 'CHAIN_BAD_AMOUNT');
    expectCode(
      l.apply(trade(B0, S0, thbOf(B0), { quantityWh: 10n ** 9n, priceTicks: 10n ** 7n })),
      'CHAIN_INSUFFICIENT_FUNDS',
    );
    expectCode(l.apply(trade(B0, S0, thbOf(B1))), 'CHAIN_NOT_OWNER');
    expectCode(l.apply(trade(B0, S0, gtOf(S0))), 'CHAIN_NOT_OWNER');
    const unaligned = tx('TRADE_SETTLE', CLEARING, {
      ...trade(B0, S0, thbOf(B0)).body,
      tradeId: 'x2',
      intervalStartMs: I0 + 7,
    });
    expectCode(l.apply(unaligned), 'CHAIN_BAD_INTERVAL');
  });
  it('halted zones reject new trades until resumed (GRID-1)', () => {
    const l = new Ledger();
    l.ok(tx('GRID_ZONE_HALT', MEA, { zone: 'MEA-BKK', reason: 'feeder fault' }));
    expectCode(l.apply(trade(B0, S0, thbOf(B0))), 'CHAIN_ZONE_HALTED');
    expectCode(l.apply(trade(B0, S0, thbOf(B0), { sellerZone: 'PEA-C' })), 'CHAIN_ZONE_HALTED');
    l.ok(tx('GRID_ZONE_RESUME', EGAT, { zone: 'MEA-BKK' }));
    expect(l.apply(trade(B0, S0, thbOf(B0))).ok).toBe(true);
  });
  it('cross-zone trades need a link, no congestion flag, and capacity left (TRD-2)', () => {
    const l = new Ledger();
    expectCode(l.apply(trade(B0, S0, thbOf(B0), { sellerZone: 'PEA-S' })), 'CHAIN_NO_LINK');
    const [c1] = l.ok(
      trade(B0, S0, thbOf(B0), { sellerZone: 'PEA-C', quantityWh: 4_000_000n, priceTicks: 10n }),
    );
    expectCode(
      l.apply(
        trade(B0, S0, c1!, { sellerZone: 'PEA-C', quantityWh: 1_000_001n, priceTicks: 100_000n }),
      ),
      'CHAIN_LINK_CAPACITY',
    );
    l.ok(tx('GRID_CONGESTION_SET', EGAT, { from: 'PEA-C', to: 'MEA-BKK', congested: true }));
    expectCode(
      l.apply(trade(B0, S0, c1!, { sellerZone: 'PEA-C', quantityWh: 1n, priceTicks: 100_000n })),
      'CHAIN_LINK_CONGESTED',
    );
  });
});

describe('DELIVERY_SETTLE and ESCROW_REFUND (TRD-3, TRD-4)', () => {
  function setup(): { l: Ledger; gt: Outpoint } {
    const l = new Ledger();
    l.ok(trade(B0, S0, thbOf(B0), { tradeId: 'D-1', quantityWh: 5_000n, priceTicks: 40_000n }));
    return { l, gt: gtOf(S0) };
  }
  const deliver = (
    tradeId: string,
    deliveredWh: bigint,
    inputs: Outpoint[],
    charge = 0n,
    by = CLEARING,
    collector = EGAT,
  ): Tx =>
    tx('DELIVERY_SETTLE', by, {
      tradeId,
      deliveredWh,
      imbalanceChargeSatang: charge,
      imbalanceAccount: collector.address,
      inputs,
    });
  it('delivers GT, releases the delivered share, refunds the shortfall, charges imbalance', () => {
    const { l, gt } = setup();
    const out = l.ok(deliver('D-1', 3_000n, [gt], 200n));
    // 2,000 satang escrowed for 5,000 Wh; 3,000 Wh delivered → 1,200 released, 800 refunded.
    const coins = out.map((o) => l.get('utxo', outpointKey(o))!);
    expect(coins.map((c) => [c.owner, c.asset, c.amount])).toEqual([
      [B0.address, 'GT', 3_000n],
      [S0.address, 'GT', 1_000_000n - 3_000n],
      [S0.address, 'THB', 1_000n],
      [B0.address, 'THB', 800n],
      [EGAT.address, 'THB', 200n],
    ]);
    expect(l.get('escrow', 'D-1')).toMatchObject({
      status: 'SETTLED',
      deliveredWh: 3_000n,
      releasedSatang: 1_200n,
    });
    expectCode(l.apply(deliver('D-1', 1n, [out[1]!])), 'CHAIN_ESCROW_CLOSED');
  });
  it('rejects each invalid variant with its code', () => {
    const { l, gt } = setup();
    expectCode(l.apply(deliver('nope', 1n, [gt])), 'CHAIN_ESCROW_NOT_FOUND');
    expectCode(l.apply(deliver('D-1', 5_001n, [gt])), 'CHAIN_DELIVERY_EXCEEDS_TRADE');
    expectCode(l.apply(deliver('D-1', 1_000n, [gt], 401n)), 'CHAIN_IMBALANCE_EXCEEDS_RELEASE');
    expectCode(l.apply(deliver('D-1', 1_000n, [gt], 1n, CLEARING, MEA)), 'CHAIN_UNAUTHORIZED');
    expectCode(l.apply(deliver('D-1', 1_000n, [gt], 0n, BANK)), 'CHAIN_UNAUTHORIZED');
    expectCode(l.apply(deliver('D-1', 1_000n, [gtOf(SELLERS[3]!)])), 'CHAIN_NOT_OWNER');
    expectCode(l.apply(deliver('D-1', 0n, [gt])), 'CHAIN_BAD_FIELD');
  });
  it('refunds an escrow in full once', () => {
    const { l } = setup();
    const [coin] = l.ok(
      tx('ESCROW_REFUND', CLEARING, { tradeId: 'D-1', reason: 'trade annulled' }),
    );
    expect(l.get('utxo', outpointKey(coin!))).toMatchObject({ owner: B0.address, amount: 2_000n });
    expectCode(
      l.apply(tx('ESCROW_REFUND', CLEARING, { tradeId: 'D-1', reason: 'again' })),
      'CHAIN_ESCROW_CLOSED',
    );
    expectCode(
      l.apply(tx('ESCROW_REFUND', CLEARING, { tradeId: 'none', reason: '' })),
      'CHAIN_ESCROW_NOT_FOUND',
    );
  });
});

describe('REC issue, transfer, retire, revoke (REC-1..5)', () => {
  function issue(
    recId: string,
    backing: { intervalStartMs: number; energyWh: bigint }[],
    opts: { by?: typeof EGAT; technology?: 'SOLAR' | 'BATTERY'; period?: [number, number] } = {},
  ): Tx {
    return tx('REC_ISSUE', opts.by ?? EGAT, {
      recId,
      owner: S0.address,
      meterId: 'pv-1',
      zone: 'MEA-BKK',
      technology: opts.technology ?? 'SOLAR',
      periodStartMs: opts.period?.[0] ?? I0,
      periodEndMs: opts.period?.[1] ?? I0 + HOUR,
      backing,
    });
  }
  function setup(): Ledger {
    const l = new Ledger();
    l.ok(mint('pv-1', S0, 600_000n), { advanceMs: 2 * HOUR });
    l.ok(mint('pv-1', S0, 500_000n, { interval: I0 + 900_000 }));
    return l;
  }
  it('a Wh of generation backs at most one REC', () => {
    const l = setup();
    l.ok(
      issue('REC-1', [
        { intervalStartMs: I0, energyWh: 600_000n },
        { intervalStartMs: I0 + 900_000, energyWh: 400_000n },
      ]),
    );
    expect(l.get('rec', 'REC-1')).toMatchObject({ amountWh: 1_000_000n, status: 'ACTIVE' });
    expectCode(
      l.apply(issue('REC-2', [{ intervalStartMs: I0, energyWh: 1n }])),
      'CHAIN_REC_BACKING',
    );
    expectCode(
      l.apply(issue('REC-2', [{ intervalStartMs: I0 + 900_000, energyWh: 100_001n }])),
      'CHAIN_REC_BACKING',
    );
    expect(
      l.apply(issue('REC-2', [{ intervalStartMs: I0 + 900_000, energyWh: 100_000n }])).ok,
    ).toBe(true);
  });
  it('rejects each invalid issue with its code', () => {
    const l = setup();
    expectCode(
      l.apply(issue('R', [{ intervalStartMs: I0, energyWh: 1n }], { by: MEA })),
      'CHAIN_UNAUTHORIZED',
    );
    expectCode(
      l.apply(issue('R', [{ intervalStartMs: I0, energyWh: 1n }], { technology: 'BATTERY' })),
      'CHAIN_REC_NOT_RENEWABLE',
    );
    expectCode(
      l.apply(issue('R', [{ intervalStartMs: I0 + 2 * 900_000, energyWh: 1n }])),
      'CHAIN_REC_BACKING',
    );
    expectCode(
      l.apply(
        issue('R', [{ intervalStartMs: I0, energyWh: 1n }], { period: [I0 + 900_000, I0 + HOUR] }),
      ),
      'CHAIN_REC_BACKING',
    );
    expectCode(
      l.apply(issue('R', [{ intervalStartMs: I0, energyWh: 1n }], { period: [I0, I0] })),
      'CHAIN_BAD_FIELD',
    );
    expectCode(l.apply(issue('R', [])), 'CHAIN_REC_BACKING');
    expectCode(
      l.apply(
        issue('R', [
          { intervalStartMs: I0, energyWh: 1n },
          { intervalStartMs: I0, energyWh: 1n },
        ]),
      ),
      'CHAIN_REC_BACKING',
    );
    l.ok(issue('R', [{ intervalStartMs: I0, energyWh: 1n }]));
    expectCode(l.apply(issue('R', [{ intervalStartMs: I0, energyWh: 2n }])), 'CHAIN_REC_EXISTS');
  });
  it('moves only by its owner; a retired REC never moves again; a revoked one is frozen', () => {
    const l = setup();
    l.ok(issue('R1', [{ intervalStartMs: I0, energyWh: 1_000n }]));
    l.ok(issue('R2', [{ intervalStartMs: I0, energyWh: 1_000n }]));
    const move = (recId: string, by: typeof S0, to: typeof S0): Tx =>
      tx('REC_TRANSFER', by, { recId, to: to.address }, { powBits: 8 });
    expectCode(l.apply(move('R1', B0, B0)), 'CHAIN_NOT_OWNER');
    l.ok(move('R1', S0, B0));
    expect(l.get('rec', 'R1')?.owner).toBe(B0.address);
    l.ok(
      tx(
        'REC_RETIRE',
        B0,
        { recId: 'R1', beneficiary: 'Siam Cement 2026 scope 2' },
        { powBits: 8 },
      ),
    );
    expectCode(l.apply(move('R1', B0, S0)), 'CHAIN_REC_RETIRED');
    expectCode(
      l.apply(tx('REC_RETIRE', B0, { recId: 'R1', beneficiary: 'again' }, { powBits: 8 })),
      'CHAIN_REC_RETIRED',
    );
    expectCode(
      l.apply(tx('REC_REVOKE', ERC, { recId: 'R1', reason: 'late' })),
      'CHAIN_REC_RETIRED',
    );
    expectCode(l.apply(tx('REC_REVOKE', MEA, { recId: 'R2', reason: 'x' })), 'CHAIN_UNAUTHORIZED');
    l.ok(tx('REC_REVOKE', ERC, { recId: 'R2', reason: 'meter tampering' }));
    expectCode(l.apply(move('R2', S0, B0)), 'CHAIN_REC_REVOKED');
    expectCode(l.apply(move('R9', S0, B0)), 'CHAIN_REC_NOT_FOUND');
  });
});

describe('stake (STK-1..3)', () => {
  it('bonds, unbonds, and withdraws after the unbonding period', () => {
    const l = new Ledger(testGenesis({ unbondingBlocks: 3 }));
    const bond = (amount: bigint, inputs: Outpoint[]): Tx =>
      tx('STAKE_BOND', B0, { amountSatang: amount, inputs }, { powBits: 8 });
    expectCode(l.apply(bond(200_000_000n, [thbOf(B0)])), 'CHAIN_INSUFFICIENT_FUNDS');
    l.ok(bond(1_000_000n, [thbOf(B0)]));
    expect(l.get('account', B0.address)?.bondedSatang).toBe(1_000_000n);
    // Staked now: no stamp needed.
    expectCode(
      l.apply(tx('STAKE_UNBOND', B0, { amountSatang: 2_000_000n })),
      'CHAIN_STAKE_INSUFFICIENT',
    );
    expectCode(l.apply(tx('STAKE_UNBOND', B0, { amountSatang: 0n })), 'CHAIN_BAD_AMOUNT');
    l.ok(tx('STAKE_UNBOND', B0, { amountSatang: 1_000_000n }));
    expectCode(l.apply(tx('STAKE_WITHDRAW', B0, {}, { powBits: 8 })), 'CHAIN_NOTHING_TO_WITHDRAW');
    l.block([]);
    l.block([]);
    const [coin] = l.ok(tx('STAKE_WITHDRAW', B0, {}, { validUntilHeight: 499, powBits: 8 }));
    expect(l.get('utxo', outpointKey(coin!))?.amount).toBe(1_000_000n);
    expect(l.holdings()).toEqual(l.supply());
  });
});

describe('governance (GOV-1..5)', () => {
  const propose = (
    id: string,
    by: typeof EGAT,
    action: Parameters<typeof tx<'GOV_PROPOSE'>>[2]['action'],
    deadline: number,
    effective: number,
  ): Tx =>
    tx('GOV_PROPOSE', by, {
      proposalId: id,
      title: id,
      action,
      deadlineHeight: deadline,
      effectiveHeight: effective,
    });
  const vote = (id: string, by: typeof EGAT, approve = true): Tx =>
    tx('GOV_VOTE', by, { proposalId: id, approve });

  it('a parameter change passes with > 2/3 of the power and takes effect at its stated height', () => {
    const l = new Ledger();
    l.ok(propose('P-1', EGAT, { type: 'PARAM_SET', name: 'slashBps', value: 2_500n }, 10, 12));
    l.ok(vote('P-1', EGAT));
    l.ok(vote('P-1', MEA));
    expect(l.get('proposal', 'P-1')?.status).toBe('OPEN');
    l.ok(vote('P-1', PEA));
    expect(l.get('proposal', 'P-1')?.status).toBe('PASSED');
    expectCode(l.apply(vote('P-1', ERC)), 'CHAIN_PROPOSAL_CLOSED');
    while (l.height < 11) l.block([]);
    expect(l.get('params', '_')?.slashBps).toBe(1_000);
    l.block([]);
    expect(l.height).toBe(12);
    expect(l.get('params', '_')?.slashBps).toBe(2_500);
    expect(l.get('proposal', 'P-1')?.status).toBe('EXECUTED');
  });
  it('a proposal without quorum by its deadline is rejected', () => {
    const l = new Ledger();
    l.ok(
      propose(
        'P-2',
        EGAT,
        { type: 'ROLE_GRANT', address: STRANGER.address, role: 'CLEARING' },
        4,
        6,
      ),
    );
    l.ok(vote('P-2', EGAT));
    l.ok(vote('P-2', MEA, false));
    l.block([]);
    expect(l.get('proposal', 'P-2')?.status).toBe('REJECTED');
    expectCode(l.apply(vote('P-2', PEA)), 'CHAIN_PROPOSAL_CLOSED');
  });
  it('registering and revoking authorities changes the validator set at the next height', () => {
    const l = new Ledger();
    const newcomer = key('new-authority');
    l.ok(
      propose(
        'P-3',
        ERC,
        {
          type: 'AUTHORITY_REGISTER',
          address: newcomer.address,
          name: 'EGAT-2',
          weight: 10,
          roles: ['GRID_OPERATOR'],
        },
        6,
        7,
      ),
    );
    for (const v of [EGAT, MEA, PEA]) l.ok(vote('P-3', v));
    while (l.height < 7) l.block([]);
    const sets = l.get('validatorSets', '_')!;
    expect(sets.next.members.map((m) => m.address)).toContain(newcomer.address);
    expect(sets.changedAtHeight).toBe(8);
  });
  it('rejects each invalid proposal or vote with its code', () => {
    const l = new Ledger();
    expectCode(
      l.apply(propose('X', CLEARING, { type: 'PARAM_SET', name: 'slashBps', value: 1n }, 5, 6)),
      'CHAIN_UNAUTHORIZED',
    );
    expectCode(
      l.apply(propose('X', EGAT, { type: 'PARAM_SET', name: 'slashBps', value: 1n }, 6, 6)),
      'CHAIN_BAD_PROPOSAL',
    );
    expectCode(
      l.apply(propose('X', EGAT, { type: 'PARAM_SET', name: 'nope', value: 1n }, 5, 6)),
      'CHAIN_BAD_PROPOSAL',
    );
    expectCode(
      l.apply(propose('X', EGAT, { type: 'PARAM_SET', name: 'blockMaxBytes', value: 10n }, 5, 6)),
      'CHAIN_BAD_PROPOSAL',
    );
    expectCode(
      l.apply(propose('X', EGAT, { type: 'AUTHORITY_REVOKE', address: STRANGER.address }, 5, 6)),
      'CHAIN_BAD_PROPOSAL',
    );
    expectCode(
      l.apply(
        propose(
          'X',
          EGAT,
          {
            type: 'AUTHORITY_REGISTER',
            address: '00'.repeat(32),
            name: 'bad',
            weight: 1,
            roles: [],
          },
          9,
          10,
        ),
      ),
      'CHAIN_BAD_PROPOSAL',
    );
    l.ok(propose('Y', EGAT, { type: 'PARAM_SET', name: 'slashBps', value: 1n }, 20, 21));
    expectCode(
      l.apply(propose('Y', EGAT, { type: 'PARAM_SET', name: 'slashBps', value: 2n }, 20, 21)),
      'CHAIN_PROPOSAL_EXISTS',
    );
    expectCode(l.apply(vote('Z', EGAT)), 'CHAIN_PROPOSAL_NOT_FOUND');
    expectCode(l.apply(vote('Y', CLEARING)), 'CHAIN_UNAUTHORIZED');
    l.ok(vote('Y', EGAT));
    expectCode(l.apply(vote('Y', EGAT, false)), 'CHAIN_ALREADY_VOTED');
  });
});

describe('grid transactions (GRID-1..3)', () => {
  it('rejects each invalid variant with its code', () => {
    const l = new Ledger();
    expectCode(
      l.apply(tx('GRID_ZONE_HALT', MEA, { zone: 'PEA-C', reason: '' })),
      'CHAIN_UNAUTHORIZED',
    );
    expectCode(
      l.apply(tx('GRID_ZONE_HALT', EGAT, { zone: 'XX', reason: '' })),
      'CHAIN_UNKNOWN_ZONE',
    );
    expectCode(l.apply(tx('GRID_ZONE_RESUME', MEA, { zone: 'PEA-N' })), 'CHAIN_UNAUTHORIZED');
    expectCode(
      l.apply(
        tx('GRID_LINK_SET', MEA, { from: 'PEA-C', to: 'PEA-S', capacityWh: 1n, wheelingTicks: 1 }),
      ),
      'CHAIN_UNAUTHORIZED',
    );
    expectCode(
      l.apply(
        tx('GRID_LINK_SET', EGAT, { from: 'PEA-C', to: 'PEA-C', capacityWh: 1n, wheelingTicks: 1 }),
      ),
      'CHAIN_BAD_FIELD',
    );
    expectCode(
      l.apply(
        tx('GRID_LINK_SET', EGAT, { from: 'PEA-C', to: 'ZZ', capacityWh: 1n, wheelingTicks: 1 }),
      ),
      'CHAIN_UNKNOWN_ZONE',
    );
    expectCode(
      l.apply(tx('GRID_CONGESTION_SET', EGAT, { from: 'PEA-C', to: 'PEA-S', congested: true })),
      'CHAIN_NO_LINK',
    );
    expectCode(
      l.apply(tx('GRID_CONGESTION_SET', MEA, { from: 'PEA-C', to: 'MEA-BKK', congested: true })),
      'CHAIN_UNAUTHORIZED',
    );
  });
  it('a new link opens a corridor and its capacity bounds trades', () => {
    const l = new Ledger();
    l.ok(
      tx('GRID_LINK_SET', EGAT, {
        from: 'PEA-S',
        to: 'MEA-BKK',
        capacityWh: 10_000n,
        wheelingTicks: 3_000,
      }),
    );
    const [c] = l.ok(trade(B0, S0, thbOf(B0), { sellerZone: 'PEA-S', quantityWh: 10_000n }));
    expectCode(
      l.apply(trade(B0, S0, c!, { sellerZone: 'PEA-S', quantityWh: 1n, priceTicks: 100_000n })),
      'CHAIN_LINK_CAPACITY',
    );
  });
});

describe('conservation holds across all of the above (COIN-2)', () => {
  it('holdings equal minted minus burned after a mixed history', () => {
    const l = new Ledger();
    l.ok(mint('m-x'), { advanceMs: HOUR });
    l.ok(trade(B0, S0, thbOf(B0), { tradeId: 'C-1' }));
    l.ok(
      tx('DELIVERY_SETTLE', CLEARING, {
        tradeId: 'C-1',
        deliveredWh: 4_000n,
        imbalanceChargeSatang: 10n,
        imbalanceAccount: EGAT.address,
        inputs: [gtOf(S0)],
      }),
    );
    l.ok(tx('THB_ISSUE', BANK, { depositRef: 'c-dep', to: B1.address, amountSatang: 77n }));
    expect(l.holdings()).toEqual(l.supply());
  });
});
