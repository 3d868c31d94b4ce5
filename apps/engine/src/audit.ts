// The audit trail: every state change records who did what, to what, when and from where.
// Ordinary actions write one row; the order pipeline adds its rows to its group commit instead.
import type { Prisma, PrismaClient } from './db/index.ts';

export interface AuditEntry {
  actorId: string | null;
  action: string;
  target?: string | null;
  ip?: string | null;
  requestId?: string | null;
  details?: Prisma.InputJsonValue;
}

type AuditWriter = Pick<PrismaClient, 'auditLog'> | Prisma.TransactionClient;

export async function audit(db: AuditWriter, entry: AuditEntry): Promise<void> {
  await db.auditLog.create({
    data: {
      actorId: entry.actorId,
      action: entry.action,
      target: entry.target ?? null,
      ip: entry.ip ?? null,
      requestId: entry.requestId ?? null,
      ...(entry.details === undefined ? {} : { details: entry.details }),
    },
  });
}
