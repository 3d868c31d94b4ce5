// Genesis as JSON for config files (the standalone validator, the devnet): amounts are decimal
// strings because JSON numbers cannot carry bigints exactly.
import { ChainError } from '../../errors.ts';
import type { GenesisConfig } from './genesis.ts';

const BIGINT_KEYS = new Set([
  'gtWh',
  'thbSatang',
  'stakeSatang',
  'capacityWh',
  'powExemptStakeSatang',
  'stakePerPowerSatang',
]);

export function genesisToJson(config: GenesisConfig): string {
  return JSON.stringify(config, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v), 2);
}

export function genesisFromJson(text: string): GenesisConfig {
  try {
    return JSON.parse(text, (k, v: unknown) => {
      if (BIGINT_KEYS.has(k) && (typeof v === 'string' || typeof v === 'number')) return BigInt(v);
      return v;
    }) as GenesisConfig;
  } catch (err) {
    throw new ChainError('CHAIN_BAD_GENESIS', `genesis JSON does not parse: ${String(err)}`);
  }
}
