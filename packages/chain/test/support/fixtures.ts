// Deterministic keys and a genesis shaped like the engine's: four authorities, a clearing
// account with stake, a settlement bank, buyers and sellers with opening balances and mandates.
import { utf8 } from '../../src/internal/bytes.ts';
import { sha256 } from '../../src/internal/crypto/hash.ts';
import { keyPairFromSeed } from '../../src/internal/crypto/keys.ts';
import type { KeyPair } from '../../src/internal/crypto/keys.ts';
import type { GenesisAccount, GenesisConfig } from '../../src/internal/state/genesis.ts';
import type { ChainParams } from '../../src/internal/state/params.ts';

export const CHAIN_ID = 'gridtokenx-test-1';
export const GENESIS_TIME = 1_767_225_600_000; // 2026-01-01T00:00:00Z

export function key(name: string): KeyPair {
  return keyPairFromSeed(sha256(utf8(`gridtokenx test key ${name}`)));
}

export const EGAT = key('EGAT');
export const MEA = key('MEA');
export const PEA = key('PEA');
export const ERC = key('ERC');
export const VALIDATORS = [EGAT, MEA, PEA, ERC] as const;
export const CLEARING = key('clearing');
export const BANK = key('bank');
export const BUYERS = Array.from({ length: 8 }, (_, i) => key(`buyer-${i}`));
export const SELLERS = Array.from({ length: 8 }, (_, i) => key(`seller-${i}`));
export const STRANGER = key('stranger');

export function testGenesis(
  params: Partial<ChainParams> = {},
  extraAccounts: readonly GenesisAccount[] = [],
): GenesisConfig {
  return {
    chainId: CHAIN_ID,
    genesisTimeMs: GENESIS_TIME,
    authorities: [
      {
        name: 'EGAT',
        address: EGAT.address,
        weight: 25,
        roles: ['GRID_OPERATOR', 'REC_ISSUER', 'BALANCING'],
      },
      { name: 'MEA', address: MEA.address, weight: 25, roles: ['METERING'] },
      { name: 'PEA', address: PEA.address, weight: 25, roles: ['METERING'] },
      { name: 'ERC', address: ERC.address, weight: 25, roles: ['REGULATOR'] },
    ],
    accounts: [
      {
        address: CLEARING.address,
        name: 'Exchange clearing',
        roles: ['CLEARING'],
        stakeSatang: 10_000_000n,
      },
      {
        address: BANK.address,
        name: 'Settlement bank',
        roles: ['SETTLEMENT_BANK'],
        stakeSatang: 10_000_000n,
      },
      ...BUYERS.map((k) => ({
        address: k.address,
        thbSatang: 100_000_000n,
        mandates: [CLEARING.address],
      })),
      ...SELLERS.map((k) => ({
        address: k.address,
        gtWh: 1_000_000n,
        mandates: [CLEARING.address],
      })),
      ...extraAccounts,
    ],
    zones: [
      { id: 'MEA-BKK', name: 'Bangkok Metropolitan', operator: MEA.address },
      { id: 'PEA-C', name: 'Central', operator: PEA.address },
      { id: 'PEA-N', name: 'North', operator: PEA.address },
      { id: 'PEA-NE', name: 'Northeast', operator: PEA.address },
      { id: 'PEA-S', name: 'South', operator: PEA.address },
    ],
    links: [
      { from: 'MEA-BKK', to: 'PEA-C', capacityWh: 5_000_000n, wheelingTicks: 1_500 },
      { from: 'PEA-C', to: 'MEA-BKK', capacityWh: 5_000_000n, wheelingTicks: 1_500 },
      { from: 'PEA-C', to: 'PEA-N', capacityWh: 2_000_000n, wheelingTicks: 2_500 },
      { from: 'PEA-N', to: 'PEA-C', capacityWh: 2_000_000n, wheelingTicks: 2_500 },
    ],
    params: { powBaseBits: 8, ...params },
  };
}
