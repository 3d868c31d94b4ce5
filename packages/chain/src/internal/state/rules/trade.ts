// Trade settlement with escrow (TRD-1, TRD-2), delivery settlement that releases it (TRD-3) and
// refund (TRD-4). The exchange's clearing account signs; it may move a participant's coins only
// under that participant's standing mandate (EN-4), so one signature per trade suffices.
import { reject } from '../../../errors.ts';
import type { Rejection } from '../../../errors.ts';
import type { SignedTx } from '../../tx/tx.ts';
import type { EscrowRecord } from '../records.ts';
import { getRecord, putRecord } from '../view.ts';
import { accountOf, gridOf, hasRole, requireAmount, requireRole, zoneOf } from './context.ts';
import type { TxContext } from './context.ts';

function hasMandate(ctx: TxContext, principal: string, clearing: string): boolean {
  return accountOf(ctx.view, principal)?.mandates.includes(clearing) ?? false;
}

function linkUseId(from: string, to: string, intervalStartMs: number): string {
  return `${from}>${to}|${intervalStartMs}`;
}

/** TRD-2: a cross-zone trade needs an open link with capacity left in its interval. */
function reserveLink(
  ctx: TxContext,
  from: string,
  to: string,
  intervalStartMs: number,
  wh: bigint,
): Rejection | null {
  const link = gridOf(ctx.view).links.find((l) => l.from === from && l.to === to);
  if (link === undefined) return reject('CHAIN_NO_LINK', `no link ${from} → ${to}`);
  if (link.congested)
    return reject('CHAIN_LINK_CONGESTED', `link ${from} → ${to} is flagged congested`);
  const useId = linkUseId(from, to, intervalStartMs);
  const used = getRecord(ctx.view, 'linkUse', useId)?.usedWh ?? 0n;
  if (used + wh > link.capacityWh) {
    return reject(
      'CHAIN_LINK_CAPACITY',
      `link ${from} → ${to} has ${link.capacityWh - used} Wh left in interval ${intervalStartMs}, trade needs ${wh}`,
    );
  }
  putRecord(ctx.view, 'linkUse', useId, { usedWh: used + wh });
  return null;
}

function releaseLink(ctx: TxContext, escrow: EscrowRecord, wh: bigint): void {
  if (escrow.buyerZone === escrow.sellerZone || wh === 0n) return;
  const useId = linkUseId(escrow.sellerZone, escrow.buyerZone, escrow.intervalStartMs);
  const used = getRecord(ctx.view, 'linkUse', useId)?.usedWh ?? 0n;
  putRecord(ctx.view, 'linkUse', useId, { usedWh: used > wh ? used - wh : 0n });
}

export function tradeSettle(ctx: TxContext, tx: SignedTx<'TRADE_SETTLE'>): Rejection | null {
  const b = tx.body;
  const err =
    requireRole(ctx.view, tx.signer, 'CLEARING') ??
    requireAmount(b.quantityWh, 'quantityWh') ??
    requireAmount(b.priceTicks, 'priceTicks') ??
    requireAmount(b.amountSatang, 'amountSatang');
  if (err !== null) return err;
  if (b.buyer === b.seller)
    return reject('CHAIN_BAD_FIELD', 'buyer and seller are the same account');
  if (!hasMandate(ctx, b.buyer, tx.signer)) {
    return reject('CHAIN_NO_MANDATE', `buyer ${b.buyer} has not mandated ${tx.signer}`);
  }
  for (const zoneId of [b.buyerZone, b.sellerZone]) {
    const zone = zoneOf(ctx.view, zoneId);
    if (zone === undefined) return reject('CHAIN_UNKNOWN_ZONE', `no zone ${zoneId}`);
    if (zone.halted)
      return reject('CHAIN_ZONE_HALTED', `zone ${zoneId} is halted: ${zone.haltReason}`);
  }
  if (b.intervalStartMs % ctx.env.params.intervalMs !== 0) {
    return reject('CHAIN_BAD_INTERVAL', `interval start ${b.intervalStartMs} is not aligned`);
  }
  if (getRecord(ctx.view, 'escrow', b.tradeId) !== undefined) {
    return reject('CHAIN_TRADE_EXISTS', `trade ${b.tradeId} was already settled`);
  }
  if (b.buyerZone !== b.sellerZone) {
    const linkErr = reserveLink(ctx, b.sellerZone, b.buyerZone, b.intervalStartMs, b.quantityWh);
    if (linkErr !== null) return linkErr;
  }
  const spent = ctx.spend(b.inputs, b.buyer, 'THB');
  if ('ok' in spent) return spent;
  if (spent.THB < b.amountSatang) {
    return reject(
      'CHAIN_INSUFFICIENT_FUNDS',
      `buyer inputs hold ${spent.THB} satang, trade needs ${b.amountSatang}`,
    );
  }
  if (spent.THB > b.amountSatang) ctx.create(b.buyer, 'THB', spent.THB - b.amountSatang);
  ctx.lock('THB', b.amountSatang);
  putRecord(ctx.view, 'escrow', b.tradeId, {
    buyer: b.buyer,
    seller: b.seller,
    clearing: tx.signer,
    buyerZone: b.buyerZone,
    sellerZone: b.sellerZone,
    intervalStartMs: b.intervalStartMs,
    quantityWh: b.quantityWh,
    priceTicks: b.priceTicks,
    amountSatang: b.amountSatang,
    status: 'OPEN',
    createdHeight: ctx.env.height,
    closedHeight: 0,
    deliveredWh: 0n,
    releasedSatang: 0n,
    imbalanceChargeSatang: 0n,
  });
  return null;
}

function openEscrowFor(ctx: TxContext, tradeId: string, signer: string): EscrowRecord | Rejection {
  const escrow = getRecord(ctx.view, 'escrow', tradeId);
  if (escrow === undefined)
    return reject('CHAIN_ESCROW_NOT_FOUND', `no escrow for trade ${tradeId}`);
  if (escrow.clearing !== signer) {
    return reject(
      'CHAIN_UNAUTHORIZED',
      `escrow ${tradeId} belongs to clearing account ${escrow.clearing}`,
    );
  }
  if (escrow.status !== 'OPEN')
    return reject('CHAIN_ESCROW_CLOSED', `escrow ${tradeId} is ${escrow.status}`);
  return escrow;
}

export function deliverySettle(ctx: TxContext, tx: SignedTx<'DELIVERY_SETTLE'>): Rejection | null {
  const b = tx.body;
  const roleErr = requireRole(ctx.view, tx.signer, 'CLEARING');
  if (roleErr !== null) return roleErr;
  const escrow = openEscrowFor(ctx, b.tradeId, tx.signer);
  if ('ok' in escrow) return escrow;
  if (b.deliveredWh > escrow.quantityWh) {
    return reject(
      'CHAIN_DELIVERY_EXCEEDS_TRADE',
      `delivered ${b.deliveredWh} Wh exceeds traded ${escrow.quantityWh} Wh`,
    );
  }
  const releasedSatang = (escrow.amountSatang * b.deliveredWh) / escrow.quantityWh;
  if (b.imbalanceChargeSatang > releasedSatang) {
    return reject(
      'CHAIN_IMBALANCE_EXCEEDS_RELEASE',
      `imbalance charge ${b.imbalanceChargeSatang} exceeds the seller's release ${releasedSatang}`,
    );
  }
  if (b.imbalanceChargeSatang > 0n && !hasRole(ctx.view, b.imbalanceAccount, 'BALANCING')) {
    return reject('CHAIN_UNAUTHORIZED', `${b.imbalanceAccount} is not a balancing account`);
  }
  let sellerChange = 0n;
  if (b.deliveredWh > 0n) {
    if (!hasMandate(ctx, escrow.seller, tx.signer)) {
      return reject('CHAIN_NO_MANDATE', `seller ${escrow.seller} has not mandated ${tx.signer}`);
    }
    const spent = ctx.spend(b.inputs, escrow.seller, 'GT');
    if ('ok' in spent) return spent;
    if (spent.GT < b.deliveredWh) {
      return reject(
        'CHAIN_INSUFFICIENT_FUNDS',
        `seller inputs hold ${spent.GT} Wh, delivery needs ${b.deliveredWh}`,
      );
    }
    sellerChange = spent.GT - b.deliveredWh;
  } else if (b.inputs.length > 0) {
    return reject('CHAIN_BAD_FIELD', 'a zero delivery spends no inputs');
  }
  const refundSatang = escrow.amountSatang - releasedSatang;
  ctx.unlock('THB', escrow.amountSatang);
  // Output order (COIN-3): GT to buyer, GT change to seller, THB to seller, THB refund to buyer,
  // THB imbalance charge; each only when positive.
  if (b.deliveredWh > 0n) ctx.create(escrow.buyer, 'GT', b.deliveredWh);
  if (sellerChange > 0n) ctx.create(escrow.seller, 'GT', sellerChange);
  if (releasedSatang - b.imbalanceChargeSatang > 0n) {
    ctx.create(escrow.seller, 'THB', releasedSatang - b.imbalanceChargeSatang);
  }
  if (refundSatang > 0n) ctx.create(escrow.buyer, 'THB', refundSatang);
  if (b.imbalanceChargeSatang > 0n) ctx.create(b.imbalanceAccount, 'THB', b.imbalanceChargeSatang);
  putRecord(ctx.view, 'escrow', b.tradeId, {
    ...escrow,
    status: 'SETTLED',
    closedHeight: ctx.env.height,
    deliveredWh: b.deliveredWh,
    releasedSatang,
    imbalanceChargeSatang: b.imbalanceChargeSatang,
  });
  return null;
}

export function escrowRefund(ctx: TxContext, tx: SignedTx<'ESCROW_REFUND'>): Rejection | null {
  const roleErr = requireRole(ctx.view, tx.signer, 'CLEARING');
  if (roleErr !== null) return roleErr;
  const escrow = openEscrowFor(ctx, tx.body.tradeId, tx.signer);
  if ('ok' in escrow) return escrow;
  ctx.unlock('THB', escrow.amountSatang);
  ctx.create(escrow.buyer, 'THB', escrow.amountSatang);
  releaseLink(ctx, escrow, escrow.quantityWh);
  putRecord(ctx.view, 'escrow', tx.body.tradeId, {
    ...escrow,
    status: 'REFUNDED',
    closedHeight: ctx.env.height,
  });
  return null;
}
