// The meter registry and the reading intake. The zone's distribution authority (an AUTHORITY
// account acting for MEA or PEA) or an admin registers meters; a meter submits one signed
// reading per 15-minute interval, which is verified, checked for plausibility and order, and
// stored. Attestation on chain (mint for injection, burn for withdrawal) follows when the
// interval's metering window closes (see delivery/settle.ts), so every reading settles once.
import { randomBytes } from 'node:crypto';
import { audit } from '../audit.ts';
import type { Role } from '../db/generated/enums.ts';
import { Prisma, type Database } from '../db/index.ts';
import type { EngineCode } from '../errors.ts';
import type { Clock } from '../clock.ts';
import { INTERVAL_MS, isIntervalStart } from '../market/calendar.ts';
import { userRoom, type Publisher } from '../streams/hub.ts';
import { meteringClosesAt, WATERMARK_KEY } from '../delivery/window.ts';
import { generateMeterKey, verifyReading } from './keys.ts';

export const METER_KINDS = ['SOLAR', 'WIND', 'HYDRO', 'BIOMASS', 'BATTERY', 'CONSUMPTION'] as const;
export type MeterKind = (typeof METER_KINDS)[number];

export type Outcome<T> = { ok: true; value: T } | { ok: false; code: EngineCode; message: string };

function fail<T>(code: EngineCode, message: string): Outcome<T> {
  return { ok: false, code, message };
}

export interface Registrar {
  accountId: string;
  role: Role;
  ip: string | null;
  requestId: string | null;
}

export interface RegisterInput {
  ownerId: string;
  zone: string;
  kind: MeterKind;
  capacityW: number;
  /** The meter's ed25519 public key (hex); omitted: a key pair is generated for the owner. */
  publicKeyHex?: string | undefined;
  label?: string | undefined;
}

export interface Registered {
  meterId: string;
  publicKeyHex: string;
  /** Only when the engine generated the key pair: the seed to provision into the meter. */
  secretKeyHex: string | null;
}

export interface ReadingInput {
  meterId: string;
  intervalStartMs: number;
  injectedWh: number;
  withdrawnWh: number;
  signatureHex: string;
}

export interface MeteringDeps {
  db: Database;
  clock: Clock;
  publish: Publisher;
  /** The chain id readings are signed for (null without a chain: readings are refused). */
  chainId: () => string | null;
}

/** What an interval of a meter's capacity can plausibly carry: capacity × 0.25 h, in Wh. */
export function maxIntervalWh(capacityW: bigint): bigint {
  return (capacityW * BigInt(INTERVAL_MS)) / 3_600_000n;
}

export class MeteringService {
  constructor(private readonly deps: MeteringDeps) {}

  /** Whether `who` may manage meters in `zone`: an admin, or the zone's distribution authority. */
  async mayManage(who: Registrar, zone: { code: string; authority: string }): Promise<boolean> {
    if (who.role === 'ADMIN') return true;
    if (who.role !== 'AUTHORITY') return false;
    const account = await this.deps.db.prisma.account.findUnique({
      where: { id: who.accountId },
      select: { authority: true },
    });
    return account?.authority === zone.authority;
  }

  async register(input: RegisterInput, who: Registrar): Promise<Outcome<Registered>> {
    const { prisma } = this.deps.db;
    const zone = await prisma.zone.findUnique({ where: { code: input.zone } });
    if (!zone) return fail('MARKET_UNKNOWN_ZONE', `Unknown zone ${input.zone}`);
    if (!(await this.mayManage(who, zone))) {
      return fail(
        'METER_NOT_AUTHORITY',
        `Only ${zone.authority} (the zone's distribution authority) or an admin registers meters in ${zone.code}`,
      );
    }
    const owner = await prisma.account.findUnique({ where: { id: input.ownerId } });
    if (!owner || owner.disabledAt || owner.role !== 'TRADER' || !owner.chainPublicKey) {
      return fail('METER_OWNER_INVALID', 'The owner must be an active trading account');
    }
    const generated = input.publicKeyHex ? null : generateMeterKey();
    const publicKeyHex = (input.publicKeyHex ?? generated!.publicKeyHex).toLowerCase();
    const meterId = `MTR-${randomBytes(5).toString('hex').toUpperCase()}`;
    try {
      await prisma.$transaction(async (tx) => {
        await tx.meter.create({
          data: {
            id: meterId,
            ownerId: owner.id,
            zone: zone.code,
            kind: input.kind,
            capacityW: BigInt(input.capacityW),
            publicKey: Buffer.from(publicKeyHex, 'hex'),
            label: input.label ?? null,
            registeredById: who.accountId,
          },
        });
        await audit(tx, {
          actorId: who.accountId,
          action: 'meter.register',
          target: meterId,
          ip: who.ip,
          requestId: who.requestId,
          details: {
            ownerId: owner.id,
            zone: zone.code,
            kind: input.kind,
            capacityW: input.capacityW,
            publicKey: publicKeyHex,
            keyGenerated: generated !== null,
          },
        });
      });
    } catch (error) {
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
        return fail('METER_KEY_IN_USE', 'Another meter already uses this public key');
      }
      throw error;
    }
    this.deps.publish(userRoom(owner.id), 'meter', { meterId, zone: zone.code, kind: input.kind });
    return {
      ok: true,
      value: { meterId, publicKeyHex, secretKeyHex: generated?.secretKeyHex ?? null },
    };
  }

  /** Takes a meter out of service: it submits no more readings; its history stays. */
  async retire(meterId: string, who: Registrar): Promise<Outcome<true>> {
    const { prisma } = this.deps.db;
    const meter = await prisma.meter.findUnique({
      where: { id: meterId },
      include: { zoneRef: true },
    });
    if (!meter) return fail('METER_NOT_FOUND', `No meter ${meterId}`);
    if (!(await this.mayManage(who, meter.zoneRef))) {
      return fail(
        'METER_NOT_AUTHORITY',
        `Only ${meter.zoneRef.authority} or an admin retires this meter`,
      );
    }
    if (meter.retiredAt) return fail('METER_RETIRED', `Meter ${meterId} is already retired`);
    await prisma.$transaction(async (tx) => {
      await tx.meter.update({
        where: { id: meterId },
        data: { retiredAt: new Date(this.deps.clock.now()) },
      });
      await audit(tx, {
        actorId: who.accountId,
        action: 'meter.retire',
        target: meterId,
        ip: who.ip,
        requestId: who.requestId,
      });
    });
    return { ok: true, value: true };
  }

  /**
   * Accepts one signed reading. Checks, in order: the meter exists and is in service, the
   * signature, the interval (aligned, ended, metering window still open), plausibility (inflow
   * plus outflow within capacity × 0.25 h), then — under a lock on the meter — duplicates and
   * order (never older than the meter's latest reading).
   */
  async submit(
    input: ReadingInput,
    from: { ip: string | null; requestId: string | null },
  ): Promise<Outcome<{ meterId: string; intervalStartMs: number; attestsAtMs: number }>> {
    const chainId = this.deps.chainId();
    if (chainId === null) return fail('CHAIN_UNAVAILABLE', 'The chain is not running');
    const { db, clock } = this.deps;
    const meter = await db.prisma.meter.findUnique({ where: { id: input.meterId } });
    if (!meter || meter.retiredAt)
      return fail('METER_NOT_FOUND', `No meter ${input.meterId} in service`);
    const signed = verifyReading(
      meter.publicKey,
      {
        chainId,
        meterId: input.meterId,
        intervalStartMs: input.intervalStartMs,
        injectedWh: input.injectedWh,
        withdrawnWh: input.withdrawnWh,
      },
      input.signatureHex,
    );
    if (!signed) {
      return fail('METER_BAD_SIGNATURE', 'The signature does not verify under the meter’s key');
    }
    if (!isIntervalStart(input.intervalStartMs)) {
      return fail('METER_READING_INVALID', 'Not the start of a 15-minute interval');
    }
    const now = clock.now();
    if (input.intervalStartMs + INTERVAL_MS > now) {
      return fail('METER_READING_EARLY', 'The interval has not ended yet');
    }
    const totalWh = BigInt(input.injectedWh) + BigInt(input.withdrawnWh);
    if (totalWh > maxIntervalWh(meter.capacityW)) {
      return fail(
        'METER_READING_IMPLAUSIBLE',
        `${totalWh} Wh in 15 minutes exceeds the meter's capacity (${meter.capacityW} W × 0.25 h)`,
      );
    }
    const client = await db.pool.connect();
    try {
      await client.query('BEGIN');
      // The watermark row is shared-locked so the interval's settlement (which takes it for
      // update) sees either all of this reading or none of it.
      const mark = await client.query<{ value: { ms: number } }>(
        `SELECT value FROM engine_state WHERE key = $1 FOR SHARE`,
        [WATERMARK_KEY],
      );
      await client.query(`SELECT 1 FROM meter WHERE id = $1 FOR UPDATE`, [input.meterId]);
      const seen = await client.query<{ dup: boolean; latest: Date | null }>(
        `SELECT bool_or(interval_start = $2) AS dup, max(interval_start) AS latest
           FROM meter_reading WHERE meter_id = $1`,
        [input.meterId, new Date(input.intervalStartMs)],
      );
      const { dup, latest } = seen.rows[0] ?? { dup: null, latest: null };
      const watermarkMs = mark.rows[0] === undefined ? null : Number(mark.rows[0].value.ms);
      const rejection: Outcome<never> | null = dup
        ? fail('METER_READING_DUPLICATE', 'This meter already reported this interval')
        : latest && latest.getTime() > input.intervalStartMs
          ? fail(
              'METER_READING_OUT_OF_ORDER',
              `This meter already reported a later interval (${latest.toISOString()})`,
            )
          : now > meteringClosesAt(input.intervalStartMs) ||
              (watermarkMs !== null && input.intervalStartMs < watermarkMs)
            ? fail('METER_READING_LATE', 'The interval’s metering window has closed')
            : null;
      if (rejection) {
        await client.query('ROLLBACK');
        return rejection;
      }
      await client.query(
        `INSERT INTO meter_reading (meter_id, interval_start, injected_wh, withdrawn_wh, signature, received_at)
         VALUES ($1, $2, $3, $4, $5, $6)`,
        [
          input.meterId,
          new Date(input.intervalStartMs),
          String(input.injectedWh),
          String(input.withdrawnWh),
          Buffer.from(input.signatureHex, 'hex'),
          new Date(now),
        ],
      );
      await client.query(
        `INSERT INTO audit_log (actor_id, action, target, ip, request_id, details)
         VALUES (NULL, 'meter.reading', $1, $2, $3, $4)`,
        [
          input.meterId,
          from.ip,
          from.requestId,
          JSON.stringify({
            intervalStart: input.intervalStartMs,
            injectedWh: input.injectedWh,
            withdrawnWh: input.withdrawnWh,
          }),
        ],
      );
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
    this.deps.publish(userRoom(meter.ownerId), 'reading', {
      meterId: input.meterId,
      intervalStart: input.intervalStartMs,
      injectedWh: input.injectedWh,
      withdrawnWh: input.withdrawnWh,
    });
    return {
      ok: true,
      value: {
        meterId: input.meterId,
        intervalStartMs: input.intervalStartMs,
        attestsAtMs: meteringClosesAt(input.intervalStartMs),
      },
    };
  }
}
