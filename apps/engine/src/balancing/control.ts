// Zone halt and resume, shared by the grid operator's procedures and the engine's emergency
// protocol: the zone is marked in the database, the authority transaction (GRID_ZONE_HALT or
// _RESUME, signed by EGAT) goes to the outbox in the same database transaction, the live books
// halt or resume at once, a grid event and an audit row record who acted (null: the engine),
// and the `grid` room hears it.
import { audit } from '../audit.ts';
import type { EngineServices } from '../context.ts';
import type { Prisma } from '../db/index.ts';

export interface GridActor {
  /** Null when the engine acts by itself (emergency protocol). */
  accountId: string | null;
  ip: string | null;
  requestId: string | null;
}

export const ENGINE_ACTOR: GridActor = { accountId: null, ip: null, requestId: null };

type Services = Pick<EngineServices, 'db' | 'markets' | 'hub' | 'settlement' | 'clock'>;

async function setHalted(
  services: Services,
  zone: string,
  halted: boolean,
  reason: string,
  actor: GridActor,
  details: Prisma.InputJsonObject,
): Promise<void> {
  const { prisma } = services.db;
  const at = services.clock.now();
  const key = `grid:${halted ? 'halt' : 'resume'}:${zone}:${actor.requestId ?? 'engine'}:${at}:${Date.now()}`;
  const marketActor =
    actor.accountId === null
      ? null
      : { accountId: actor.accountId, ip: actor.ip, requestId: actor.requestId };
  // A halt stops the books first, so every trade they matched has its outbox row before the
  // halt's (whose transaction waits for those trades: the chain refuses trades in a halted
  // zone). A resume is recorded first, so its transaction goes before any new trade's.
  if (halted) await services.markets.haltZone(zone, marketActor);
  await prisma.$transaction(async (tx) => {
    await tx.zone.update({
      where: { code: zone },
      data: halted ? { halted: true, haltReason: reason } : { halted: false, haltReason: null },
    });
    await tx.settlementOutbox.create({
      data: {
        key,
        kind: halted ? 'grid.halt' : 'grid.resume',
        payload: { zone, reason },
      },
    });
    await tx.gridEvent.create({
      data: {
        at: new Date(at),
        kind: halted ? 'HALT' : 'RESUME',
        zone,
        actorId: actor.accountId,
        details: { reason, outboxKey: key, ...details },
      },
    });
    await audit(tx, {
      actorId: actor.accountId,
      action: halted ? 'grid.halt' : 'grid.resume',
      target: zone,
      ip: actor.ip,
      requestId: actor.requestId,
      details: { reason, ...details },
    });
  });
  await services.markets.reloadReference();
  // Books opened since (the calendar reads the zone's flag) are halted too.
  if (halted) await services.markets.haltZone(zone, marketActor);
  else await services.markets.resumeZone(zone, marketActor);
  services.hub.publish(
    'grid',
    'zone',
    halted ? { zone, halted: true, reason, ...details } : { zone, halted: false },
  );
  void services.settlement?.kick();
}

export function haltZone(
  services: Services,
  zone: string,
  reason: string,
  actor: GridActor,
  details: Prisma.InputJsonObject = {},
): Promise<void> {
  return setHalted(services, zone, true, reason, actor, details);
}

export function resumeZone(
  services: Services,
  zone: string,
  reason: string,
  actor: GridActor,
): Promise<void> {
  return setHalted(services, zone, false, reason, actor, {});
}
