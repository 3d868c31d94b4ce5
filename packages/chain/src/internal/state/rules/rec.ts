// Renewable energy certificates (REC-1..5). A REC is a unique record, not a coin: issued by the
// REC issuer against metered renewable generation that no other REC has used, moved only by its
// owner while active, and frozen for good once retired or revoked.
import { reject } from '../../../errors.ts';
import type { Rejection } from '../../../errors.ts';
import { RENEWABLE } from '../../tx/fields.ts';
import type { SignedTx } from '../../tx/tx.ts';
import type { RecRecord } from '../records.ts';
import { getRecord, putRecord } from '../view.ts';
import { hasRole, requireRole, zoneOf } from './context.ts';
import type { TxContext } from './context.ts';

export function recIssue(ctx: TxContext, tx: SignedTx<'REC_ISSUE'>): Rejection | null {
  const b = tx.body;
  const roleErr = requireRole(ctx.view, tx.signer, 'REC_ISSUER');
  if (roleErr !== null) return roleErr;
  if (getRecord(ctx.view, 'rec', b.recId) !== undefined) {
    return reject('CHAIN_REC_EXISTS', `REC ${b.recId} already exists`);
  }
  if (zoneOf(ctx.view, b.zone) === undefined)
    return reject('CHAIN_UNKNOWN_ZONE', `no zone ${b.zone}`);
  if (!RENEWABLE.has(b.technology)) {
    return reject('CHAIN_REC_NOT_RENEWABLE', `${b.technology} generation cannot back a REC`);
  }
  if (b.periodStartMs >= b.periodEndMs) return reject('CHAIN_BAD_FIELD', 'REC period is empty');
  if (b.backing.length === 0)
    return reject('CHAIN_REC_BACKING', 'a REC needs metered generation behind it');
  let amountWh = 0n;
  const seen = new Set<number>();
  for (const part of b.backing) {
    if (seen.has(part.intervalStartMs)) {
      return reject('CHAIN_REC_BACKING', `interval ${part.intervalStartMs} listed twice`);
    }
    seen.add(part.intervalStartMs);
    if (part.energyWh <= 0n) return reject('CHAIN_BAD_AMOUNT', 'backing energy must be positive');
    if (part.intervalStartMs < b.periodStartMs || part.intervalStartMs >= b.periodEndMs) {
      return reject(
        'CHAIN_REC_BACKING',
        `interval ${part.intervalStartMs} lies outside the REC period`,
      );
    }
    const readingId = `${b.meterId}|${part.intervalStartMs}`;
    const reading = getRecord(ctx.view, 'reading', readingId);
    if (reading === undefined) {
      return reject(
        'CHAIN_REC_BACKING',
        `meter ${b.meterId} minted nothing for interval ${part.intervalStartMs}`,
      );
    }
    if (reading.zone !== b.zone || reading.technology !== b.technology) {
      return reject(
        'CHAIN_REC_BACKING',
        `reading ${readingId} is ${reading.technology} in ${reading.zone}`,
      );
    }
    if (reading.recBackedWh + part.energyWh > reading.energyWh) {
      return reject(
        'CHAIN_REC_BACKING',
        `reading ${readingId} has ${reading.energyWh - reading.recBackedWh} Wh left to certify`,
      );
    }
    putRecord(ctx.view, 'reading', readingId, {
      ...reading,
      recBackedWh: reading.recBackedWh + part.energyWh,
    });
    amountWh += part.energyWh;
  }
  putRecord(ctx.view, 'rec', b.recId, {
    owner: b.owner,
    amountWh,
    meterId: b.meterId,
    zone: b.zone,
    technology: b.technology,
    periodStartMs: b.periodStartMs,
    periodEndMs: b.periodEndMs,
    issuer: tx.signer,
    issuedHeight: ctx.env.height,
    status: 'ACTIVE',
    statusHeight: ctx.env.height,
    statusNote: '',
  });
  return null;
}

function activeRec(ctx: TxContext, recId: string): RecRecord | Rejection {
  const rec = getRecord(ctx.view, 'rec', recId);
  if (rec === undefined) return reject('CHAIN_REC_NOT_FOUND', `no REC ${recId}`);
  if (rec.status === 'RETIRED') return reject('CHAIN_REC_RETIRED', `REC ${recId} is retired`);
  if (rec.status === 'REVOKED') return reject('CHAIN_REC_REVOKED', `REC ${recId} is revoked`);
  return rec;
}

export function recTransfer(ctx: TxContext, tx: SignedTx<'REC_TRANSFER'>): Rejection | null {
  const rec = activeRec(ctx, tx.body.recId);
  if ('ok' in rec) return rec;
  if (rec.owner !== tx.signer)
    return reject('CHAIN_NOT_OWNER', `REC ${tx.body.recId} is not yours`);
  putRecord(ctx.view, 'rec', tx.body.recId, { ...rec, owner: tx.body.to });
  return null;
}

export function recRetire(ctx: TxContext, tx: SignedTx<'REC_RETIRE'>): Rejection | null {
  const rec = activeRec(ctx, tx.body.recId);
  if ('ok' in rec) return rec;
  if (rec.owner !== tx.signer)
    return reject('CHAIN_NOT_OWNER', `REC ${tx.body.recId} is not yours`);
  putRecord(ctx.view, 'rec', tx.body.recId, {
    ...rec,
    status: 'RETIRED',
    statusHeight: ctx.env.height,
    statusNote: tx.body.beneficiary,
  });
  return null;
}

export function recRevoke(ctx: TxContext, tx: SignedTx<'REC_REVOKE'>): Rejection | null {
  if (!hasRole(ctx.view, tx.signer, 'REC_ISSUER') && !hasRole(ctx.view, tx.signer, 'REGULATOR')) {
    return reject('CHAIN_UNAUTHORIZED', `${tx.signer} may not revoke RECs`);
  }
  const rec = activeRec(ctx, tx.body.recId);
  if ('ok' in rec) return rec;
  putRecord(ctx.view, 'rec', tx.body.recId, {
    ...rec,
    status: 'REVOKED',
    statusHeight: ctx.env.height,
    statusNote: tx.body.reason,
  });
  return null;
}
