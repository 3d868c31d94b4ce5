import { describe, expect, it } from 'vitest';
import { keyPairFromSeed } from '../src/internal/crypto/keys.ts';
import { createFastSigner, verifyFast } from '../src/internal/crypto/node-ed25519.ts';
import { sha256 } from '../src/internal/crypto/hash.ts';
import { utf8 } from '../src/internal/bytes.ts';
import { buildGenesis, genesisOutpoint } from '../src/internal/state/genesis.ts';
import { CommittedState } from '../src/internal/state/view.ts';
import { executeBlock } from '../src/internal/state/execute.ts';
import { signTx } from '../src/internal/tx/tx.ts';

const key = (n: string) => keyPairFromSeed(sha256(utf8(n)));

describe('smoke', () => {
  it('executes a trade settlement', () => {
    const egat = key('egat'), mea = key('mea'), pea = key('pea'), erc = key('erc');
    const clearing = key('clearing'), buyer = key('buyer'), seller = key('seller');
    const state = new CommittedState();
    const g = buildGenesis({
      chainId: 'test-1',
      genesisTimeMs: 1_700_000_000_000,
      authorities: [
        { name: 'EGAT', address: egat.address, weight: 25, roles: ['GRID_OPERATOR', 'REC_ISSUER', 'BALANCING'] },
        { name: 'MEA', address: mea.address, weight: 25, roles: ['METERING'] },
        { name: 'PEA', address: pea.address, weight: 25, roles: ['METERING'] },
        { name: 'ERC', address: erc.address, weight: 25, roles: ['REGULATOR'] },
      ],
      accounts: [
        { address: clearing.address, name: 'clearing', roles: ['CLEARING'], stakeSatang: 1_000_000n },
        { address: buyer.address, thbSatang: 1_000_000n, mandates: [clearing.address] },
        { address: seller.address, gtWh: 10_000n, mandates: [clearing.address] },
      ],
      zones: [
        { id: 'MEA-BKK', name: 'Bangkok', operator: mea.address },
        { id: 'PEA-C', name: 'Central', operator: pea.address },
      ],
      links: [{ from: 'PEA-C', to: 'MEA-BKK', capacityWh: 100_000n, wheelingTicks: 1500 }],
    }, state);
    expect(g.validators.totalPower).toBe(100);
    const tx = signTx('test-1', {
      kind: 'TRADE_SETTLE',
      signer: clearing.address,
      validUntilHeight: 10,
      body: {
        tradeId: 't1', buyer: buyer.address, seller: seller.address, buyerZone: 'MEA-BKK', sellerZone: 'PEA-C',
        intervalStartMs: 1_700_000_100_000 - (1_700_000_100_000 % 900_000), quantityWh: 5000n, priceTicks: 40000n,
        amountSatang: 2000n, inputs: [genesisOutpoint('test-1', buyer.address, 'THB')],
      },
    }, createFastSigner(clearing.secretKey));
    expect(verifyFast(clearing.publicKey, tx.signBytes, tx.signature)).toBe(true);
    const res = executeBlock(state, {
      chainId: 'test-1', height: 1, timeMs: 1_700_000_001_000, txs: [tx], evidence: [], lastCommit: null, verify: verifyFast,
    }, 'validate');
    if ('ok' in res) throw new Error(res.message);
    expect(res.applied.length).toBe(1);
    state.apply(res.prepared);
    expect(state.utxosByOwner.get(buyer.address)?.size).toBe(1);
  });
});
