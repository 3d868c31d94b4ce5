// Renewable energy certificates (I-REC style; EGAT issues): an owner requests whole MWh backed
// by its renewable meter's minted injection, the issuer approves (REC_ISSUE) or rejects with a
// reason, owners transfer and retire them for a named beneficiary and claim period. Each change
// reaches the chain through the settlement outbox; the certificate's status follows the chain
// (see outbox.ts), and the emissions its renewable energy avoided are reported per account.
import { randomBytes } from 'node:crypto';
import type { CommitEvent } from '@gridtokenx/chain';
import { audit } from '../audit.ts';
import type { ChainHost } from '../chain/host.ts';
import type { Clock } from '../clock.ts';
import type { Database } from '../db/index.ts';
import type { Logger } from '../log.ts';
import { INTERVAL_MS, isIntervalStart } from '../market/calendar.ts';
import { accepted, rejected, type Caller, type Result } from '../outcome.ts';
import { userRoom, type Publisher } from '../streams/hub.ts';
import {
  allocateBacking,
  WH_PER_REC,
  MAX_BACKING_INTERVALS,
  type FreeGeneration,
} from './backing.ts';
import { avoidedGrams, EMISSION_FACTOR_KEY, TGO_GRID_EMISSION_FACTOR } from './carbon.ts';

export const RENEWABLE_KINDS = ['SOLAR', 'WIND', 'HYDRO', 'BIOMASS'] as const;
export type RenewableKind = (typeof RENEWABLE_KINDS)[number];
const isRenewable = (kind: string): kind is RenewableKind =>
  (RENEWABLE_KINDS as readonly string[]).includes(kind);

/** The authority that issues RECs (holds REC_ISSUER on chain). */
export const REC_ISSUER_AUTHORITY = 'EGAT';
/** A request covers at most a year of generation and at most this many MWh. */
const MAX_PERIOD_MS = 366 * 24 * 3_600_000;
export const MAX_RECS_PER_REQUEST = 100;

export interface CertificateDeps {
  db: Database;
  chain: ChainHost | null;
  clock: Clock;
  logger: Logger;
  publish: Publisher;
  /** Runs the settlement worker now (new outbox rows). */
  kick: () => void;
}

/** Transactions that change a REC after issuance (by its owner, the issuer or the regulator). */
const REC_CHANGES: ReadonlySet<string> = new Set(['REC_TRANSFER', 'REC_RETIRE', 'REC_REVOKE']);

export interface RequestInput {
  meterId: string;
  periodStartMs: number;
  periodEndMs: number;
  /** Whole MWh: one certificate each. */
  mwh: number;
}

export interface RequestedCertificate {
  id: string;
  amountWh: bigint;
  periodStart: Date;
  periodEnd: Date;
  intervals: number;
}

export interface EmissionFactor {
  mgPerKwh: bigint;
  /** Where the value comes from: TGO's publication, or the governance proposal that set it. */
  source: string;
  publisher: string;
  year: number | null;
  proposalId: string | null;
}

export interface Carbon {
  factor: EmissionFactor;
  /** Delivered energy bought from renewable generation (attributed by the sellers' metering). */
  purchases: { renewableWh: bigint; avoidedGrams: bigint };
  /** RECs this account retired (claimed). */
  retired: { certificates: number; wh: bigint; avoidedGrams: bigint };
  totalAvoidedGrams: bigint;
}

function newId(prefix: string): string {
  return `${prefix}-${randomBytes(6).toString('hex').toUpperCase()}`;
}

export class CertificateService {
  private following: Promise<void> = Promise.resolve();
  private unsubscribe: (() => void) | null = null;

  constructor(private readonly deps: CertificateDeps) {}

  /**
   * Follows commits for REC changes the engine did not ask for (a revocation by the issuer or the
   * regulator, a transfer signed elsewhere): an idle certificate row takes the chain's owner and
   * status. Changes the engine submitted settle through their outbox rows instead.
   */
  start(): void {
    const chain = this.deps.chain;
    if (!chain) return;
    this.unsubscribe = chain.onCommit((event) => {
      if (!event.txs.some((t) => REC_CHANGES.has(t.kind))) return;
      this.following = this.following
        .then(() => this.follow(event))
        .catch((err: unknown) => this.deps.logger.error({ err }, 'following REC changes failed'));
    });
  }

  async stop(): Promise<void> {
    this.unsubscribe?.();
    this.unsubscribe = null;
    await this.following;
  }

  private async follow(event: CommitEvent): Promise<void> {
    const chain = this.deps.chain!;
    const { prisma } = this.deps.db;
    for (const t of event.txs) {
      if (!REC_CHANGES.has(t.kind)) continue;
      const found = await chain.query.tx(t.hash);
      const recId = (found?.tx.body as { recId?: string } | undefined)?.recId;
      const rec = recId ? chain.query.rec(recId) : null;
      if (!recId || !rec) continue;
      const row = await prisma.certificate.findUnique({ where: { id: recId } });
      if (!row || row.pendingAction !== null) continue;
      const ownerId = chain.accountOfAddress(rec.owner) ?? row.ownerId;
      const status =
        rec.status === 'REVOKED' ? 'REVOKED' : rec.status === 'RETIRED' ? 'RETIRED' : 'ISSUED';
      if (ownerId === row.ownerId && status === row.status) continue;
      await prisma.$transaction(async (tx) => {
        await tx.certificate.update({
          where: { id: recId },
          data: {
            ownerId,
            status,
            statusHeight: BigInt(event.height),
            chainTxHash: t.hash,
            ...(status === 'RETIRED' ? { beneficiary: rec.statusNote, retiredAt: new Date() } : {}),
            ...(status === 'REVOKED' ? { rejectionReason: rec.statusNote } : {}),
          },
        });
        await audit(tx, {
          actorId: null,
          action: 'rec.followChain',
          target: recId,
          details: { kind: t.kind, txHash: t.hash, height: event.height, status, ownerId },
        });
      });
      this.deps.publish(userRoom(row.ownerId), 'rec', { id: recId, status, height: event.height });
    }
  }

  /** Whether `caller` may issue and reject: an admin, or an authority account acting for EGAT. */
  async mayIssue(caller: Caller): Promise<boolean> {
    if (caller.role === 'ADMIN') return true;
    if (caller.role !== 'AUTHORITY') return false;
    const account = await this.deps.db.prisma.account.findUnique({
      where: { id: caller.accountId },
      select: { authority: true },
    });
    return account?.authority === REC_ISSUER_AUTHORITY;
  }

  /**
   * Free generation of a meter in a period: each minted interval's injection (as the chain
   * recorded it) less what certificates already claim — the database's requested, issuing and
   * issued certificates, and the chain's own count of certified Wh, whichever is larger.
   */
  private async freeGeneration(
    query: (sql: string, params: unknown[]) => Promise<{ rows: unknown[] }>,
    chain: ChainHost,
    meterId: string,
    fromMs: number,
    toMs: number,
  ): Promise<FreeGeneration[]> {
    const { rows } = (await query(
      `SELECT r.interval_start AS t, r.injected_wh::text AS injected,
              coalesce((SELECT sum(b.energy_wh) FROM certificate_backing b
                          JOIN certificate c ON c.id = b.certificate_id
                         WHERE b.meter_id = r.meter_id AND b.interval_start = r.interval_start
                           AND c.status NOT IN ('REJECTED', 'FAILED')), 0)::text AS claimed
         FROM meter_reading r
        WHERE r.meter_id = $1 AND r.interval_start >= $2 AND r.interval_start < $3
          AND r.injected_wh > 0
        ORDER BY r.interval_start`,
      [meterId, new Date(fromMs), new Date(toMs)],
    )) as { rows: { t: Date; injected: string; claimed: string }[] };
    const free: FreeGeneration[] = [];
    for (const r of rows) {
      const t = r.t.getTime();
      const minted = chain.query.meterReading(meterId, t);
      if (!minted) continue; // not attested on chain yet: it cannot back a REC
      const dbFree = BigInt(r.injected) - BigInt(r.claimed);
      const chainFree = minted.energyWh - minted.recBackedWh;
      const freeWh = dbFree < chainFree ? dbFree : chainFree;
      if (freeWh > 0n) free.push({ intervalStartMs: t, freeWh });
    }
    return free;
  }

  async request(
    caller: Caller,
    input: RequestInput,
  ): Promise<Result<{ requestId: string; certificates: RequestedCertificate[] }>> {
    const { db, chain, clock } = this.deps;
    if (!chain) return rejected('CHAIN_UNAVAILABLE', 'The chain is not running');
    const meter = await db.prisma.meter.findUnique({ where: { id: input.meterId } });
    if (!meter || meter.ownerId !== caller.accountId) {
      return rejected('METER_NOT_FOUND', `You have no meter ${input.meterId}`);
    }
    if (!isRenewable(meter.kind)) {
      return rejected(
        'REC_NOT_RENEWABLE',
        `A ${meter.kind.toLowerCase()} meter cannot back a renewable energy certificate`,
      );
    }
    const { periodStartMs: from, periodEndMs: to } = input;
    if (!isIntervalStart(from) || !isIntervalStart(to) || from >= to) {
      return rejected(
        'REC_PERIOD_INVALID',
        'The period must start and end on 15-minute boundaries, start before it ends',
      );
    }
    if (to > clock.now() || to - from > MAX_PERIOD_MS) {
      return rejected('REC_PERIOD_INVALID', 'The period must have ended and span at most a year');
    }
    const created = await db.prisma.$transaction(async (tx) => {
      // One request per meter at a time: the free generation read below stays free until commit.
      await tx.$queryRaw`SELECT 1 FROM meter WHERE id = ${meter.id} FOR UPDATE`;
      const free = await this.freeGeneration(
        async (sql, params) => ({ rows: await tx.$queryRawUnsafe(sql, ...params) }),
        chain,
        meter.id,
        from,
        to,
      );
      const allocation = allocateBacking(free, input.mwh);
      if (!allocation.ok) return allocation;
      const requestId = newId('RQ');
      const certificates: RequestedCertificate[] = [];
      for (const parts of allocation.recs) {
        const id = newId('REC');
        const first = parts[0]!.intervalStartMs;
        const last = parts[parts.length - 1]!.intervalStartMs;
        const cert = {
          id,
          amountWh: WH_PER_REC,
          periodStart: new Date(first),
          periodEnd: new Date(last + INTERVAL_MS),
          intervals: parts.length,
        };
        await tx.certificate.create({
          data: {
            id,
            requestId,
            ownerId: caller.accountId,
            meterId: meter.id,
            zone: meter.zone,
            technology: meter.kind,
            amountWh: WH_PER_REC,
            periodStart: cert.periodStart,
            periodEnd: cert.periodEnd,
          },
        });
        await tx.certificateBacking.createMany({
          data: parts.map((p) => ({
            certificateId: id,
            meterId: meter.id,
            intervalStart: new Date(p.intervalStartMs),
            energyWh: p.energyWh,
          })),
        });
        certificates.push(cert);
      }
      await audit(tx, {
        actorId: caller.accountId,
        action: 'rec.request',
        target: requestId,
        ip: caller.ip,
        requestId: caller.requestId,
        details: {
          meterId: meter.id,
          periodStart: new Date(from).toISOString(),
          periodEnd: new Date(to).toISOString(),
          mwh: input.mwh,
          certificates: certificates.map((c) => c.id),
        },
      });
      return { ok: true as const, requestId, certificates };
    });
    if (!created.ok) {
      return created.reason === 'insufficient'
        ? rejected(
            'REC_INSUFFICIENT_GENERATION',
            `The meter has ${created.availableWh} Wh of minted generation in the period not yet backing a REC; ${input.mwh} MWh needs ${WH_PER_REC * BigInt(input.mwh)} Wh`,
            { availableWh: created.availableWh.toString() },
          )
        : rejected(
            'REC_BACKING_TOO_SPREAD',
            `Certificate ${created.recIndex + 1} would need more than ${MAX_BACKING_INTERVALS} metered intervals for its MWh; request fewer MWh or a period with more generation per interval`,
          );
    }
    this.deps.publish(userRoom(caller.accountId), 'rec', {
      status: 'REQUESTED',
      ids: created.certificates.map((c) => c.id),
    });
    return accepted({ requestId: created.requestId, certificates: created.certificates });
  }

  /** The issuer approves requested certificates: each becomes a REC_ISSUE in the outbox. */
  async issue(caller: Caller, ids: readonly string[]): Promise<Result<{ issuing: string[] }>> {
    if (!(await this.mayIssue(caller))) {
      return rejected('REC_NOT_ISSUER', 'Only EGAT (the REC issuer) or an admin issues RECs');
    }
    if (!this.deps.chain) return rejected('CHAIN_UNAVAILABLE', 'The chain is not running');
    const now = new Date(this.deps.clock.now());
    const outcome = await this.deps.db.prisma.$transaction(async (tx) => {
      const certs = await tx.certificate.findMany({
        where: { id: { in: [...ids] } },
        include: { backing: { orderBy: { intervalStart: 'asc' } } },
      });
      const open = certs.filter((c) => c.status === 'REQUESTED' && c.pendingAction === null);
      if (open.length !== new Set(ids).size) {
        const bad = ids.filter((id) => !open.some((c) => c.id === id));
        return { ok: false as const, bad };
      }
      for (const c of open) {
        await tx.certificate.update({
          where: { id: c.id },
          data: {
            pendingAction: 'ISSUE',
            issuer: REC_ISSUER_AUTHORITY,
            decidedById: caller.accountId,
            decidedAt: now,
            chainError: null,
          },
        });
        await tx.settlementOutbox.create({
          data: {
            key: `rec.issue:${c.id}`,
            kind: 'rec.issue',
            payload: {
              recId: c.id,
              ownerId: c.ownerId,
              meterId: c.meterId,
              zone: c.zone,
              technology: c.technology,
              periodStartMs: c.periodStart.getTime(),
              periodEndMs: c.periodEnd.getTime(),
              backing: c.backing.map((b) => ({
                intervalStartMs: b.intervalStart.getTime(),
                energyWh: b.energyWh.toString(),
              })),
            },
          },
        });
        await audit(tx, {
          actorId: caller.accountId,
          action: 'rec.issue',
          target: c.id,
          ip: caller.ip,
          requestId: caller.requestId,
          details: { ownerId: c.ownerId, meterId: c.meterId, amountWh: c.amountWh.toString() },
        });
      }
      return { ok: true as const, ids: open.map((c) => c.id) };
    });
    if (!outcome.ok) {
      return rejected('REC_NOT_REQUESTED', `Not awaiting a decision: ${outcome.bad.join(', ')}`, {
        ids: outcome.bad,
      });
    }
    this.deps.kick();
    return accepted({ issuing: outcome.ids });
  }

  /** The issuer refuses requested certificates with a reason; their generation is free again. */
  async reject(
    caller: Caller,
    ids: readonly string[],
    reason: string,
  ): Promise<Result<{ rejected: string[] }>> {
    if (!(await this.mayIssue(caller))) {
      return rejected('REC_NOT_ISSUER', 'Only EGAT (the REC issuer) or an admin rejects requests');
    }
    const now = new Date(this.deps.clock.now());
    const outcome = await this.deps.db.prisma.$transaction(async (tx) => {
      const certs = await tx.certificate.findMany({ where: { id: { in: [...ids] } } });
      const open = certs.filter((c) => c.status === 'REQUESTED' && c.pendingAction === null);
      if (open.length !== new Set(ids).size) {
        return { ok: false as const, bad: ids.filter((id) => !open.some((c) => c.id === id)) };
      }
      for (const c of open) {
        await tx.certificate.update({
          where: { id: c.id },
          data: {
            status: 'REJECTED',
            rejectionReason: reason,
            issuer: REC_ISSUER_AUTHORITY,
            decidedById: caller.accountId,
            decidedAt: now,
          },
        });
        await audit(tx, {
          actorId: caller.accountId,
          action: 'rec.reject',
          target: c.id,
          ip: caller.ip,
          requestId: caller.requestId,
          details: { ownerId: c.ownerId, reason },
        });
      }
      return { ok: true as const, certs: open };
    });
    if (!outcome.ok) {
      return rejected('REC_NOT_REQUESTED', `Not awaiting a decision: ${outcome.bad.join(', ')}`, {
        ids: outcome.bad,
      });
    }
    for (const c of outcome.certs) {
      this.deps.publish(userRoom(c.ownerId), 'rec', { id: c.id, status: 'REJECTED', reason });
    }
    return accepted({ rejected: outcome.certs.map((c) => c.id) });
  }

  /** Checks that `id` is the caller's issued REC with nothing pending on chain. */
  private async ownActive(caller: Caller, id: string): Promise<Result<{ ownerId: string }>> {
    const cert = await this.deps.db.prisma.certificate.findUnique({ where: { id } });
    if (!cert || cert.ownerId !== caller.accountId) {
      return rejected('REC_NOT_FOUND', `You hold no certificate ${id}`);
    }
    if (cert.status === 'RETIRED') {
      return rejected('REC_RETIRED', `REC ${id} is retired: a retired certificate never moves`);
    }
    if (cert.status !== 'ISSUED') {
      return rejected('REC_NOT_ACTIVE', `REC ${id} is ${cert.status.toLowerCase()}, not issued`);
    }
    if (cert.pendingAction !== null) {
      return rejected(
        'REC_PENDING',
        `REC ${id} has a ${cert.pendingAction.toLowerCase()} settling on chain`,
      );
    }
    return accepted({ ownerId: cert.ownerId });
  }

  async transfer(caller: Caller, id: string, toEmail: string): Promise<Result<{ toId: string }>> {
    if (!this.deps.chain) return rejected('CHAIN_UNAVAILABLE', 'The chain is not running');
    const own = await this.ownActive(caller, id);
    if (!own.ok) return own;
    const to = await this.deps.db.prisma.account.findUnique({
      where: { email: toEmail.toLowerCase() },
    });
    if (
      !to ||
      to.disabledAt ||
      to.role !== 'TRADER' ||
      !to.chainPublicKey ||
      to.id === caller.accountId
    ) {
      return rejected('REC_RECIPIENT_INVALID', 'The recipient must be another active participant');
    }
    const moved = await this.deps.db.prisma.$transaction(async (tx) => {
      const claimed = await tx.certificate.updateMany({
        where: { id, ownerId: caller.accountId, status: 'ISSUED', pendingAction: null },
        data: { pendingAction: 'TRANSFER', chainError: null },
      });
      if (claimed.count !== 1) return false;
      await tx.settlementOutbox.create({
        data: {
          key: `rec.transfer:${id}:${randomBytes(6).toString('hex')}`,
          kind: 'rec.transfer',
          payload: { recId: id, ownerId: caller.accountId, toId: to.id },
        },
      });
      await audit(tx, {
        actorId: caller.accountId,
        action: 'rec.transfer',
        target: id,
        ip: caller.ip,
        requestId: caller.requestId,
        details: { toId: to.id },
      });
      return true;
    });
    if (!moved) return rejected('REC_PENDING', `REC ${id} changed meanwhile; try again`);
    this.deps.kick();
    return accepted({ toId: to.id });
  }

  async retire(
    caller: Caller,
    id: string,
    beneficiary: string,
    claimPeriod: string,
  ): Promise<Result<true>> {
    if (!this.deps.chain) return rejected('CHAIN_UNAVAILABLE', 'The chain is not running');
    const own = await this.ownActive(caller, id);
    if (!own.ok) return own;
    const done = await this.deps.db.prisma.$transaction(async (tx) => {
      const claimed = await tx.certificate.updateMany({
        where: { id, ownerId: caller.accountId, status: 'ISSUED', pendingAction: null },
        data: { pendingAction: 'RETIRE', chainError: null },
      });
      if (claimed.count !== 1) return false;
      await tx.settlementOutbox.create({
        data: {
          key: `rec.retire:${id}`,
          kind: 'rec.retire',
          payload: { recId: id, ownerId: caller.accountId, beneficiary, claimPeriod },
        },
      });
      await audit(tx, {
        actorId: caller.accountId,
        action: 'rec.retire',
        target: id,
        ip: caller.ip,
        requestId: caller.requestId,
        details: { beneficiary, claimPeriod },
      });
      return true;
    });
    if (!done) return rejected('REC_PENDING', `REC ${id} changed meanwhile; try again`);
    this.deps.kick();
    return accepted(true);
  }

  // ───────────────────────────────────────────────────────────── carbon

  /** Inserts TGO's published factor when the parameter is missing (databases seeded earlier). */
  async ensureEmissionFactor(): Promise<void> {
    const { prisma } = this.deps.db;
    const inserted = await prisma.marketParameter.createMany({
      data: [{ key: EMISSION_FACTOR_KEY, value: TGO_GRID_EMISSION_FACTOR.mgPerKwh }],
      skipDuplicates: true,
    });
    if (inserted.count > 0) {
      await audit(prisma, {
        actorId: null,
        action: 'carbon.emissionFactor',
        target: EMISSION_FACTOR_KEY,
        details: {
          mgPerKwh: TGO_GRID_EMISSION_FACTOR.mgPerKwh.toString(),
          source: TGO_GRID_EMISSION_FACTOR.source,
        },
      });
    }
  }

  async emissionFactor(): Promise<EmissionFactor> {
    const { prisma } = this.deps.db;
    const row = await prisma.marketParameter.findUnique({ where: { key: EMISSION_FACTOR_KEY } });
    const governed = await prisma.proposal.findFirst({
      where: {
        status: 'EXECUTED',
        appliedAt: { not: null },
        action: { path: ['name'], equals: EMISSION_FACTOR_KEY },
      },
      orderBy: { appliedAt: 'desc' },
    });
    const mgPerKwh = row?.value ?? TGO_GRID_EMISSION_FACTOR.mgPerKwh;
    if (governed) {
      return {
        mgPerKwh,
        source: `Governance proposal ${governed.id} (${governed.title}), effective at height ${governed.effectiveHeight}`,
        publisher: 'GridTokenX authorities (EGAT, MEA, PEA, ERC) by on-chain vote',
        year: null,
        proposalId: governed.id,
      };
    }
    return {
      mgPerKwh,
      source: TGO_GRID_EMISSION_FACTOR.source,
      publisher: TGO_GRID_EMISSION_FACTOR.publisher,
      year: TGO_GRID_EMISSION_FACTOR.year,
      proposalId: null,
    };
  }

  /**
   * Emissions an account's renewable energy avoided. Purchases: each delivered trade counts at
   * its seller's renewable share of metered injection in that interval (an auction purchase from
   * the clearing house at the renewable share of what the auction's sellers delivered); numeric,
   * floored per trade. Retirements: the MWh of the RECs the account retired.
   */
  async carbon(accountId: string, clearingAccountId: string | null): Promise<Carbon> {
    const { pool, prisma } = this.deps.db;
    const factor = await this.emissionFactor();
    const { rows } = await pool.query<{ wh: string }>(
      `WITH delivered AS (
         SELECT t.buyer_id, t.seller_id, t.interval_start, d.delivered_wh
           FROM delivery_settlement d JOIN trade t ON t.id = d.trade_id
          WHERE d.delivered_wh > 0
            AND (t.buyer_id = $1 OR (t.buyer_id = $2 AND t.interval_start IN (
                   SELECT t2.interval_start FROM trade t2 WHERE t2.buyer_id = $1 AND t2.seller_id = $2)))
       ), share AS (
         SELECT m.owner_id AS account_id, r.interval_start,
                (sum(r.injected_wh) FILTER (WHERE m.kind IN ('SOLAR', 'WIND', 'HYDRO', 'BIOMASS')))::numeric
                  / nullif(sum(r.injected_wh), 0) AS s
           FROM meter_reading r JOIN meter m ON m.id = r.meter_id
          WHERE (m.owner_id, r.interval_start) IN (SELECT seller_id, interval_start FROM delivered)
          GROUP BY 1, 2
       ), pool AS (
         SELECT dl.interval_start,
                sum(dl.delivered_wh * coalesce(sh.s, 0)) / nullif(sum(dl.delivered_wh), 0) AS s
           FROM delivered dl LEFT JOIN share sh
             ON sh.account_id = dl.seller_id AND sh.interval_start = dl.interval_start
          WHERE dl.buyer_id = $2
          GROUP BY 1
       )
       SELECT coalesce(sum(floor(dl.delivered_wh * coalesce(
                CASE WHEN dl.seller_id = $2 THEN p.s ELSE sh.s END, 0))), 0)::text AS wh
         FROM delivered dl
         LEFT JOIN share sh ON sh.account_id = dl.seller_id AND sh.interval_start = dl.interval_start
         LEFT JOIN pool p ON p.interval_start = dl.interval_start
        WHERE dl.buyer_id = $1`,
      [accountId, clearingAccountId],
    );
    const renewableWh = BigInt(rows[0]?.wh ?? '0');
    const retired = await prisma.certificate.aggregate({
      where: { ownerId: accountId, status: 'RETIRED' },
      _sum: { amountWh: true },
      _count: true,
    });
    const retiredWh = retired._sum.amountWh ?? 0n;
    const purchases = { renewableWh, avoidedGrams: avoidedGrams(renewableWh, factor.mgPerKwh) };
    const retiredPart = {
      certificates: retired._count,
      wh: retiredWh,
      avoidedGrams: avoidedGrams(retiredWh, factor.mgPerKwh),
    };
    return {
      factor,
      purchases,
      retired: retiredPart,
      totalAvoidedGrams: purchases.avoidedGrams + retiredPart.avoidedGrams,
    };
  }
}
