// Energy and cash movements: meter mint (EN-1), consumption burn (EN-2), transfer (EN-3),
// clearing mandates (EN-4), THB issue and redeem by the settlement bank (CASH-1, CASH-2).
// Mint and burn are the only ways supply changes, and each is attested by a named role.
import { reject } from '../../../errors.ts';
import type { Rejection } from '../../../errors.ts';
import type { SignedTx } from '../../tx/tx.ts';
import { getRecord, putRecord } from '../view.ts';
import {
  accountOf,
  emptyAccount,
  hasRole,
  isAlignedInterval,
  requireAmount,
  requireRole,
  zoneOf,
} from './context.ts';
import type { TxContext } from './context.ts';

const MAX_MANDATES = 16;

/** EN-1/EN-2: the signer attests for the meter's zone: METERING role and the zone's operator. */
function checkMeterAttestor(ctx: TxContext, zoneId: string): Rejection | null {
  const zone = zoneOf(ctx.view, zoneId);
  if (zone === undefined) return reject('CHAIN_UNKNOWN_ZONE', `no zone ${zoneId}`);
  const roleErr = requireRole(ctx.view, ctx.tx.signer, 'METERING');
  if (roleErr !== null) return roleErr;
  if (zone.operator !== ctx.tx.signer) {
    return reject('CHAIN_UNAUTHORIZED', `${ctx.tx.signer} does not operate zone ${zoneId}`);
  }
  return null;
}

function checkEndedInterval(ctx: TxContext, startMs: number): Rejection | null {
  const { params, timeMs } = ctx.env;
  if (!isAlignedInterval(startMs, params)) {
    return reject(
      'CHAIN_BAD_INTERVAL',
      `interval start ${startMs} is not aligned to ${params.intervalMs} ms`,
    );
  }
  if (startMs + params.intervalMs > timeMs) {
    return reject('CHAIN_BAD_INTERVAL', `interval starting ${startMs} has not ended`);
  }
  return null;
}

export function meterMint(ctx: TxContext, tx: SignedTx<'METER_MINT'>): Rejection | null {
  const b = tx.body;
  const err =
    checkMeterAttestor(ctx, b.zone) ??
    checkEndedInterval(ctx, b.intervalStartMs) ??
    requireAmount(b.energyWh, 'energyWh');
  if (err !== null) return err;
  const readingId = `${b.meterId}|${b.intervalStartMs}`;
  if (getRecord(ctx.view, 'reading', readingId) !== undefined) {
    return reject(
      'CHAIN_METER_INTERVAL_USED',
      `meter ${b.meterId} already minted interval ${b.intervalStartMs}`,
    );
  }
  putRecord(ctx.view, 'reading', readingId, {
    owner: b.owner,
    zone: b.zone,
    technology: b.technology,
    energyWh: b.energyWh,
    recBackedWh: 0n,
    height: ctx.env.height,
  });
  ctx.mint('GT', b.energyWh);
  ctx.create(b.owner, 'GT', b.energyWh);
  return null;
}

export function consumptionBurn(
  ctx: TxContext,
  tx: SignedTx<'CONSUMPTION_BURN'>,
): Rejection | null {
  const b = tx.body;
  const err =
    checkMeterAttestor(ctx, b.zone) ??
    checkEndedInterval(ctx, b.intervalStartMs) ??
    requireAmount(b.energyWh, 'energyWh');
  if (err !== null) return err;
  const readingId = `${b.meterId}|${b.intervalStartMs}`;
  if (getRecord(ctx.view, 'consumption', readingId) !== undefined) {
    return reject(
      'CHAIN_METER_INTERVAL_USED',
      `meter ${b.meterId} already burned interval ${b.intervalStartMs}`,
    );
  }
  const spent = ctx.spend(b.inputs, b.owner, 'GT');
  if ('ok' in spent) return spent;
  if (spent.GT < b.energyWh) {
    return reject(
      'CHAIN_INSUFFICIENT_FUNDS',
      `inputs hold ${spent.GT} Wh, burn needs ${b.energyWh} Wh`,
    );
  }
  putRecord(ctx.view, 'consumption', readingId, {
    owner: b.owner,
    zone: b.zone,
    energyWh: b.energyWh,
    height: ctx.env.height,
  });
  ctx.burn('GT', b.energyWh);
  if (spent.GT > b.energyWh) ctx.create(b.owner, 'GT', spent.GT - b.energyWh);
  return null;
}

export function transfer(ctx: TxContext, tx: SignedTx<'TRANSFER'>): Rejection | null {
  const { inputs, outputs } = tx.body;
  if (inputs.length === 0 || outputs.length === 0) {
    return reject('CHAIN_BAD_FIELD', 'a transfer needs at least one input and one output');
  }
  const out = { GT: 0n, THB: 0n };
  for (const o of outputs) {
    const err = requireAmount(o.amount, 'output amount');
    if (err !== null) return err;
    out[o.asset] += o.amount;
  }
  const spent = ctx.spend(inputs, tx.signer, null);
  if ('ok' in spent) return spent;
  if (spent.GT !== out.GT || spent.THB !== out.THB) {
    return reject(
      'CHAIN_CONSERVATION',
      `inputs ${spent.GT} Wh / ${spent.THB} satang differ from outputs ${out.GT} Wh / ${out.THB} satang`,
    );
  }
  for (const o of outputs) ctx.create(o.owner, o.asset, o.amount);
  return null;
}

export function mandateSet(ctx: TxContext, tx: SignedTx<'MANDATE_SET'>): Rejection | null {
  const { clearing, granted } = tx.body;
  if (granted && !hasRole(ctx.view, clearing, 'CLEARING')) {
    return reject('CHAIN_UNAUTHORIZED', `${clearing} is not a clearing account`);
  }
  const account = accountOf(ctx.view, tx.signer) ?? emptyAccount();
  const others = account.mandates.filter((m) => m !== clearing);
  const mandates = granted ? [...others, clearing].sort() : others;
  if (mandates.length > MAX_MANDATES) return reject('CHAIN_BAD_FIELD', 'too many mandates');
  putRecord(ctx.view, 'account', tx.signer, { ...account, mandates });
  return null;
}

export function thbIssue(ctx: TxContext, tx: SignedTx<'THB_ISSUE'>): Rejection | null {
  const b = tx.body;
  const err =
    requireRole(ctx.view, tx.signer, 'SETTLEMENT_BANK') ??
    requireAmount(b.amountSatang, 'amountSatang');
  if (err !== null) return err;
  if (getRecord(ctx.view, 'deposit', b.depositRef) !== undefined) {
    return reject('CHAIN_REF_USED', `deposit ${b.depositRef} was already credited`);
  }
  putRecord(ctx.view, 'deposit', b.depositRef, {
    account: b.to,
    amountSatang: b.amountSatang,
    height: ctx.env.height,
  });
  ctx.mint('THB', b.amountSatang);
  ctx.create(b.to, 'THB', b.amountSatang);
  return null;
}

export function thbRedeem(ctx: TxContext, tx: SignedTx<'THB_REDEEM'>): Rejection | null {
  const b = tx.body;
  const err = requireAmount(b.amountSatang, 'amountSatang');
  if (err !== null) return err;
  if (getRecord(ctx.view, 'withdrawal', b.withdrawalRef) !== undefined) {
    return reject('CHAIN_REF_USED', `withdrawal ${b.withdrawalRef} was already paid`);
  }
  const spent = ctx.spend(b.inputs, tx.signer, 'THB');
  if ('ok' in spent) return spent;
  if (spent.THB < b.amountSatang) {
    return reject(
      'CHAIN_INSUFFICIENT_FUNDS',
      `inputs hold ${spent.THB} satang, redeem needs ${b.amountSatang}`,
    );
  }
  putRecord(ctx.view, 'withdrawal', b.withdrawalRef, {
    account: tx.signer,
    amountSatang: b.amountSatang,
    height: ctx.env.height,
  });
  ctx.burn('THB', b.amountSatang);
  if (spent.THB > b.amountSatang) ctx.create(tx.signer, 'THB', spent.THB - b.amountSatang);
  return null;
}
