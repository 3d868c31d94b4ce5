// Grid-state transactions (GRID-1..3): zone halt and resume by the grid operator or the zone's
// own operator, link capacity, wheeling and congestion by the grid operator. The grid is one
// small record, hashed on its own into every block header (GRID-4).
import { reject } from '../../../errors.ts';
import type { Rejection } from '../../../errors.ts';
import type { SignedTx } from '../../tx/tx.ts';
import type { GridRecord } from '../records.ts';
import { SINGLETON } from '../records.ts';
import { putRecord } from '../view.ts';
import { gridOf, hasRole, requireRole } from './context.ts';
import type { TxContext } from './context.ts';

function setZoneHalt(
  ctx: TxContext,
  zoneId: string,
  halted: boolean,
  reason: string,
): Rejection | null {
  const grid = gridOf(ctx.view);
  const zone = grid.zones.find((z) => z.id === zoneId);
  if (zone === undefined) return reject('CHAIN_UNKNOWN_ZONE', `no zone ${zoneId}`);
  if (zone.operator !== ctx.tx.signer && !hasRole(ctx.view, ctx.tx.signer, 'GRID_OPERATOR')) {
    return reject('CHAIN_UNAUTHORIZED', `${ctx.tx.signer} may not halt or resume ${zoneId}`);
  }
  const zones = grid.zones.map((z) =>
    z.id === zoneId ? { ...z, halted, haltReason: halted ? reason : '' } : z,
  );
  putRecord(ctx.view, 'grid', SINGLETON, { ...grid, zones });
  return null;
}

export function zoneHalt(ctx: TxContext, tx: SignedTx<'GRID_ZONE_HALT'>): Rejection | null {
  return setZoneHalt(ctx, tx.body.zone, true, tx.body.reason);
}

export function zoneResume(ctx: TxContext, tx: SignedTx<'GRID_ZONE_RESUME'>): Rejection | null {
  return setZoneHalt(ctx, tx.body.zone, false, '');
}

function sortLinks(links: GridRecord['links']): GridRecord['links'] {
  return [...links].sort((a, b) =>
    a.from === b.from ? (a.to < b.to ? -1 : 1) : a.from < b.from ? -1 : 1,
  );
}

export function linkSet(ctx: TxContext, tx: SignedTx<'GRID_LINK_SET'>): Rejection | null {
  const b = tx.body;
  const roleErr = requireRole(ctx.view, tx.signer, 'GRID_OPERATOR');
  if (roleErr !== null) return roleErr;
  const grid = gridOf(ctx.view);
  for (const zoneId of [b.from, b.to]) {
    if (!grid.zones.some((z) => z.id === zoneId))
      return reject('CHAIN_UNKNOWN_ZONE', `no zone ${zoneId}`);
  }
  if (b.from === b.to) return reject('CHAIN_BAD_FIELD', 'a link joins two different zones');
  const existing = grid.links.find((l) => l.from === b.from && l.to === b.to);
  const others = grid.links.filter((l) => l !== existing);
  if (existing === undefined && others.length >= 512)
    return reject('CHAIN_BAD_FIELD', 'too many links');
  const link = {
    from: b.from,
    to: b.to,
    capacityWh: b.capacityWh,
    wheelingTicks: b.wheelingTicks,
    congested: existing?.congested ?? false,
  };
  putRecord(ctx.view, 'grid', SINGLETON, { ...grid, links: sortLinks([...others, link]) });
  return null;
}

export function congestionSet(
  ctx: TxContext,
  tx: SignedTx<'GRID_CONGESTION_SET'>,
): Rejection | null {
  const b = tx.body;
  const roleErr = requireRole(ctx.view, tx.signer, 'GRID_OPERATOR');
  if (roleErr !== null) return roleErr;
  const grid = gridOf(ctx.view);
  if (!grid.links.some((l) => l.from === b.from && l.to === b.to)) {
    return reject('CHAIN_NO_LINK', `no link ${b.from} → ${b.to}`);
  }
  const links = grid.links.map((l) =>
    l.from === b.from && l.to === b.to ? { ...l, congested: b.congested } : l,
  );
  putRecord(ctx.view, 'grid', SINGLETON, { ...grid, links });
  return null;
}
