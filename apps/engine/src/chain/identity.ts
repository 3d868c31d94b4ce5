// The embedded chain's identity: chain id, genesis time and the keys the engine holds for the
// authorities (EGAT, MEA, PEA, ERC validate), the settlement bank (issues THB against fiat) and
// the exchange's clearing house (settles trades under participants' mandates). Created once,
// kept in the database sealed under the engine's key-encryption key, so restarts rejoin the
// same chain.
import { randomBytes } from 'node:crypto';
import { keyPairFromSeed } from '@gridtokenx/chain';
import type { KeyVault } from '../auth/keys.ts';
import type { PrismaClient } from '../db/index.ts';

export const AUTHORITIES = ['EGAT', 'MEA', 'PEA', 'ERC'] as const;
export type Authority = (typeof AUTHORITIES)[number];

export interface ChainIdentity {
  chainId: string;
  genesisTimeMs: number;
  /** 32-byte seeds. */
  authorities: Record<Authority, Uint8Array>;
  bank: Uint8Array;
  clearing: Uint8Array;
}

const KEY = 'chain.identity';
const AAD = 'chain-identity';

interface Stored {
  chainId: string;
  genesisTimeMs: number;
  sealed: string;
}

export function addressOf(seed: Uint8Array): string {
  return keyPairFromSeed(seed).address;
}

export async function loadOrCreateIdentity(
  prisma: PrismaClient,
  vault: KeyVault,
  nowMs: number,
): Promise<ChainIdentity> {
  const row = await prisma.engineState.findUnique({ where: { key: KEY } });
  if (row) {
    const stored = row.value as unknown as Stored;
    const seeds = JSON.parse(
      Buffer.from(vault.open(AAD, Buffer.from(stored.sealed, 'base64'))).toString('utf8'),
    ) as Record<string, string>;
    const seed = (name: string) => {
      const hex = seeds[name];
      if (!hex) throw new Error(`chain identity has no ${name} key`);
      return new Uint8Array(Buffer.from(hex, 'hex'));
    };
    return {
      chainId: stored.chainId,
      genesisTimeMs: stored.genesisTimeMs,
      authorities: { EGAT: seed('EGAT'), MEA: seed('MEA'), PEA: seed('PEA'), ERC: seed('ERC') },
      bank: seed('bank'),
      clearing: seed('clearing'),
    };
  }
  const fresh = (): Uint8Array => new Uint8Array(randomBytes(32));
  const identity: ChainIdentity = {
    chainId: `gridtokenx-${randomBytes(4).toString('hex')}`,
    genesisTimeMs: nowMs,
    authorities: { EGAT: fresh(), MEA: fresh(), PEA: fresh(), ERC: fresh() },
    bank: fresh(),
    clearing: fresh(),
  };
  const plain = JSON.stringify({
    ...Object.fromEntries(
      AUTHORITIES.map((a) => [a, Buffer.from(identity.authorities[a]).toString('hex')]),
    ),
    bank: Buffer.from(identity.bank).toString('hex'),
    clearing: Buffer.from(identity.clearing).toString('hex'),
  });
  const value: Stored = {
    chainId: identity.chainId,
    genesisTimeMs: identity.genesisTimeMs,
    sealed: Buffer.from(vault.seal(AAD, Buffer.from(plain))).toString('base64'),
  };
  // Two engines starting on one fresh database must agree on one identity: first insert wins.
  await prisma.engineState.createMany({
    data: [{ key: KEY, value: value as never }],
    skipDuplicates: true,
  });
  const winner = await prisma.engineState.findUniqueOrThrow({ where: { key: KEY } });
  if ((winner.value as unknown as Stored).chainId !== identity.chainId) {
    return loadOrCreateIdentity(prisma, vault, nowMs);
  }
  return identity;
}
