// Shared set-up for the chain benchmark: deterministic keys, a genesis with many funded buyers
// who mandate the clearing account, and pre-signed trade settlements that chain each buyer's
// change coin, so submission itself costs nothing measurable during a run.
import { createHash } from 'node:crypto';
import {
  createSigner,
  genesisOutpoint,
  keyPairFromSeed,
  signTx,
  thailandGenesis,
} from '../dist/index.js';

export const CHAIN_ID = 'gridtokenx-bench-1';
const seed = (name) =>
  new Uint8Array(createHash('sha256').update(`gridtokenx bench ${name}`).digest());

export const AUTHORITIES = ['EGAT', 'MEA', 'PEA', 'ERC'].map((name) => ({
  name,
  pair: keyPairFromSeed(seed(name)),
}));
export const CLEARING = keyPairFromSeed(seed('clearing'));
export const SELLERS = Array.from({ length: 50 }, (_, i) => keyPairFromSeed(seed(`seller-${i}`)));

export function makeGenesis(buyers) {
  return thailandGenesis({
    chainId: CHAIN_ID,
    genesisTimeMs: Date.now(),
    authorities: Object.fromEntries(AUTHORITIES.map((a) => [a.name, a.pair.address])),
    accounts: [
      {
        address: CLEARING.address,
        name: 'Exchange clearing',
        roles: ['CLEARING'],
        stakeSatang: 100_000_000n,
      },
      ...buyers.map((b) => ({
        address: b.address,
        thbSatang: 1_000_000_000_000n,
        mandates: [CLEARING.address],
      })),
      ...SELLERS.map((s) => ({
        address: s.address,
        gtWh: 1_000_000_000n,
        mandates: [CLEARING.address],
      })),
    ],
    params: { maxTxLifetimeBlocks: 50_000 },
  });
}

export function makeBuyers(n) {
  return Array.from({ length: n }, (_, i) => keyPairFromSeed(seed(`buyer-${i}`)));
}

const INTERVAL_MS = 900_000;

/** A stream of signed trade settlements; each buyer spends the change of its previous trade. */
export function tradeFactory(buyers) {
  const signer = createSigner(CLEARING.secretKey);
  const lastCoin = buyers.map((b) => genesisOutpoint(CHAIN_ID, b.address, 'THB'));
  let seq = 0;
  const interval = Math.floor(Date.now() / INTERVAL_MS) * INTERVAL_MS + 8 * INTERVAL_MS;
  return () => {
    const i = seq % buyers.length;
    const buyer = buyers[i];
    const seller = SELLERS[seq % SELLERS.length];
    const quantityWh = BigInt(1_000 + (seq % 9_000));
    const priceTicks = 35_000n;
    const tx = signTx(
      CHAIN_ID,
      {
        kind: 'TRADE_SETTLE',
        signer: CLEARING.address,
        validUntilHeight: 50_000,
        body: {
          tradeId: `bench-${seq}`,
          buyer: buyer.address,
          seller: seller.address,
          buyerZone: 'MEA-BKK',
          sellerZone: seq % 10 === 0 ? 'PEA-C' : 'MEA-BKK',
          intervalStartMs: interval + INTERVAL_MS * Math.floor(seq / 2_000),
          quantityWh,
          priceTicks,
          amountSatang: (quantityWh * priceTicks) / 100_000n,
          inputs: [lastCoin[i]],
        },
      },
      signer,
    );
    lastCoin[i] = { txHash: tx.hash, index: 0 };
    seq++;
    return tx;
  };
}

export function percentile(sorted, p) {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}
