// The market simulator: a few hundred participants (simulator/roster.ts) opened as real
// accounts, with meters registered by the registry and THB deposited through the wallet, who
// then act through the exchange's own procedures — signed meter readings every interval,
// real-time orders sized to their expected surplus or need around the time-of-use price level,
// day-ahead curves before gate closure, battery reserve offers each hour. It is rate-conscious:
// each step (one per second of real time by default) sends a bounded number of orders and
// readings, so the same machine keeps serving the web app. Works on any clock (CLOCK=sim too).
import { TRPCError } from '@trpc/server';
import { openAccount } from '../auth/accounts.ts';
import type { SessionUser } from '../auth/sessions.ts';
import type { EngineServices } from '../context.ts';
import { meteringClosesAt, METERING_WINDOW_MS } from '../delivery/window.ts';
import {
  continuousCloseMs,
  gateClosureMs,
  INTERVAL_MS,
  intervalStartOf,
  intervalsOfDay,
} from '../market/calendar.ts';
import { signReading } from '../metering/keys.ts';
import { createCallerFactory, domainCodeOf } from '../trpc/init.ts';
import { appRouter } from '../trpc/router.ts';
import {
  batteryW,
  businessW,
  householdW,
  intervalWh,
  plantW,
  referencePriceTicks,
  rng,
  seedOf,
  solarW,
} from './profiles.ts';
import { planRoster, type PlannedMeter, type PlannedParticipant } from './roster.ts';

const ROSTER_KEY = 'simulator.roster';
export const SIMULATOR_ADMIN_EMAIL = 'simulator@gridtokenx.local';
const HOUR_MS = 3600_000;
const TICK = 100;
const LOT = 100;

const callerFactory = createCallerFactory(appRouter);
type Caller = ReturnType<typeof callerFactory>;

interface StoredMeter {
  role: PlannedMeter['role'];
  meterId: string;
  /** The meter's private seed, sealed under the engine's key-encryption key. */
  sealed: string;
}

interface StoredParticipant {
  index: number;
  accountId: string;
  meters: StoredMeter[];
}

interface Roster {
  seed: number;
  participants: StoredParticipant[];
}

interface LiveMeter extends PlannedMeter {
  meterId: string;
  secretKeyHex: string;
}

interface Live {
  plan: PlannedParticipant;
  accountId: string;
  caller: Caller;
  meters: LiveMeter[];
}

export interface SimulatorOptions {
  /** How many participants (a few hundred for the demo). */
  participants: number;
  seed?: number;
  /** Real-time orders per step. */
  ordersPerStep?: number;
  /** Meter readings sent per step at most. */
  readingsPerStep?: number;
  /** Real milliseconds between steps (the loop of start()). */
  tickMs?: number;
}

export interface SimulatorStats {
  participants: number;
  orders: number;
  cancels: number;
  readings: number;
  dayAheadOrders: number;
  reserveOffers: number;
  deposits: number;
  refused: Record<string, number>;
}

const roundTo = (v: number, step: number) => Math.max(step, Math.round(v / step) * step);

export class Simulator {
  private readonly options: Required<SimulatorOptions>;
  private live: Live[] = [];
  private anon!: Caller;
  private admin!: Caller;
  private ready = false;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private opening: Promise<void> | null = null;
  private nextMaker = 0;
  private readonly random: () => number;
  private readonly lastReported = new Map<string, number>();
  private readonly daySubmitted = new Map<string, Set<number>>();
  private readonly reserveHours = new Set<string>();
  private awards: { intervalMs: number; byMeter: Map<string, number> } | null = null;
  private steps = 0;
  readonly stats: SimulatorStats = {
    participants: 0,
    orders: 0,
    cancels: 0,
    readings: 0,
    dayAheadOrders: 0,
    reserveOffers: 0,
    deposits: 0,
    refused: {},
  };

  constructor(
    private readonly services: EngineServices,
    options: SimulatorOptions,
  ) {
    this.options = {
      seed: 20_261_201,
      ordersPerStep: 3,
      readingsPerStep: 120,
      tickMs: 1_000,
      ...options,
    };
    this.random = rng(seedOf(this.options.seed, 'choices'));
  }

  /**
   * Opens (or reloads) the participants. Each goes live as soon as it is opened, so a loop
   * already running (start()) trades with the first ones while the rest are still being opened.
   */
  async setup(): Promise<void> {
    const { db, keyVault } = this.services;
    this.anon = this.callerFor(null);
    this.admin = this.callerFor(await this.systemAdmin());
    const plan = planRoster(this.options.participants, this.options.seed);
    const row = await db.prisma.engineState.findUnique({ where: { key: ROSTER_KEY } });
    const stored = (row?.value as Roster | undefined)?.participants ?? [];
    const byIndex = new Map(stored.map((p) => [p.index, p]));
    const latest = await db.pool.query<{ meter_id: string; t: Date }>(
      `SELECT meter_id, max(interval_start) AS t FROM meter_reading WHERE meter_id = ANY($1) GROUP BY meter_id`,
      [stored.flatMap((p) => p.meters.map((m) => m.meterId))],
    );
    for (const r of latest.rows) this.lastReported.set(r.meter_id, r.t.getTime());
    this.ready = true;
    let unsaved = 0;
    for (const p of plan) {
      if (!this.ready) return;
      let entry = byIndex.get(p.index);
      if (!entry) {
        entry = await this.open(p);
        byIndex.set(p.index, entry);
        if (++unsaved >= 20) {
          await this.saveRoster([...byIndex.values()]);
          unsaved = 0;
        }
      }
      const account = await db.prisma.account.findUnique({ where: { id: entry.accountId } });
      if (!account) continue;
      this.live.push({
        plan: p,
        accountId: account.id,
        caller: this.callerFor({
          accountId: account.id,
          email: account.email,
          name: account.name,
          role: account.role,
        }),
        meters: entry.meters.map((m) => ({
          ...p.meters.find((pm) => pm.role === m.role)!,
          meterId: m.meterId,
          secretKeyHex: Buffer.from(
            keyVault.open(`meter:${m.meterId}`, Buffer.from(m.sealed, 'base64')),
          ).toString('hex'),
        })),
      });
      this.stats.participants = this.live.length;
    }
    if (unsaved > 0 || stored.length !== byIndex.size) await this.saveRoster([...byIndex.values()]);
  }

  /** Steps every `tickMs` of real time while participants are opened in the background. */
  start(): void {
    const logger = this.services.logger;
    this.opening = this.setup()
      .then(() => logger.info({ participants: this.live.length }, 'simulator participants ready'))
      .catch((err: unknown) => logger.error({ err }, 'simulator setup failed'));
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.step()
        .catch((err: unknown) => logger.warn({ err }, 'simulator step failed'))
        .finally(() => {
          this.running = null;
        });
    }, this.options.tickMs);
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.ready = false;
    await this.opening;
    await this.running;
  }

  /** One round: readings due, a few orders, day-ahead curves and reserve offers when due. */
  async step(): Promise<void> {
    if (!this.ready) return;
    const now = this.services.clock.now();
    this.steps += 1;
    await this.report(now);
    await this.trade(now);
    await this.dayAhead(now);
    await this.offerReserve(now);
    if (this.steps % 20 === 0) await this.topUp(now);
    if (this.steps % 60 === 0) this.services.logger.info({ ...this.stats }, 'simulator');
  }

  // ───────────────────────────────────────────────────────────── participants

  private callerFor(
    user: Pick<SessionUser, 'accountId' | 'email' | 'name' | 'role'> | null,
  ): Caller {
    return callerFactory({
      services: this.services,
      requestId: 'simulator',
      ip: null,
      userAgent: 'gridtokenx-simulator',
      user: user
        ? { ...user, tokenHash: 'simulator', expiresAt: new Date(8_640_000_000_000_000) }
        : null,
      setCookie: () => undefined,
    });
  }

  /** The simulator's registry and treasury desk: an admin account that never signs in. */
  private async systemAdmin() {
    const { db } = this.services;
    const found = await db.prisma.account.findUnique({ where: { email: SIMULATOR_ADMIN_EMAIL } });
    const account =
      found ??
      (await openAccount(
        this.services,
        {
          email: SIMULATOR_ADMIN_EMAIL,
          name: 'Market simulator',
          passwordHash: '!',
          role: 'ADMIN',
        },
        { ip: null, requestId: 'simulator', action: 'simulator.admin' },
      ));
    return { accountId: account.id, email: account.email, name: account.name, role: account.role };
  }

  private async open(p: PlannedParticipant): Promise<StoredParticipant> {
    const { db, keyVault } = this.services;
    const existing = await db.prisma.account.findUnique({ where: { email: p.email } });
    const account =
      existing ??
      (await openAccount(
        this.services,
        { email: p.email, name: p.name, passwordHash: '!' },
        { ip: null, requestId: 'simulator', action: 'simulator.participant' },
      ));
    if (existing) {
      // Opened by a run that stopped before saving its meters' keys: replace those meters.
      const old = await db.prisma.meter.findMany({
        where: { ownerId: existing.id, retiredAt: null },
      });
      for (const m of old) await this.admin.meter.retire({ meterId: m.id });
    }
    const meters: StoredMeter[] = [];
    for (const m of p.meters) {
      const r = await this.admin.meter.register({
        ownerId: account.id,
        zone: p.zone,
        kind: m.kind,
        capacityW: m.capacityW,
        label: `${p.name} — ${m.role === 'battery' ? 'battery' : 'site meter'}`.slice(0, 100),
      });
      const seed = Buffer.from(r.secretKey!, 'hex');
      meters.push({
        role: m.role,
        meterId: r.meterId,
        sealed: Buffer.from(keyVault.seal(`meter:${r.meterId}`, seed)).toString('base64'),
      });
    }
    await this.admin.wallet.deposit({
      accountId: account.id,
      amountSatang: p.depositSatang,
      reference: `sim-${p.index}-opening`,
    });
    this.stats.deposits += 1;
    return { index: p.index, accountId: account.id, meters };
  }

  private async saveRoster(participants: StoredParticipant[]): Promise<void> {
    const value = { seed: this.options.seed, participants } satisfies Roster;
    await this.services.db.prisma.engineState.upsert({
      where: { key: ROSTER_KEY },
      create: { key: ROSTER_KEY, value: value as never },
      update: { value: value as never },
    });
  }

  // ───────────────────────────────────────────────────────────── energy

  /** A meter's energy in an interval (Wh in, Wh out); `expected` drops the noise (forecasts). */
  private energy(
    p: Live,
    m: LiveMeter,
    intervalStartMs: number,
    expected: boolean,
  ): [number, number] {
    const mid = intervalStartMs + INTERVAL_MS / 2;
    const random = expected
      ? () => 0.5
      : rng(seedOf(this.options.seed, p.plan.index, m.role, intervalStartMs));
    let netW: number;
    if (m.role === 'battery') {
      const award =
        !expected && this.awards?.intervalMs === intervalStartMs
          ? this.awards.byMeter.get(m.meterId)
          : undefined;
      netW = award ?? batteryW(mid, p.plan.batteryW);
    } else if (p.plan.plant) {
      netW = plantW(p.plan.plant.kind, mid, p.plan.plant.capacityW, random);
    } else {
      const business = p.plan.archetype === 'business' || p.plan.archetype === 'solarBusiness';
      const load = business
        ? businessW(mid, p.plan.loadPeakW, random)
        : householdW(mid, p.plan.loadPeakW, random);
      netW = solarW(mid, p.plan.solarKWp, random) - load;
    }
    return [intervalWh(netW, m.capacityW), intervalWh(-netW, m.capacityW)];
  }

  /** Expected net export of a participant's site and battery in an interval, Wh. */
  private forecastWh(p: Live, intervalStartMs: number): number {
    return p.meters.reduce((s, m) => {
      const [inj, wd] = this.energy(p, m, intervalStartMs, true);
      return s + inj - wd;
    }, 0);
  }

  // ───────────────────────────────────────────────────────────── readings

  private async report(now: number): Promise<void> {
    const t = intervalStartOf(now) - INTERVAL_MS;
    if (now >= meteringClosesAt(t)) return;
    if (this.awards?.intervalMs !== t) await this.loadAwards(t);
    // Spread the interval's readings over the first half of its metering window (real time),
    // so they never crowd out orders; a fast simulated clock gets a bigger share per step.
    const pending = this.live.reduce(
      (n, p) => n + p.meters.filter((m) => (this.lastReported.get(m.meterId) ?? 0) < t).length,
      0,
    );
    if (pending === 0) return;
    const realMsLeft = Math.max(
      this.options.tickMs,
      (meteringClosesAt(t) - now - METERING_WINDOW_MS / 2) / this.services.clock.speed,
    );
    let budget = Math.min(
      this.options.readingsPerStep,
      Math.max(5, Math.ceil((pending * this.options.tickMs) / realMsLeft)),
    );
    for (const p of this.live) {
      for (const m of p.meters) {
        if (budget <= 0) return;
        if ((this.lastReported.get(m.meterId) ?? 0) >= t) continue;
        budget -= 1;
        const [injectedWh, withdrawnWh] = this.energy(p, m, t, false);
        const chainId = this.services.chain?.chainId;
        if (!chainId) return;
        try {
          await this.anon.meter.submitReading({
            meterId: m.meterId,
            intervalStart: new Date(t),
            injectedWh,
            withdrawnWh,
            signature: signReading(m.secretKeyHex, {
              chainId,
              meterId: m.meterId,
              intervalStartMs: t,
              injectedWh,
              withdrawnWh,
            }),
          });
          this.stats.readings += 1;
          this.lastReported.set(m.meterId, t);
        } catch (error) {
          const code = this.refused(error);
          if (code.startsWith('METER_')) this.lastReported.set(m.meterId, t);
        }
      }
    }
  }

  /** Batteries follow an activated reserve award (up: discharge, down: charge) in its hour. */
  private async loadAwards(intervalStartMs: number): Promise<void> {
    const { rows } = await this.services.db.pool.query<{
      meter_id: string;
      power_w: string;
      direction: 'UP' | 'DOWN';
    }>(
      `SELECT o.meter_id, a.power_w, act.direction FROM reserve_award a
         JOIN reserve_offer o ON o.id = a.offer_id JOIN reserve_activation act ON act.id = a.activation_id
        WHERE act.hour_start = $1 AND act.created_at < $2`,
      [
        new Date(Math.floor(intervalStartMs / HOUR_MS) * HOUR_MS),
        new Date(intervalStartMs + INTERVAL_MS),
      ],
    );
    const byMeter = new Map<string, number>();
    for (const r of rows) {
      const w = Number(r.power_w) * (r.direction === 'UP' ? 1 : -1);
      byMeter.set(r.meter_id, (byMeter.get(r.meter_id) ?? 0) + w);
    }
    this.awards = { intervalMs: intervalStartMs, byMeter };
  }

  // ───────────────────────────────────────────────────────────── real-time orders

  private async trade(now: number): Promise<void> {
    const open = this.services.markets
      .openIntervals()
      .filter((t) => continuousCloseMs(t) - now > 60_000)
      .slice(0, 8);
    if (open.length === 0 || this.live.length === 0) return;
    // Nearer intervals are traded more, as the real intraday market is.
    const pickInterval = () =>
      open[Math.min(open.length - 1, Math.floor(Math.pow(this.random(), 1.6) * open.length))]!;
    // The plants make the market: one of them quotes every step, in turn.
    const plants = this.live.filter((l) => l.plan.archetype === 'plant');
    if (plants.length > 0) {
      await this.quote(plants[this.nextMaker++ % plants.length]!, pickInterval());
    }
    for (let k = 0; k < this.options.ordersPerStep; k++) {
      for (let attempt = 0; attempt < 4; attempt++) {
        const p = this.live[Math.floor(this.random() * this.live.length)]!;
        if (await this.quote(p, pickInterval())) break;
      }
    }
  }

  /**
   * One participant's quote for one interval: what it expects to export (or need) beyond what
   * its trades already schedule and its open orders offer, a share of that, priced around the
   * time-of-use level (the North and Northeast a little cheaper, Bangkok a little dearer).
   */
  private async quote(p: Live, t: number): Promise<boolean> {
    const { rows } = await this.services.db.pool.query<{ wh: string | null }>(
      `SELECT sum(CASE WHEN seller_id = $1 THEN quantity_wh ELSE -quantity_wh END)::text AS wh
         FROM trade WHERE interval_start = $2 AND (seller_id = $1 OR buyer_id = $1)
          AND settlement_status <> 'FAILED'`,
      [p.accountId, new Date(t)],
    );
    const mine = this.services.markets.openOrdersOf(p.accountId);
    const resting = mine
      .filter((o) => o.intervalStart === t)
      .reduce((s, o) => s + (o.side === 'sell' ? o.remainingWh : -o.remainingWh), 0);
    const residualWh = this.forecastWh(p, t) - Number(rows[0]?.wh ?? 0) - resting;
    if (Math.abs(residualWh) < 2 * LOT) return false;
    const side = residualWh > 0 ? 'sell' : 'buy';
    const share = side === 'sell' ? 0.45 + 0.4 * this.random() : 0.3 + 0.5 * this.random();
    const quantityWh = Math.floor(Math.min(Math.abs(residualWh) * share, 2_000_000) / LOT) * LOT;
    if (quantityWh < LOT * 2) return false;
    const zoneBias =
      p.plan.zone === 'MEA-BKK'
        ? 1.03
        : p.plan.zone === 'PEA-N' || p.plan.zone === 'PEA-NE'
          ? 0.96
          : 1;
    const spread = side === 'sell' ? 0.93 + 0.11 * this.random() : 0.97 + 0.11 * this.random();
    const priceTicks = roundTo(referencePriceTicks(t) * zoneBias * spread, TICK);
    if (side === 'buy') {
      const costSatang = BigInt(Math.ceil((quantityWh * priceTicks * 1.1) / 100_000));
      if (this.services.reservations.available(p.accountId) < costSatang) return false;
    }
    if (mine.length >= 3) {
      const oldest = [...mine].sort((a, b) => Number(a.seq - b.seq))[0]!;
      try {
        await p.caller.orders.cancel({ orderId: oldest.id });
        this.stats.cancels += 1;
      } catch (error) {
        this.refused(error);
      }
    }
    try {
      await p.caller.orders.place({
        zone: p.plan.zone,
        intervalStart: new Date(t),
        side,
        type: 'limit',
        priceTicks,
        quantityWh,
        tif: 'GTC',
      });
      this.stats.orders += 1;
      return true;
    } catch (error) {
      this.refused(error);
      return false;
    }
  }

  // ───────────────────────────────────────────────────────────── day-ahead

  /** Before gate closure, plants and businesses send tomorrow's curves (a few per step). */
  private async dayAhead(now: number): Promise<void> {
    const day = this.services.dayAhead.openDay();
    if (gateClosureMs(day) - now < 5 * 60_000) return;
    let done = this.daySubmitted.get(day);
    if (!done) {
      done = new Set<number>();
      this.daySubmitted.set(day, done);
      const intervals = intervalsOfDay(day);
      const { rows } = await this.services.db.pool.query<{ account_id: string }>(
        `SELECT DISTINCT account_id FROM "order" WHERE market = 'DAY_AHEAD' AND account_id = ANY($1)
            AND interval_start >= $2 AND interval_start < $3`,
        [
          this.live.map((l) => l.accountId),
          new Date(intervals[0]!),
          new Date(intervals[0]! + 96 * INTERVAL_MS),
        ],
      );
      const already = new Set(rows.map((r) => r.account_id));
      for (const l of this.live) if (already.has(l.accountId)) done.add(l.plan.index);
      for (const key of [...this.daySubmitted.keys()]) if (key < day) this.daySubmitted.delete(key);
    }
    const due = this.live.filter(
      (l) =>
        !done.has(l.plan.index) &&
        (l.plan.archetype === 'plant' ||
          l.plan.archetype === 'business' ||
          l.plan.archetype === 'solarBusiness'),
    );
    if (this.steps % 3 !== 0) return;
    for (const l of due.slice(0, 1)) {
      done.add(l.plan.index);
      const orders = intervalsOfDay(day).flatMap((t) => {
        const netWh = this.forecastWh(l, t);
        const side = netWh > 0 ? ('sell' as const) : ('buy' as const);
        const quantityWh =
          Math.floor((Math.abs(netWh) * (side === 'sell' ? 0.6 : 0.5)) / LOT) * LOT;
        if (quantityWh < LOT * 10) return [];
        const priceTicks = roundTo(referencePriceTicks(t) * (side === 'sell' ? 0.9 : 1.12), TICK);
        return [
          {
            kind: 'simple' as const,
            zone: l.plan.zone,
            side,
            intervalStart: new Date(t),
            priceTicks,
            quantityWh,
          },
        ];
      });
      if (orders.length === 0) continue;
      try {
        const r = await l.caller.dayAhead.submit({ orders });
        this.stats.dayAheadOrders += r.orderIds.length;
      } catch (error) {
        this.refused(error);
      }
    }
  }

  // ───────────────────────────────────────────────────────────── reserve and funds

  /** Battery owners offer the next hour's reserve: up at a premium, down at a discount. */
  private async offerReserve(now: number): Promise<void> {
    const hourStart = Math.floor(now / HOUR_MS) * HOUR_MS + HOUR_MS;
    for (const l of this.live) {
      const battery = l.meters.find((m) => m.role === 'battery');
      if (!battery) continue;
      const key = `${l.accountId}|${hourStart}`;
      if (this.reserveHours.has(key)) continue;
      this.reserveHours.add(key);
      for (const [direction, low, high] of [
        ['UP', 55_000, 75_000],
        ['DOWN', 5_000, 15_000],
      ] as const) {
        try {
          await l.caller.grid.offerReserve({
            meterId: battery.meterId,
            hourStart: new Date(hourStart),
            direction,
            powerW: Math.floor((battery.capacityW * 0.5) / 100) * 100,
            priceTicks: roundTo(low + (high - low) * this.random(), TICK),
          });
          this.stats.reserveOffers += 1;
        } catch (error) {
          this.refused(error);
        }
      }
      return;
    }
    if (this.reserveHours.size > 10_000) this.reserveHours.clear();
  }

  /** Participants whose buying power ran low get another deposit (a few at a time). */
  private async topUp(now: number): Promise<void> {
    const low = this.live.filter(
      (l) =>
        l.plan.archetype !== 'plant' &&
        this.services.reservations.available(l.accountId) < l.plan.depositSatang / 5n,
    );
    for (const l of low.slice(0, 3)) {
      try {
        await this.admin.wallet.deposit({
          accountId: l.accountId,
          amountSatang: l.plan.depositSatang,
          reference: `sim-${l.plan.index}-topup-${now}`,
        });
        this.stats.deposits += 1;
      } catch (error) {
        this.refused(error);
      }
    }
  }

  private refused(error: unknown): string {
    const code = error instanceof TRPCError ? (domainCodeOf(error) ?? error.code) : 'UNEXPECTED';
    this.stats.refused[code] = (this.stats.refused[code] ?? 0) + 1;
    if (code === 'UNEXPECTED') this.services.logger.warn({ err: error }, 'simulator action failed');
    return code;
  }
}
