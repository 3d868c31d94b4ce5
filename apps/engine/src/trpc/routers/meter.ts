// meter.register | retire | list | mine | readings | submitReading — the meter registry (run by
// the zone's distribution authority or an admin) and the reading intake. A reading is public:
// the meter's ed25519 signature over the canonical reading (see metering/keys.ts) is what
// authenticates it. Readings stay queryable per meter for owners, operators and certificates.
import { z } from 'zod';
import { domainError } from '../../errors.ts';
import { METER_KINDS, type Outcome, type Registrar } from '../../metering/service.ts';
import type { RequestContext } from '../../context.ts';
import type { SessionUser } from '../../auth/sessions.ts';
import { meteringClosesAt } from '../../delivery/window.ts';
import { instant, pageLimit, zoneCode } from '../inputs.ts';
import {
  authedProcedure,
  publicProcedure,
  registryProcedure,
  router,
  traderProcedure,
} from '../init.ts';

const meterId = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9._:-]+$/, 'malformed meter id');
const hex = (bytes: number) =>
  z
    .string()
    .length(bytes * 2)
    .regex(/^[0-9a-fA-F]+$/, `must be ${bytes} bytes in hex`);
const wh = z.number().int().min(0).refine(Number.isSafeInteger, 'must be a safe integer');

function registrar(ctx: RequestContext & { user: SessionUser }): Registrar {
  return {
    accountId: ctx.user.accountId,
    role: ctx.user.role,
    ip: ctx.ip,
    requestId: ctx.requestId,
  };
}

function unwrap<T>(outcome: Outcome<T>): T {
  if (!outcome.ok) throw domainError(outcome.code, outcome.message);
  return outcome.value;
}

export const meterRouter = router({
  /** Registers a meter for an owner; without a public key, generates the meter's key pair. */
  register: registryProcedure
    .input(
      z
        .object({
          ownerId: z.uuid(),
          zone: zoneCode,
          kind: z.enum(METER_KINDS),
          capacityW: z.number().int().positive().max(10_000_000_000),
          publicKey: hex(32).optional(),
          label: z.string().trim().min(1).max(100).optional(),
        })
        .strict(),
    )
    .mutation(async ({ ctx, input }) => {
      const registered = unwrap(
        await ctx.services.metering.register(
          {
            ownerId: input.ownerId,
            zone: input.zone,
            kind: input.kind,
            capacityW: input.capacityW,
            publicKeyHex: input.publicKey,
            label: input.label,
          },
          registrar(ctx),
        ),
      );
      return {
        meterId: registered.meterId,
        publicKey: registered.publicKeyHex,
        /** Shown once, to provision the meter; the engine does not keep it. */
        secretKey: registered.secretKeyHex,
        chainId: ctx.services.chain?.chainId ?? null,
      };
    }),

  retire: registryProcedure
    .input(z.object({ meterId }).strict())
    .mutation(async ({ ctx, input }) => {
      unwrap(await ctx.services.metering.retire(input.meterId, registrar(ctx)));
      return { ok: true as const };
    }),

  /** The registry: every meter (filtered), with its owner and latest reading. */
  list: registryProcedure
    .input(
      z
        .object({
          zone: zoneCode.optional(),
          ownerId: z.uuid().optional(),
          kind: z.enum(METER_KINDS).optional(),
          includeRetired: z.boolean().default(false),
          limit: pageLimit,
        })
        .default({ includeRetired: false, limit: 100 }),
    )
    .query(async ({ ctx, input }) => {
      const meters = await ctx.services.db.prisma.meter.findMany({
        where: {
          ...(input.zone ? { zone: input.zone } : {}),
          ...(input.ownerId ? { ownerId: input.ownerId } : {}),
          ...(input.kind ? { kind: input.kind } : {}),
          ...(input.includeRetired ? {} : { retiredAt: null }),
        },
        include: {
          owner: { select: { email: true, name: true } },
          readings: { orderBy: { intervalStart: 'desc' }, take: 1 },
        },
        orderBy: [{ zone: 'asc' }, { createdAt: 'asc' }],
        take: input.limit,
      });
      return meters.map((m) => ({
        ...publicMeter(m),
        owner: { id: m.ownerId, email: m.owner.email, name: m.owner.name },
        lastReadingAt: m.readings[0]?.intervalStart ?? null,
      }));
    }),

  /** My meters, with the latest reading of each. */
  mine: traderProcedure.query(async ({ ctx }) => {
    const meters = await ctx.services.db.prisma.meter.findMany({
      where: { ownerId: ctx.user.accountId },
      include: { readings: { orderBy: { intervalStart: 'desc' }, take: 1 } },
      orderBy: { createdAt: 'asc' },
    });
    return meters.map((m) => ({
      ...publicMeter(m),
      lastReading: m.readings[0] ? publicReading(m.readings[0]) : null,
    }));
  }),

  /** A meter's readings, newest first: its owner, operators, admins and authorities. */
  readings: authedProcedure
    .input(
      z
        .object({ meterId, from: instant.optional(), to: instant.optional(), limit: pageLimit })
        .strict(),
    )
    .query(async ({ ctx, input }) => {
      const { prisma } = ctx.services.db;
      const meter = await prisma.meter.findUnique({ where: { id: input.meterId } });
      const staff = ctx.user.role !== 'TRADER';
      if (!meter || (!staff && meter.ownerId !== ctx.user.accountId)) {
        throw domainError('METER_NOT_FOUND', `No meter ${input.meterId}`);
      }
      const readings = await prisma.meterReading.findMany({
        where: {
          meterId: meter.id,
          intervalStart: {
            ...(input.from === undefined ? {} : { gte: new Date(input.from) }),
            ...(input.to === undefined ? {} : { lt: new Date(input.to) }),
          },
        },
        orderBy: { intervalStart: 'desc' },
        take: input.limit,
      });
      return { meter: publicMeter(meter), readings: readings.map(publicReading) };
    }),

  /** A meter's signed reading for one 15-minute interval. */
  submitReading: publicProcedure
    .input(
      z
        .object({
          meterId,
          intervalStart: instant,
          injectedWh: wh,
          withdrawnWh: wh,
          signature: hex(64),
        })
        .strict(),
    )
    .mutation(async ({ ctx, input }) => {
      const { ordersPerIp } = ctx.services.limiters;
      const key = `readings:ip:${ctx.ip ?? 'unknown'}`;
      if (!ordersPerIp.take(key)) {
        throw domainError('RATE_LIMITED', 'Too many readings; slow down', {
          retryAfterSec: ordersPerIp.retryAfterSec(key),
        });
      }
      const accepted = unwrap(
        await ctx.services.metering.submit(
          {
            meterId: input.meterId,
            intervalStartMs: input.intervalStart,
            injectedWh: input.injectedWh,
            withdrawnWh: input.withdrawnWh,
            signatureHex: input.signature.toLowerCase(),
          },
          { ip: ctx.ip, requestId: ctx.requestId },
        ),
      );
      return {
        status: 'ACCEPTED' as const,
        meterId: accepted.meterId,
        intervalStart: new Date(accepted.intervalStartMs),
        /** When the interval settles and the reading is attested on chain. */
        attestsAt: new Date(accepted.attestsAtMs),
      };
    }),
});

function publicMeter(m: {
  id: string;
  ownerId: string;
  zone: string;
  kind: string;
  capacityW: bigint;
  publicKey: Uint8Array;
  label: string | null;
  createdAt: Date;
  retiredAt: Date | null;
}) {
  return {
    id: m.id,
    ownerId: m.ownerId,
    zone: m.zone,
    kind: m.kind as (typeof METER_KINDS)[number],
    capacityW: m.capacityW,
    publicKey: Buffer.from(m.publicKey).toString('hex'),
    label: m.label,
    createdAt: m.createdAt,
    retiredAt: m.retiredAt,
  };
}

function publicReading(r: {
  intervalStart: Date;
  injectedWh: bigint;
  withdrawnWh: bigint;
  receivedAt: Date;
  chainTxHash: string | null;
  burnedWh: bigint | null;
  utilityWh: bigint | null;
  utilityTariffTicks: number | null;
  utilitySatang: bigint | null;
  burnTxHash: string | null;
}) {
  return {
    intervalStart: r.intervalStart,
    injectedWh: r.injectedWh,
    withdrawnWh: r.withdrawnWh,
    receivedAt: r.receivedAt,
    /** Settled: minted and burned on chain (null until the metering window closes). */
    settled: r.burnedWh !== null,
    attestsAt: new Date(meteringClosesAt(r.intervalStart.getTime())),
    mintTxHash: r.chainTxHash,
    burnedWh: r.burnedWh,
    burnTxHash: r.burnTxHash,
    utilityWh: r.utilityWh,
    utilityTariffTicks: r.utilityTariffTicks,
    utilitySatang: r.utilitySatang,
  };
}
