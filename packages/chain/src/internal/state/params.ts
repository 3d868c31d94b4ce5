// Consensus parameters: the numbers every validator must agree on, stored in state and changed
// only by governance (GOV-5). Bounds keep a passed proposal from bricking the chain.
import { struct, u64, uint } from '../encoding.ts';
import type { Infer } from '../encoding.ts';

export const paramsCodec = struct({
  blockMaxBytes: uint,
  txMaxBytes: uint,
  maxTxLifetimeBlocks: uint,
  intervalMs: uint,
  powBaseBits: uint,
  powLoadStepTxs: uint,
  powExemptStakeSatang: u64,
  stakePerPowerSatang: u64,
  unbondingBlocks: uint,
  slashBps: uint,
  evidenceMaxAgeBlocks: uint,
  proposalQuorumBps: uint,
});

export type ChainParams = Infer<typeof paramsCodec>;
export type ParamName = keyof ChainParams;

export const DEFAULT_PARAMS: ChainParams = {
  blockMaxBytes: 1_000_000,
  txMaxBytes: 16_384,
  maxTxLifetimeBlocks: 1_200,
  intervalMs: 900_000,
  powBaseBits: 12,
  powLoadStepTxs: 1_000,
  powExemptStakeSatang: 100_000n,
  stakePerPowerSatang: 1_000_000_000n,
  unbondingBlocks: 100,
  slashBps: 1_000,
  evidenceMaxAgeBlocks: 1_000,
  proposalQuorumBps: 6_667,
};

/** Inclusive bounds for each parameter (GOV-5). */
export const PARAM_BOUNDS: { readonly [K in ParamName]: readonly [bigint, bigint] } = {
  blockMaxBytes: [65_536n, 4_000_000n],
  txMaxBytes: [1_024n, 65_536n],
  maxTxLifetimeBlocks: [10n, 100_000n],
  intervalMs: [60_000n, 3_600_000n],
  powBaseBits: [0n, 24n],
  powLoadStepTxs: [1n, 1_000_000n],
  powExemptStakeSatang: [0n, 1n << 62n],
  stakePerPowerSatang: [1n, 1n << 62n],
  unbondingBlocks: [1n, 1_000_000n],
  slashBps: [0n, 10_000n],
  evidenceMaxAgeBlocks: [1n, 1_000_000n],
  proposalQuorumBps: [5_001n, 10_000n],
};

export function isParamName(name: string): name is ParamName {
  return Object.prototype.hasOwnProperty.call(PARAM_BOUNDS, name);
}

export function withParam(params: ChainParams, name: ParamName, value: bigint): ChainParams {
  const next: Record<string, number | bigint> = { ...params };
  next[name] = typeof params[name] === 'bigint' ? value : Number(value);
  return next as ChainParams;
}
