// Opening an account: the account row with its ed25519 chain key (sealed under the engine's
// key-encryption key), the mandate for the clearing house to settle its trades (one chain
// transaction through the outbox) and an audit row. Shared by sign-up and by the simulator,
// whose participants are real accounts opened the same way.
import { audit } from '../audit.ts';
import type { EngineServices } from '../context.ts';
import type { Role } from '../db/generated/enums.ts';
import { generateAccountKey } from './keys.ts';

export interface NewAccount {
  email: string;
  name: string;
  /** scrypt hash, or `!` for an account that never signs in (e.g. a simulated participant). */
  passwordHash: string;
  role?: Role;
}

export interface OpenedAccount {
  id: string;
  email: string;
  name: string;
  role: Role;
  authority: string | null;
  chainPublicKey: Uint8Array | null;
  createdAt: Date;
}

/** Creates the account; throws Prisma's P2002 when the email is taken. */
export async function openAccount(
  services: Pick<EngineServices, 'db' | 'keyVault' | 'chain'>,
  input: NewAccount,
  from: { ip: string | null; requestId: string | null; action?: string },
): Promise<OpenedAccount> {
  const key = generateAccountKey();
  const account = await services.db.prisma.$transaction(async (tx) => {
    const created = await tx.account.create({
      data: {
        email: input.email,
        name: input.name,
        passwordHash: input.passwordHash,
        role: input.role ?? 'TRADER',
        chainPublicKey: key.publicKey,
      },
    });
    const sealed = services.keyVault.seal(created.id, key.secretKey);
    const updated = await tx.account.update({
      where: { id: created.id },
      data: { chainKeyCiphertext: sealed },
    });
    // The new account mandates the clearing house to settle its trades (one chain tx).
    await tx.settlementOutbox.create({
      data: { key: `mandate:${created.id}`, kind: 'mandate', payload: { accountId: created.id } },
    });
    await audit(tx, {
      actorId: created.id,
      action: from.action ?? 'account.register',
      target: created.id,
      ip: from.ip,
      requestId: from.requestId,
    });
    return updated;
  });
  services.chain?.remember(account.id, Buffer.from(key.publicKey).toString('hex'));
  return account;
}
