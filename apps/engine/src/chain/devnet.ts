// Joining a WebSocket devnet (CHAIN_MODE=devnet): reads the folder `npm run chain:devnet` writes
// (genesis.json, <name>.key for the four authorities, the clearing house and the bank, and one
// <name>.json config per validator with its listen address), checks that the genesis gives the
// engine what it needs, and names the validators to dial. Problems are coded ChainHostErrors.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { DEFAULT_PARAMS, genesisFromJson, type GenesisConfig } from '@gridtokenx/chain';
import { addressOf, AUTHORITIES, type Authority } from './identity.ts';

export type ChainHostErrorCode =
  /** The devnet folder lacks a file or one does not parse. */
  | 'ENGINE_CHAIN_DEVNET_UNREADABLE'
  /** The devnet's genesis does not give the engine's roles what they need. */
  | 'ENGINE_CHAIN_DEVNET_UNSUITABLE'
  /** The database is bound to another chain's genesis. */
  | 'ENGINE_CHAIN_GENESIS_MISMATCH';

/** Why the engine cannot host or join the chain it was configured for; stops the start-up. */
export class ChainHostError extends Error {
  constructor(
    readonly code: ChainHostErrorCode,
    message: string,
  ) {
    super(`${code}: ${message}`);
    this.name = 'ChainHostError';
  }
}

/** The keys the engine signs with: authority attestations, the settlement bank, clearing. */
export interface RoleKeys {
  /** 32-byte seeds. */
  authorities: Record<Authority, Uint8Array>;
  bank: Uint8Array;
  clearing: Uint8Array;
}

export interface DevnetValidator {
  name: Authority;
  address: string;
  /** ws://host:port */
  url: string;
}

/** Everything the engine needs to follow a devnet and act for its roles on it. */
export interface DevnetConnection {
  dir: string;
  genesis: GenesisConfig;
  keys: RoleKeys;
  validators: DevnetValidator[];
}

async function readText(dir: string, file: string): Promise<string> {
  try {
    return await readFile(path.join(dir, file), 'utf8');
  } catch (error) {
    throw new ChainHostError(
      'ENGINE_CHAIN_DEVNET_UNREADABLE',
      `cannot read ${path.join(dir, file)} (${(error as NodeJS.ErrnoException).code ?? String(error)}); run \`npm run chain:devnet -- --dir ${dir}\` to create the devnet`,
    );
  }
}

async function readSeed(dir: string, name: string): Promise<Uint8Array> {
  const file = `${name.toLowerCase()}.key`;
  const hex = (await readText(dir, file)).trim();
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) {
    throw new ChainHostError(
      'ENGINE_CHAIN_DEVNET_UNREADABLE',
      `${path.join(dir, file)} is not a 32-byte hex key`,
    );
  }
  return new Uint8Array(Buffer.from(hex, 'hex'));
}

/** Where a validator listens, from its config (`listen: { host, port }`). */
async function listenUrl(dir: string, name: Authority): Promise<string> {
  const file = `${name.toLowerCase()}.json`;
  let listen: { host?: unknown; port?: unknown } | undefined;
  try {
    listen = (JSON.parse(await readText(dir, file)) as { listen?: typeof listen }).listen;
  } catch (error) {
    if (error instanceof ChainHostError) throw error;
    throw new ChainHostError(
      'ENGINE_CHAIN_DEVNET_UNREADABLE',
      `${path.join(dir, file)} is not JSON`,
    );
  }
  if (typeof listen?.host !== 'string' || typeof listen.port !== 'number') {
    throw new ChainHostError(
      'ENGINE_CHAIN_DEVNET_UNREADABLE',
      `${path.join(dir, file)} has no listen address (set CHAIN_PEERS to name where ${name} listens)`,
    );
  }
  const host = listen.host === '0.0.0.0' || listen.host === '::' ? '127.0.0.1' : listen.host;
  return `ws://${host.includes(':') ? `[${host}]` : host}:${listen.port}`;
}

/**
 * Reads a devnet folder. `peers` (CHAIN_PEERS) replaces the validators' listen addresses from the
 * folder's configs, for validators on other hosts; only the validators it names are dialled.
 */
export async function readDevnet(
  dir: string,
  peers?: readonly { name: Authority; url: string }[],
): Promise<DevnetConnection> {
  let genesis: GenesisConfig;
  const json = await readText(dir, 'genesis.json');
  try {
    genesis = genesisFromJson(json);
  } catch (error) {
    throw new ChainHostError(
      'ENGINE_CHAIN_DEVNET_UNREADABLE',
      `${path.join(dir, 'genesis.json')} is not a valid genesis: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const authorities = {} as Record<Authority, Uint8Array>;
  for (const a of AUTHORITIES) authorities[a] = await readSeed(dir, a);
  const keys: RoleKeys = {
    authorities,
    bank: await readSeed(dir, 'bank'),
    clearing: await readSeed(dir, 'clearing'),
  };
  const problems = genesisProblems(genesis, keys);
  if (problems.length) {
    throw new ChainHostError(
      'ENGINE_CHAIN_DEVNET_UNSUITABLE',
      `the devnet at ${dir} cannot host the engine: ${problems.join('; ')}. Recreate it with the current \`npm run chain:devnet\``,
    );
  }
  const validators: DevnetValidator[] = [];
  for (const name of AUTHORITIES) {
    const url = peers ? peers.find((p) => p.name === name)?.url : await listenUrl(dir, name);
    if (url) validators.push({ name, address: addressOf(authorities[name]), url });
  }
  return { dir, genesis, keys, validators };
}

/**
 * What the engine needs of a genesis it did not build: the folder's keys are the authorities',
 * the clearing house holds CLEARING with a mandate to itself (the auction's counterparty buys),
 * a float and stake enough to skip proof-of-work; the bank holds SETTLEMENT_BANK.
 */
export function genesisProblems(genesis: GenesisConfig, keys: RoleKeys): string[] {
  const problems: string[] = [];
  for (const name of AUTHORITIES) {
    const found = genesis.authorities.find((a) => a.name === name);
    const address = addressOf(keys.authorities[name]);
    if (!found) problems.push(`no authority ${name}`);
    else if (found.address !== address)
      problems.push(`authority ${name} is not the key in ${name.toLowerCase()}.key`);
  }
  const account = (seed: Uint8Array) =>
    genesis.accounts?.find((a) => a.address === addressOf(seed));
  const clearing = account(keys.clearing);
  const clearingAddress = addressOf(keys.clearing);
  const exempt = genesis.params?.powExemptStakeSatang ?? DEFAULT_PARAMS.powExemptStakeSatang;
  if (!clearing) problems.push('clearing.key is no genesis account');
  else {
    if (!clearing.roles?.includes('CLEARING')) problems.push('the clearing account lacks CLEARING');
    if (!clearing.mandates?.includes(clearingAddress))
      problems.push('the clearing account does not mandate itself');
    if (!clearing.thbSatang) problems.push('the clearing account has no THB float');
    if ((clearing.stakeSatang ?? 0n) < exempt)
      problems.push('the clearing account has too little stake to skip proof-of-work');
  }
  const bank = account(keys.bank);
  if (!bank?.roles?.includes('SETTLEMENT_BANK'))
    problems.push('bank.key is no genesis account holding SETTLEMENT_BANK');
  return problems;
}
