// Known-answer vectors (TX-1, TX-2, BLK-1, STATE-2): sign bytes, transaction hashes and wire
// bytes for one transaction of every kind, a block hash, and the genesis state root, frozen in
// test/vectors/*.json. Any change to encodings, domains or hashing breaks them on purpose.
// Regenerate deliberately with GTX_WRITE_VECTORS=1 (and explain why in the commit).
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { toHex } from '../src/internal/bytes.ts';
import { buildBlock } from '../src/internal/block.ts';
import { buildGenesis } from '../src/internal/state/genesis.ts';
import { CommittedState } from '../src/internal/state/view.ts';
import type { Tx } from '../src/internal/tx/tx.ts';
import { TX_KINDS } from '../src/internal/tx/kinds.ts';
import {
  BANK,
  BUYERS,
  CHAIN_ID,
  CLEARING,
  EGAT,
  ERC,
  MEA,
  SELLERS,
  testGenesis,
} from './support/fixtures.ts';
import { gtOf, thbOf, tx } from './support/txs.ts';

const I0 = 1_767_225_600_000;
const B = BUYERS[0]!;
const S = SELLERS[0]!;

function oneOfEach(): Tx[] {
  return [
    tx('METER_MINT', MEA, {
      meterId: 'MEA-0001',
      owner: S.address,
      zone: 'MEA-BKK',
      technology: 'SOLAR',
      intervalStartMs: I0,
      energyWh: 1_250n,
    }),
    tx('CONSUMPTION_BURN', MEA, {
      meterId: 'MEA-0002',
      owner: S.address,
      zone: 'MEA-BKK',
      intervalStartMs: I0,
      energyWh: 800n,
      inputs: [gtOf(S)],
    }),
    tx(
      'TRANSFER',
      B,
      {
        inputs: [thbOf(B)],
        outputs: [
          { owner: S.address, asset: 'THB', amount: 100n },
          { owner: B.address, asset: 'THB', amount: 99_999_900n },
        ],
      },
      { powBits: 8 },
    ),
    tx('TRADE_SETTLE', CLEARING, {
      tradeId: 'trade-0001',
      buyer: B.address,
      seller: S.address,
      buyerZone: 'MEA-BKK',
      sellerZone: 'PEA-C',
      intervalStartMs: I0 + 900_000,
      quantityWh: 5_000n,
      priceTicks: 40_000n,
      amountSatang: 2_000n,
      inputs: [thbOf(B)],
    }),
    tx('DELIVERY_SETTLE', CLEARING, {
      tradeId: 'trade-0001',
      deliveredWh: 4_500n,
      imbalanceChargeSatang: 50n,
      imbalanceAccount: EGAT.address,
      inputs: [gtOf(S)],
    }),
    tx('ESCROW_REFUND', CLEARING, { tradeId: 'trade-0002', reason: 'annulled' }),
    tx('THB_ISSUE', BANK, { depositRef: 'dep-0001', to: B.address, amountSatang: 1_000_000n }),
    tx('THB_REDEEM', B, { withdrawalRef: 'wd-0001', amountSatang: 500n, inputs: [thbOf(B)] }),
    tx('MANDATE_SET', B, { clearing: CLEARING.address, granted: true }),
    tx('STAKE_BOND', B, { amountSatang: 100_000n, inputs: [thbOf(B)] }),
    tx('STAKE_UNBOND', B, { amountSatang: 50_000n }),
    tx('STAKE_WITHDRAW', B, {}),
    tx('GOV_PROPOSE', EGAT, {
      proposalId: 'prop-0001',
      title: 'ขยายขนาดบล็อก',
      action: { type: 'PARAM_SET', name: 'blockMaxBytes', value: 2_000_000n },
      deadlineHeight: 100,
      effectiveHeight: 110,
    }),
    tx('GOV_VOTE', ERC, { proposalId: 'prop-0001', approve: true }),
    tx('GRID_ZONE_HALT', MEA, { zone: 'MEA-BKK', reason: 'substation fault' }),
    tx('GRID_ZONE_RESUME', MEA, { zone: 'MEA-BKK' }),
    tx('GRID_LINK_SET', EGAT, {
      from: 'PEA-C',
      to: 'PEA-N',
      capacityWh: 2_000_000n,
      wheelingTicks: 2_500,
    }),
    tx('GRID_CONGESTION_SET', EGAT, { from: 'PEA-C', to: 'PEA-N', congested: true }),
    tx('REC_ISSUE', EGAT, {
      recId: 'REC-0001',
      owner: S.address,
      meterId: 'MEA-0001',
      zone: 'MEA-BKK',
      technology: 'SOLAR',
      periodStartMs: I0,
      periodEndMs: I0 + 3_600_000,
      backing: [{ intervalStartMs: I0, energyWh: 1_000n }],
    }),
    tx('REC_TRANSFER', S, { recId: 'REC-0001', to: B.address }),
    tx('REC_RETIRE', B, { recId: 'REC-0001', beneficiary: 'Thai Union 2026' }),
    tx('REC_REVOKE', ERC, { recId: 'REC-0002', reason: 'meter fault' }),
  ];
}

function vectors(): Record<string, unknown> {
  const txs = oneOfEach();
  const state = new CommittedState();
  const genesis = buildGenesis(testGenesis(), state);
  const block = buildBlock(CHAIN_ID, {
    height: 1,
    parentHash: genesis.block.hash,
    timeMs: I0 + 60_000,
    proposer: EGAT.address,
    stateRoot: 'aa'.repeat(32),
    gridHash: 'bb'.repeat(32),
    txs: txs.slice(0, 3),
    evidence: [],
    lastCommit: null,
  });
  return {
    chainId: CHAIN_ID,
    transactions: txs.map((t) => ({
      kind: t.kind,
      signBytes: toHex(t.signBytes),
      hash: t.hash,
      bytes: toHex(t.bytes),
    })),
    genesis: {
      hash: genesis.block.hash,
      stateRoot: genesis.block.header.stateRoot,
      gridHash: genesis.block.header.gridHash,
    },
    block: { header: { ...block.header }, hash: block.hash },
  };
}

const FILE = fileURLToPath(new URL('./vectors/known-answers.json', import.meta.url));

describe('known-answer vectors (TX-1, TX-2, BLK-1, STATE-2)', () => {
  const actual = vectors();
  if (process.env.GTX_WRITE_VECTORS === '1')
    writeFileSync(FILE, `${JSON.stringify(actual, null, 2)}\n`);
  const frozen = JSON.parse(readFileSync(FILE, 'utf8')) as typeof actual;

  it('covers every transaction kind', () => {
    expect((frozen.transactions as { kind: string }[]).map((t) => t.kind)).toEqual(TX_KINDS);
  });
  it('sign bytes, hashes and wire bytes are unchanged', () => {
    expect(actual.transactions).toEqual(frozen.transactions);
  });
  it('the genesis state root and hash are unchanged', () => {
    expect(actual.genesis).toEqual(frozen.genesis);
  });
  it('the block header and hash are unchanged', () => {
    expect(actual.block).toEqual(frozen.block);
  });
});
