// Balancing reserve: battery owners offer power for an hour (up: discharge, down: charge) at a
// price; the grid operator activates reserve in a zone for an hour, and the engine clears it
// pay-as-clear — offers in merit order (cheapest first, then the earliest), the last one taken
// partly if need be, every accepted offer paid the marginal offer's price. Activated upward
// reserve sets a floor under the zone's imbalance price; providers are paid per interval for
// what their meters delivered (delivery/settle.ts).
import { randomBytes } from 'node:crypto';
import { audit } from '../audit.ts';
import type { Clock } from '../clock.ts';
import type { Database } from '../db/index.ts';
import type { EngineCode } from '../errors.ts';
import type { Outcome } from '../metering/service.ts';
import type { MarketParameters } from '../market/reference.ts';
import { userRoom, type Publisher } from '../streams/hub.ts';

export const HOUR_MS = 3600_000;
/** Offers are taken for hours that have not started, up to two days ahead. */
const OFFER_HORIZON_MS = 48 * HOUR_MS;

export type Direction = 'UP' | 'DOWN';

export interface ReserveActor {
  accountId: string;
  ip: string | null;
  requestId: string | null;
}

export interface OfferInput {
  meterId: string;
  hourStartMs: number;
  direction: Direction;
  powerW: number;
  priceTicks: number;
}

export interface ActivateInput {
  zone: string;
  hourStartMs: number;
  direction: Direction;
  requestedW: number;
  reason: string;
}

export interface Activation {
  activationId: string;
  zone: string;
  hourStartMs: number;
  direction: Direction;
  requestedW: bigint;
  activatedW: bigint;
  clearingPriceTicks: number;
  awards: { offerId: string; accountId: string; powerW: bigint; offerPriceTicks: number }[];
}

export interface MeritOffer {
  id: string;
  accountId: string;
  powerW: bigint;
  priceTicks: number;
  createdAt: Date;
}

function fail<T>(code: EngineCode, message: string): Outcome<T> {
  return { ok: false, code, message };
}

/**
 * Pay-as-clear over offers in merit order (RES-1): cheapest first, ties by submission time then
 * id; take offers until the request is met (the last one partly); every award is paid the price
 * of the last offer taken. Pure.
 */
export function clearReserve(
  offers: readonly MeritOffer[],
  requestedW: bigint,
): { awards: { offer: MeritOffer; powerW: bigint }[]; clearingPriceTicks: number } | null {
  const merit = [...offers].sort(
    (a, b) =>
      a.priceTicks - b.priceTicks ||
      a.createdAt.getTime() - b.createdAt.getTime() ||
      (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
  const awards: { offer: MeritOffer; powerW: bigint }[] = [];
  let left = requestedW;
  for (const offer of merit) {
    if (left <= 0n) break;
    const take = offer.powerW < left ? offer.powerW : left;
    awards.push({ offer, powerW: take });
    left -= take;
  }
  if (awards.length === 0) return null;
  return { awards, clearingPriceTicks: awards.at(-1)!.offer.priceTicks };
}

export class ReserveMarket {
  constructor(
    private readonly deps: {
      db: Database;
      clock: Clock;
      publish: Publisher;
      params: () => MarketParameters;
    },
  ) {}

  async offer(input: OfferInput, actor: ReserveActor): Promise<Outcome<{ offerId: string }>> {
    const { prisma } = this.deps.db;
    const now = this.deps.clock.now();
    const meter = await prisma.meter.findUnique({ where: { id: input.meterId } });
    if (
      !meter ||
      meter.ownerId !== actor.accountId ||
      meter.retiredAt ||
      meter.kind !== 'BATTERY'
    ) {
      return fail('RESERVE_INVALID_METER', 'Reserve is offered from a battery meter you own');
    }
    if (input.hourStartMs % HOUR_MS !== 0 || input.hourStartMs <= now) {
      return fail('RESERVE_HOUR_INVALID', 'Offer for the start of an hour that has not begun');
    }
    if (input.hourStartMs > now + OFFER_HORIZON_MS) {
      return fail('RESERVE_HOUR_INVALID', 'Offers are taken at most 48 hours ahead');
    }
    const { priceFloorTicks, priceCapTicks } = this.deps.params();
    if (input.priceTicks < priceFloorTicks || input.priceTicks > priceCapTicks) {
      return fail('RESERVE_HOUR_INVALID', 'The price is outside the market’s price band');
    }
    const offerId = `RSV-${randomBytes(6).toString('hex').toUpperCase()}`;
    const created = await prisma.$transaction(async (tx) => {
      await tx.$queryRaw`SELECT 1 FROM meter WHERE id = ${meter.id} FOR UPDATE`;
      const offered = await tx.reserveOffer.aggregate({
        where: {
          meterId: meter.id,
          hourStart: new Date(input.hourStartMs),
          direction: input.direction,
          status: { in: ['OFFERED', 'ACTIVATED'] },
        },
        _sum: { powerW: true },
      });
      if ((offered._sum.powerW ?? 0n) + BigInt(input.powerW) > meter.capacityW) return false;
      await tx.reserveOffer.create({
        data: {
          id: offerId,
          accountId: actor.accountId,
          meterId: meter.id,
          zone: meter.zone,
          hourStart: new Date(input.hourStartMs),
          direction: input.direction,
          powerW: BigInt(input.powerW),
          priceTicks: input.priceTicks,
          createdAt: new Date(now),
        },
      });
      await audit(tx, {
        actorId: actor.accountId,
        action: 'reserve.offer',
        target: offerId,
        ip: actor.ip,
        requestId: actor.requestId,
        details: { ...input, zone: meter.zone },
      });
      return true;
    });
    if (!created) {
      return fail(
        'RESERVE_OVER_CAPACITY',
        `The meter's offers for the hour would exceed ${meter.capacityW} W`,
      );
    }
    this.deps.publish('grid', 'reserveOffer', {
      zone: meter.zone,
      hourStart: input.hourStartMs,
      direction: input.direction,
      powerW: input.powerW,
      priceTicks: input.priceTicks,
    });
    return { ok: true, value: { offerId } };
  }

  async withdraw(offerId: string, actor: ReserveActor): Promise<Outcome<true>> {
    const { prisma } = this.deps.db;
    const offer = await prisma.reserveOffer.findUnique({ where: { id: offerId } });
    if (!offer || offer.accountId !== actor.accountId) {
      return fail('RESERVE_OFFER_NOT_FOUND', 'No such reserve offer');
    }
    const updated = await prisma.$transaction(async (tx) => {
      const { count } = await tx.reserveOffer.updateMany({
        where: {
          id: offerId,
          status: 'OFFERED',
          hourStart: { gt: new Date(this.deps.clock.now()) },
        },
        data: { status: 'WITHDRAWN' },
      });
      if (count === 0) return false;
      await audit(tx, {
        actorId: actor.accountId,
        action: 'reserve.withdraw',
        target: offerId,
        ip: actor.ip,
        requestId: actor.requestId,
      });
      return true;
    });
    if (!updated) {
      return fail(
        'RESERVE_OFFER_CLOSED',
        'Only an offer not yet activated, for an hour not yet begun, can be withdrawn',
      );
    }
    return { ok: true, value: true };
  }

  /** The operator's activation: clears the zone's offers for the hour pay-as-clear (RES-1). */
  async activate(input: ActivateInput, actor: ReserveActor): Promise<Outcome<Activation>> {
    const { prisma } = this.deps.db;
    const now = this.deps.clock.now();
    const zone = await prisma.zone.findUnique({ where: { code: input.zone } });
    if (!zone) return fail('MARKET_UNKNOWN_ZONE', `Unknown zone ${input.zone}`);
    if (
      input.hourStartMs % HOUR_MS !== 0 ||
      input.hourStartMs + HOUR_MS <= now ||
      input.hourStartMs > now + HOUR_MS
    ) {
      return fail('RESERVE_HOUR_INVALID', 'Activate reserve for the current or the next hour');
    }
    const activationId = `ACT-${randomBytes(6).toString('hex').toUpperCase()}`;
    const result = await prisma.$transaction(async (tx) => {
      const rows = await tx.$queryRaw<
        { id: string; account_id: string; power_w: bigint; price_ticks: number; created_at: Date }[]
      >`SELECT id, account_id, power_w, price_ticks, created_at FROM reserve_offer
         WHERE zone = ${input.zone} AND hour_start = ${new Date(input.hourStartMs)}
           AND direction = ${input.direction}::"ReserveDirection" AND status = 'OFFERED'
         FOR UPDATE`;
      const cleared = clearReserve(
        rows.map((r) => ({
          id: r.id,
          accountId: r.account_id,
          powerW: BigInt(r.power_w),
          priceTicks: r.price_ticks,
          createdAt: r.created_at,
        })),
        BigInt(input.requestedW),
      );
      if (!cleared) return null;
      const activatedW = cleared.awards.reduce((s, a) => s + a.powerW, 0n);
      await tx.reserveActivation.create({
        data: {
          id: activationId,
          zone: input.zone,
          hourStart: new Date(input.hourStartMs),
          direction: input.direction,
          requestedW: BigInt(input.requestedW),
          activatedW,
          clearingPriceTicks: cleared.clearingPriceTicks,
          activatedById: actor.accountId,
          reason: input.reason,
          createdAt: new Date(now),
        },
      });
      await tx.reserveAward.createMany({
        data: cleared.awards.map((a) => ({
          activationId,
          offerId: a.offer.id,
          powerW: a.powerW,
          priceTicks: cleared.clearingPriceTicks,
        })),
      });
      await tx.reserveOffer.updateMany({
        where: { id: { in: cleared.awards.map((a) => a.offer.id) } },
        data: { status: 'ACTIVATED' },
      });
      const details = {
        activationId,
        hourStart: input.hourStartMs,
        direction: input.direction,
        requestedW: input.requestedW,
        activatedW: activatedW.toString(),
        clearingPriceTicks: cleared.clearingPriceTicks,
        reason: input.reason,
      };
      await tx.gridEvent.create({
        data: {
          at: new Date(now),
          kind: 'RESERVE_ACTIVATION',
          zone: input.zone,
          actorId: actor.accountId,
          details,
        },
      });
      await audit(tx, {
        actorId: actor.accountId,
        action: 'reserve.activate',
        target: input.zone,
        ip: actor.ip,
        requestId: actor.requestId,
        details,
      });
      return { cleared, activatedW };
    });
    if (!result) {
      return fail(
        'RESERVE_NO_OFFERS',
        `No ${input.direction} reserve is offered in ${input.zone} for that hour`,
      );
    }
    const activation: Activation = {
      activationId,
      zone: input.zone,
      hourStartMs: input.hourStartMs,
      direction: input.direction,
      requestedW: BigInt(input.requestedW),
      activatedW: result.activatedW,
      clearingPriceTicks: result.cleared.clearingPriceTicks,
      awards: result.cleared.awards.map((a) => ({
        offerId: a.offer.id,
        accountId: a.offer.accountId,
        powerW: a.powerW,
        offerPriceTicks: a.offer.priceTicks,
      })),
    };
    this.deps.publish('grid', 'reserve', {
      activationId,
      zone: input.zone,
      hourStart: input.hourStartMs,
      direction: input.direction,
      activatedW: Number(activation.activatedW),
      clearingPriceTicks: activation.clearingPriceTicks,
    });
    for (const a of activation.awards) {
      this.deps.publish(userRoom(a.accountId), 'reserveAward', {
        activationId,
        offerId: a.offerId,
        powerW: Number(a.powerW),
        priceTicks: activation.clearingPriceTicks,
        hourStart: input.hourStartMs,
        direction: input.direction,
      });
    }
    return { ok: true, value: activation };
  }

  private lastExpiry = 0;

  /** Housekeeping on the engine's calendar tick (at most every few seconds). */
  async tick(): Promise<void> {
    if (performance.now() - this.lastExpiry < 5_000) return;
    this.lastExpiry = performance.now();
    await this.expire();
  }

  /** Offers for hours that have ended without activation expire. */
  async expire(): Promise<void> {
    await this.deps.db.prisma.reserveOffer.updateMany({
      where: {
        status: 'OFFERED',
        hourStart: { lte: new Date(this.deps.clock.now() - HOUR_MS) },
      },
      data: { status: 'EXPIRED' },
    });
  }
}
