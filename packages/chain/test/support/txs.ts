// Builders for signed test transactions, so tests read as "a trade of 5 kWh at 4 THB".
import { createFastSigner } from '../../src/internal/crypto/node-ed25519.ts';
import type { KeyPair } from '../../src/internal/crypto/keys.ts';
import type { TxBodies, TxKind } from '../../src/internal/tx/kinds.ts';
import { signTx } from '../../src/internal/tx/tx.ts';
import type { SignedTx } from '../../src/internal/tx/tx.ts';
import { stampTx } from '../../src/internal/tx/pow.ts';
import type { Outpoint } from '../../src/internal/tx/fields.ts';
import { genesisOutpoint } from '../../src/internal/state/genesis.ts';
import { CHAIN_ID, CLEARING } from './fixtures.ts';

export function tx<K extends TxKind>(
  kind: K,
  by: KeyPair,
  body: TxBodies[K],
  opts: { validUntilHeight?: number; powBits?: number; chainId?: string } = {},
): SignedTx<K> {
  const signed = signTx(
    opts.chainId ?? CHAIN_ID,
    { kind, signer: by.address, validUntilHeight: opts.validUntilHeight ?? 500, body },
    createFastSigner(by.secretKey),
  );
  return opts.powBits === undefined ? signed : stampTx(signed as never, opts.powBits);
}

export function thbOf(k: KeyPair): Outpoint {
  return genesisOutpoint(CHAIN_ID, k.address, 'THB');
}

export function gtOf(k: KeyPair): Outpoint {
  return genesisOutpoint(CHAIN_ID, k.address, 'GT');
}

export const INTERVAL = 1_767_225_600_000 + 8 * 900_000;

let tradeSeq = 0;

/** A same-zone trade; `input` is the buyer's THB coin to spend. */
export function trade(
  buyer: KeyPair,
  seller: KeyPair,
  input: Outpoint,
  opts: {
    quantityWh?: bigint;
    priceTicks?: bigint;
    buyerZone?: string;
    sellerZone?: string;
    tradeId?: string;
  } = {},
): SignedTx<'TRADE_SETTLE'> {
  const quantityWh = opts.quantityWh ?? 5_000n;
  const priceTicks = opts.priceTicks ?? 40_000n;
  return tx('TRADE_SETTLE', CLEARING, {
    tradeId: opts.tradeId ?? `trade-${++tradeSeq}`,
    buyer: buyer.address,
    seller: seller.address,
    buyerZone: opts.buyerZone ?? 'MEA-BKK',
    sellerZone: opts.sellerZone ?? 'MEA-BKK',
    intervalStartMs: INTERVAL,
    quantityWh,
    priceTicks,
    amountSatang: (quantityWh * priceTicks) / 100_000n,
    inputs: [input],
  });
}
