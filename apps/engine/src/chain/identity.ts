// The embedded chain's identity: chain id, genesis time and the keys the engine holds for the
// authorities (EGAT, MEA, PEA, ERC validate), the settlement bank (issues THB against fiat), the
// exchange's clearing house (settles trades under participants' mandates) and the reporting key
// (signs the regulator's daily reports). Created once, kept in the database sealed under the
// engine's key-encryption key, so restarts rejoin the same chain and keep the same report key.
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
  /** Signs the daily regulator reports (never a chain transaction). */
  reporting: Uint8Array;
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
    // An identity sealed before the reporting key existed gains one, sealed with the others.
    if (!seeds.reporting) await addReportingKey(prisma, vault, stored, seeds);
    return {
      chainId: stored.chainId,
      genesisTimeMs: stored.genesisTimeMs,
      authorities: { EGAT: seed('EGAT'), MEA: seed('MEA'), PEA: seed('PEA'), ERC: seed('ERC') },
      bank: seed('bank'),
      clearing: seed('clearing'),
      reporting: seed('reporting'),
    };
  }
  const fresh = (): Uint8Array => new Uint8Array(randomBytes(32));
  const identity: ChainIdentity = {
    chainId: `gridtokenx-${randomBytes(4).toString('hex')}`,
    genesisTimeMs: nowMs,
    authorities: { EGAT: fresh(), MEA: fresh(), PEA: fresh(), ERC: fresh() },
    bank: fresh(),
    clearing: fresh(),
    reporting: fresh(),
  };
  const plain = JSON.stringify({
    ...Object.fromEntries(
      AUTHORITIES.map((a) => [a, Buffer.from(identity.authorities[a]).toString('hex')]),
    ),
    bank: Buffer.from(identity.bank).toString('hex'),
    clearing: Buffer.from(identity.clearing).toString('hex'),
    reporting: Buffer.from(identity.reporting).toString('hex'),
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

/**
 * Adds a reporting key to an identity sealed without one (in place in `seeds`). Two engines doing
 * this at once agree: the update applies only over the sealed value it read, then both re-read.
 */
async function addReportingKey(
  prisma: PrismaClient,
  vault: KeyVault,
  stored: Stored,
  seeds: Record<string, string>,
): Promise<void> {
  const next = { ...seeds, reporting: randomBytes(32).toString('hex') };
  const sealed = Buffer.from(vault.seal(AAD, Buffer.from(JSON.stringify(next)))).toString('base64');
  await prisma.$executeRaw`UPDATE engine_state SET value = jsonb_set(value, '{sealed}', to_jsonb(${sealed}::text))
     WHERE key = ${KEY} AND value->>'sealed' = ${stored.sealed}`;
  const row = await prisma.engineState.findUniqueOrThrow({ where: { key: KEY } });
  const winner = (row.value as unknown as Stored).sealed;
  Object.assign(
    seeds,
    JSON.parse(Buffer.from(vault.open(AAD, Buffer.from(winner, 'base64'))).toString('utf8')),
  );
}

/** The engine's report-signing key (32-byte seed), from the identity (created if absent). */
export async function loadReportingKey(
  prisma: PrismaClient,
  vault: KeyVault,
  nowMs: number,
): Promise<Uint8Array> {
  return (await loadOrCreateIdentity(prisma, vault, nowMs)).reporting;
}
