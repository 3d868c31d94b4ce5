// Genesis: the authority set (validators with weights and roles), named accounts with opening
// balances, stake and mandates, the grid configuration and the parameters, turned into the
// height-0 state and block (GEN-1..4). Bad configuration throws: a chain must not start wrong.
import { ChainError } from '../../errors.ts';
import { fromHex, isHex32, toHex, utf8 } from '../bytes.ts';
import { domainPrefix, sha256Parts } from '../crypto/hash.ts';
import { isAcceptablePublicKey } from '../crypto/signature-rule.ts';
import { buildBlock } from '../block.ts';
import type { Block } from '../block.ts';
import { ROLES, ZONE_PATTERN, outpointKey } from '../tx/fields.ts';
import type { FungibleAsset, Outpoint, Role } from '../tx/fields.ts';
import { DEFAULT_PARAMS, PARAM_BOUNDS, isParamName } from './params.ts';
import type { ChainParams } from './params.ts';
import { SINGLETON } from './records.ts';
import type { AccountRecord, GridRecord } from './records.ts';
import { computeValidatorSet } from './validators.ts';
import type { ValidatorSet } from './validators.ts';
import { CommittedState, Overlay, putRecord } from './view.ts';
import { gridHashOf } from './execute.ts';

export interface GenesisAuthority {
  readonly name: string;
  readonly address: string;
  /** Authority weight: the voting power the authority holds without stake (CONS-2). */
  readonly weight: number;
  readonly roles: readonly Role[];
  readonly stakeSatang?: bigint;
}

export interface GenesisAccount {
  readonly address: string;
  readonly name?: string;
  readonly roles?: readonly Role[];
  readonly gtWh?: bigint;
  readonly thbSatang?: bigint;
  /** Bonded stake; at least powExemptStakeSatang exempts the account from PoW stamps. */
  readonly stakeSatang?: bigint;
  /** Clearing accounts this account mandates to settle trades for it (EN-4). */
  readonly mandates?: readonly string[];
}

export interface GenesisZone {
  readonly id: string;
  readonly name: string;
  /** The distribution authority that attests this zone's meters and may halt it. */
  readonly operator: string;
}

export interface GenesisLink {
  readonly from: string;
  readonly to: string;
  /** Transfer capacity per settlement interval, in Wh. */
  readonly capacityWh: bigint;
  /** Wheeling charge in ticks of 0.0001 THB per kWh. */
  readonly wheelingTicks: number;
}

export interface GenesisConfig {
  readonly chainId: string;
  readonly genesisTimeMs: number;
  readonly authorities: readonly GenesisAuthority[];
  readonly accounts?: readonly GenesisAccount[];
  readonly zones: readonly GenesisZone[];
  readonly links: readonly GenesisLink[];
  readonly params?: Partial<ChainParams>;
}

export interface Genesis {
  readonly config: GenesisConfig;
  readonly block: Block;
  readonly validators: ValidatorSet;
}

const CHAIN_ID_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;

function bad(message: string): never {
  throw new ChainError('CHAIN_BAD_GENESIS', message);
}

/** GEN-3: the outpoint of an opening balance: (H(genesis ‖ chain id ‖ address), 0 for GT / 1 for THB). */
export function genesisOutpoint(chainId: string, address: string, asset: FungibleAsset): Outpoint {
  return {
    txHash: toHex(sha256Parts(domainPrefix('genesis', chainId), utf8(address))),
    index: asset === 'GT' ? 0 : 1,
  };
}

/**
 * GEN-2: authorities must hold acceptable keys (they sign consensus messages). Other accounts are
 * checked for form only: decompressing thousands of points would slow every start-up, and an
 * account whose key is not acceptable can never sign, so nothing is lost.
 */
function checkAddress(address: string, what: string, strict: boolean): void {
  if (!isHex32(address) || (strict && !isAcceptablePublicKey(fromHex(address)))) {
    bad(`${what} ${address} is not an acceptable ed25519 public key in lowercase hex`);
  }
}

function checkAmount(value: bigint | undefined, what: string): bigint {
  const v = value ?? 0n;
  if (typeof v !== 'bigint' || v < 0n || v >= 1n << 63n)
    bad(`${what} must be a non-negative bigint`);
  return v;
}

function resolveParams(partial: Partial<ChainParams> | undefined): ChainParams {
  const params: Record<string, number | bigint> = { ...DEFAULT_PARAMS };
  for (const [name, value] of Object.entries(partial ?? {})) {
    if (!isParamName(name)) bad(`unknown parameter ${name}`);
    const [min, max] = PARAM_BOUNDS[name];
    const big = typeof value === 'bigint' ? value : BigInt(value);
    if (big < min || big > max) bad(`parameter ${name} must be within ${min}..${max}`);
    params[name] = typeof DEFAULT_PARAMS[name] === 'bigint' ? big : Number(big);
  }
  return params as ChainParams;
}

/** Builds the height-0 state into `state` (which must be empty) and returns the genesis block. */
export function buildGenesis(config: GenesisConfig, state = new CommittedState()): Genesis {
  const { chainId } = config;
  if (!CHAIN_ID_PATTERN.test(chainId)) bad('chain id must be 1–64 characters of [A-Za-z0-9._-]');
  if (!Number.isSafeInteger(config.genesisTimeMs) || config.genesisTimeMs < 0)
    bad('bad genesis time');
  if (config.authorities.length === 0) bad('at least one authority is required');
  if (state.size !== 0) bad('genesis needs an empty state');
  const params = resolveParams(config.params);
  const view = new Overlay(state);
  const seen = new Set<string>();
  const clearing = new Set<string>();
  const accounts = new Map<string, AccountRecord>();
  const supply = { GT: 0n, THB: 0n };

  const addAccount = (
    address: string,
    name: string,
    roles: readonly Role[],
    stake: bigint,
  ): void => {
    if (seen.has(address)) bad(`address ${address} appears twice`);
    seen.add(address);
    for (const r of roles) if (!ROLES.includes(r)) bad(`unknown role ${r}`);
    if (roles.includes('CLEARING')) clearing.add(address);
    accounts.set(address, {
      name,
      roles: [...new Set(roles)].sort(),
      mandates: [],
      bondedSatang: stake,
      unbonding: [],
    });
    supply.THB += stake;
  };

  for (const a of config.authorities) {
    checkAddress(a.address, `authority ${a.name}`, true);
    if (!Number.isInteger(a.weight) || a.weight <= 0 || a.weight > 0xffffffff)
      bad(`authority ${a.name} needs a positive weight`);
    addAccount(a.address, a.name, a.roles, checkAmount(a.stakeSatang, `${a.name} stake`));
    putRecord(view, 'validator', a.address, {
      name: a.name,
      weight: a.weight,
      active: true,
      jailed: false,
      slashedSatang: 0n,
    });
  }
  putRecord(view, 'authorities', SINGLETON, {
    addresses: config.authorities.map((a) => a.address).sort(),
  });

  for (const a of config.accounts ?? []) {
    checkAddress(a.address, `account ${a.name ?? ''}`, false);
    addAccount(a.address, a.name ?? '', a.roles ?? [], checkAmount(a.stakeSatang, 'stake'));
  }
  for (const a of config.accounts ?? []) {
    const record = accounts.get(a.address)!;
    for (const m of a.mandates ?? [])
      if (!clearing.has(m)) bad(`mandate to ${m}, which is not a clearing account`);
    accounts.set(a.address, { ...record, mandates: [...new Set(a.mandates ?? [])].sort() });
    for (const asset of ['GT', 'THB'] as const) {
      const amount = checkAmount(asset === 'GT' ? a.gtWh : a.thbSatang, `${asset} balance`);
      if (amount === 0n) continue;
      supply[asset] += amount;
      putRecord(view, 'utxo', outpointKey(genesisOutpoint(chainId, a.address, asset)), {
        owner: a.address,
        asset,
        amount,
        height: 0,
      });
    }
  }
  for (const [address, record] of accounts) putRecord(view, 'account', address, record);

  const zoneIds = new Set<string>();
  for (const z of config.zones) {
    if (!ZONE_PATTERN.test(z.id)) bad(`zone id ${z.id} must match ${ZONE_PATTERN.source}`);
    if (zoneIds.has(z.id)) bad(`zone ${z.id} appears twice`);
    if (!seen.has(z.operator)) bad(`zone ${z.id} operator is not a genesis account`);
    zoneIds.add(z.id);
  }
  const linkIds = new Set<string>();
  for (const l of config.links) {
    if (!zoneIds.has(l.from) || !zoneIds.has(l.to) || l.from === l.to)
      bad(`link ${l.from} → ${l.to} is invalid`);
    if (linkIds.has(`${l.from}>${l.to}`)) bad(`link ${l.from} → ${l.to} appears twice`);
    if (!Number.isSafeInteger(l.wheelingTicks) || l.wheelingTicks < 0)
      bad('wheeling ticks must be a non-negative integer');
    checkAmount(l.capacityWh, 'link capacity');
    linkIds.add(`${l.from}>${l.to}`);
  }
  const grid: GridRecord = {
    zones: [...config.zones]
      .sort((a, b) => (a.id < b.id ? -1 : 1))
      .map((z) => ({
        id: z.id,
        name: z.name,
        operator: z.operator,
        halted: false,
        haltReason: '',
      })),
    links: [...config.links]
      .sort((a, b) => (a.from === b.from ? (a.to < b.to ? -1 : 1) : a.from < b.from ? -1 : 1))
      .map((l) => ({ ...l, congested: false })),
  };
  putRecord(view, 'grid', SINGLETON, grid);
  putRecord(view, 'params', SINGLETON, params);
  putRecord(view, 'govIndex', SINGLETON, { open: [], scheduled: [] });
  putRecord(view, 'supply', 'GT', { minted: supply.GT, burned: 0n });
  putRecord(view, 'supply', 'THB', { minted: supply.THB, burned: 0n });
  const validators = computeValidatorSet(view, params);
  if (validators.totalPower === 0) bad('the authorities hold no voting power');
  putRecord(view, 'validatorSets', SINGLETON, {
    next: validators.toRecord(),
    previous: validators.toRecord(),
    changedAtHeight: 0,
  });
  const prepared = state.prepare(view.changes());
  state.apply(prepared);
  const block = buildBlock(chainId, {
    height: 0,
    parentHash: '0'.repeat(64),
    timeMs: config.genesisTimeMs,
    proposer: '0'.repeat(64),
    stateRoot: toHex(prepared.stateRoot),
    gridHash: gridHashOf(chainId, grid),
    txs: [],
    evidence: [],
    lastCommit: null,
  });
  return { config, block, validators };
}
