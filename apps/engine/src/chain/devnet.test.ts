import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { genesisToJson, keyPairFromSeed, thailandGenesis } from '@gridtokenx/chain';
import { afterEach, describe, expect, it } from 'vitest';
import { ChainHostError, readDevnet } from './devnet.ts';

const NAMES = ['egat', 'mea', 'pea', 'erc', 'clearing', 'bank'] as const;
let dir = '';
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** A devnet folder as bin/devnet.mjs writes it; `clearing` overrides the clearing account. */
async function folder(clearing: { thbSatang?: bigint; selfMandate?: boolean } = {}) {
  dir = await mkdtemp(path.join(os.tmpdir(), 'gtx-devnet-unit-'));
  const seeds = Object.fromEntries(NAMES.map((n) => [n, randomBytes(32)]));
  const address = (n: (typeof NAMES)[number]) => keyPairFromSeed(seeds[n]!).address;
  for (const n of NAMES) await writeFile(path.join(dir, `${n}.key`), seeds[n]!.toString('hex'));
  const genesis = thailandGenesis({
    chainId: 'gridtokenx-devnet-1',
    genesisTimeMs: Date.now(),
    authorities: {
      EGAT: address('egat'),
      MEA: address('mea'),
      PEA: address('pea'),
      ERC: address('erc'),
    },
    accounts: [
      {
        address: address('clearing'),
        roles: ['CLEARING'],
        stakeSatang: 100_000_000n,
        thbSatang: clearing.thbSatang ?? 10_000_000_000n,
        mandates: clearing.selfMandate === false ? [] : [address('clearing')],
      },
      { address: address('bank'), roles: ['SETTLEMENT_BANK'], stakeSatang: 100_000_000n },
    ],
  });
  await writeFile(path.join(dir, 'genesis.json'), genesisToJson(genesis));
  for (const [i, n] of ['egat', 'mea', 'pea', 'erc'].entries()) {
    await writeFile(
      path.join(dir, `${n}.json`),
      JSON.stringify({ listen: { host: '127.0.0.1', port: 26650 + i } }),
    );
  }
  return { address };
}

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(ChainHostError);
    return (e as ChainHostError).code;
  }
  return 'none';
}

describe('readDevnet', () => {
  it('reads the genesis, the role keys and where each validator listens', async () => {
    const { address } = await folder();
    const devnet = await readDevnet(dir);
    expect(devnet.validators).toEqual([
      { name: 'EGAT', address: address('egat'), url: 'ws://127.0.0.1:26650' },
      { name: 'MEA', address: address('mea'), url: 'ws://127.0.0.1:26651' },
      { name: 'PEA', address: address('pea'), url: 'ws://127.0.0.1:26652' },
      { name: 'ERC', address: address('erc'), url: 'ws://127.0.0.1:26653' },
    ]);
    expect(keyPairFromSeed(devnet.keys.clearing).address).toBe(address('clearing'));
  });

  it('takes the validators CHAIN_PEERS names instead of the configs', async () => {
    await folder();
    const devnet = await readDevnet(dir, [{ name: 'MEA', url: 'ws://10.0.0.2:9000' }]);
    expect(devnet.validators.map((v) => [v.name, v.url])).toEqual([['MEA', 'ws://10.0.0.2:9000']]);
  });

  it('refuses a missing folder or key (ENGINE_CHAIN_DEVNET_UNREADABLE)', async () => {
    expect(await codeOf(readDevnet('/nonexistent/devnet'))).toBe('ENGINE_CHAIN_DEVNET_UNREADABLE');
    await folder();
    await writeFile(path.join(dir, 'bank.key'), 'not a key');
    expect(await codeOf(readDevnet(dir))).toBe('ENGINE_CHAIN_DEVNET_UNREADABLE');
  });

  it('refuses a genesis without the clearing float or self-mandate (ENGINE_CHAIN_DEVNET_UNSUITABLE)', async () => {
    await folder({ thbSatang: 0n });
    expect(await codeOf(readDevnet(dir))).toBe('ENGINE_CHAIN_DEVNET_UNSUITABLE');
    await rm(dir, { recursive: true, force: true });
    await folder({ selfMandate: false });
    await expect(readDevnet(dir)).rejects.toThrow(/does not mandate itself/);
  });
});
