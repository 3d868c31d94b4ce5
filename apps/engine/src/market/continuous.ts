// The real-time continuous markets: one matching book set per delivery interval (all zones and
// links), fed commands in one sequence. Each command is applied in memory, journaled with the
// order, trade, settlement and audit rows it causes (group commit), and acknowledged only once
// durable; after a crash the books are rebuilt by replaying the command log.
import {
  createMarket,
  type ContinuousMarket,
  type DepthLevel,
  type FillEvent,
  type MarketCommand,
  type MarketConfig,
  type MarketEvent,
  type RejectCode,
} from '@gridtokenx/matching';
import type { Clock } from '../clock.ts';
import type { Database } from '../db/index.ts';
import type { DomainCode } from '../errors.ts';
import type { Logger } from '../log.ts';
import { tradeAmounts } from '../settlement/amounts.ts';
import { bookRoom, tradesRoom, userRoom, type Publisher } from '../streams/hub.ts';
import {
  continuousCloseMs,
  deliveryDayOf,
  isContinuousOpen,
  isIntervalStart,
  openContinuousIntervals,
} from './calendar.ts';
import type { Reservations } from './funds.ts';
import { ensureDay } from './intervals.ts';
import { maxBuyCostSatang } from '../settlement/amounts.ts';
import {
  Journal,
  type AuditRow,
  type CommittedOutboxRow,
  type JournalEntry,
  type OrderRow,
  type OutboxRow,
  type TradeRow,
} from './journal.ts';
import {
  linkKey,
  loadReferenceData,
  maxWheelingInto,
  specOf,
  type ReferenceData,
} from './reference.ts';
import { orderRuleRejection } from '../governance/market-params.ts';

export type Side = 'buy' | 'sell';

export interface Actor {
  accountId: string;
  ip: string | null;
  requestId: string | null;
}

export interface PlaceInput {
  zone: string;
  intervalStart: number;
  side: Side;
  type: 'limit' | 'market';
  priceTicks: number;
  quantityWh: number;
  tif: 'GTC' | 'IOC' | 'FOK';
  postOnly?: boolean | undefined;
  clientOrderId?: string | undefined;
}

export interface OrderState {
  id: string;
  accountId: string;
  intervalStart: number;
  zone: string;
  side: Side;
  type: 'limit' | 'market';
  tif: 'GTC' | 'IOC' | 'FOK';
  postOnly: boolean;
  priceTicks: number;
  quantityWh: number;
  remainingWh: number;
  filledWh: number;
  status: OrderRow['status'];
  clientOrderId: string | null;
  seq: bigint;
  reason: string | null;
}

export interface TradeSummary {
  id: string;
  intervalStart: number;
  buyZone: string;
  sellZone: string;
  priceTicks: number;
  quantityWh: number;
  wheelingTicks: number;
  takerSide: Side;
  buyOrderId: string;
  sellOrderId: string;
  buyerId: string;
  sellerId: string;
  time: number;
}

export type CommandResult =
  | { ok: true; order: OrderState; trades: TradeSummary[] }
  | { ok: false; code: DomainCode; message: string };

export interface BookView {
  intervalStart: number;
  zone: string;
  bids: readonly DepthLevel[];
  asks: readonly DepthLevel[];
  /** Stream sequence of the book room this view is consistent with. */
  seq: number;
  epoch: string;
  halted: boolean;
  open: boolean;
  stateHash: string;
}

export interface ContinuousMarketsDeps {
  db: Database;
  clock: Clock;
  logger: Logger;
  publish: Publisher;
  epoch: string;
  roomSeq: (room: string) => number;
  reservations: Reservations;
  /** Called after trades are durable (candles, balances, metrics). */
  onTrades?: (trades: TradeRow[]) => void;
  /** Called after a command is durable, with its latency from arrival (metrics). */
  onCommand?: (kind: string, latencyMs: number) => void;
  /** Called with each group commit's outbox rows and their ids (the settlement worker). */
  onOutbox?: (rows: CommittedOutboxRow[]) => void;
}

interface Runtime {
  intervalStart: number;
  market: ContinuousMarket;
  /** The book's lot: every fill in it is a whole number of lots (its spec predates governance). */
  lotSizeWh: number;
  /** Wh matched across each link direction (from>to), for capacity changes. */
  consumedWh: Map<string, number>;
  /** Link capacity each direction started with (after day-ahead flows). */
  baseCapacityWh: Map<string, number>;
  /** Last depth published per zone, to compute deltas. */
  lastDepth: Map<
    string,
    { bids: readonly DepthLevel[]; asks: readonly DepthLevel[]; halted: boolean }
  >;
}

interface Effects {
  orders: Map<string, OrderRow>;
  trades: TradeRow[];
  outbox: OutboxRow[];
  audits: AuditRow[];
  messages: [room: string, type: string, data: unknown][];
  affectedZones: Set<string>;
}

const DEPTH_LEVELS = 20;

const REJECT_MESSAGES: Partial<Record<RejectCode, string>> = {
  MATCH_ZONE_HALTED: 'Trading in this zone is halted by the grid operator',
  MATCH_MARKET_CLOSED: 'This interval has closed for trading',
  MATCH_POST_ONLY_WOULD_CROSS: 'A post-only order would have traded immediately',
  MATCH_FOK_UNFILLABLE: 'The fill-or-kill order could not be filled in full',
  MATCH_PRICE_OUT_OF_BAND: 'The price is outside the market’s price band',
  MATCH_PRICE_NOT_ON_TICK: 'The price is not a multiple of the tick size',
  MATCH_QUANTITY_NOT_ON_LOT: 'The quantity is not a multiple of the lot size',
  MATCH_QUANTITY_TOO_SMALL: 'The quantity is below the minimum',
  MATCH_QUANTITY_TOO_LARGE: 'The quantity is above the maximum',
  MATCH_ORDER_NOT_OPEN: 'The order is no longer open',
  MATCH_UNKNOWN_ORDER: 'No such order',
  MATCH_NOT_OWNER: 'The order belongs to another account',
  MATCH_AMEND_NO_CHANGE: 'The amendment changes nothing',
};

function rejectMessage(code: RejectCode): string {
  return REJECT_MESSAGES[code] ?? `Order rejected (${code})`;
}

const toDbSide = (s: Side): 'BUY' | 'SELL' => (s === 'buy' ? 'BUY' : 'SELL');

export class ContinuousMarkets {
  private readonly runtimes = new Map<number, Runtime>();
  private readonly orders = new Map<string, OrderState>();
  private readonly clientIds = new Map<string, string>();
  private readonly closedIntervals = new Set<number>();
  private reference!: ReferenceData;
  private nextSeq = 1n;
  private state: 'stopped' | 'ready' | 'recovering' = 'stopped';
  private recovering: Promise<void> | null = null;
  readonly journal: Journal;

  constructor(private readonly deps: ContinuousMarketsDeps) {
    this.journal = new Journal(
      deps.db.pool,
      (err) => this.onJournalFailure(err),
      (rows) => deps.onOutbox?.(rows),
    );
  }

  get ready(): boolean {
    return this.state === 'ready';
  }

  get referenceData(): ReferenceData {
    return this.reference;
  }

  /** Loads reference data, rebuilds open books from the command log, opens due markets. */
  async start(): Promise<void> {
    await this.rebuild();
    this.state = 'ready';
    await this.tick();
  }

  /** Reloads zones, links and parameters (after an operator or governance change). */
  async reloadReference(): Promise<void> {
    this.reference = await loadReferenceData(this.deps.db.prisma);
  }

  // ───────────────────────────────────────────────────────────── recovery

  private async rebuild(): Promise<void> {
    this.runtimes.clear();
    this.orders.clear();
    this.clientIds.clear();
    this.closedIntervals.clear();
    this.deps.reservations.clear();
    await this.reloadReference();
    const pool = this.deps.db.pool;
    const max = await pool.query<{ max: string | null }>(
      'SELECT max(seq)::text AS max FROM market_command',
    );
    this.nextSeq = BigInt(max.rows[0]?.max ?? '0') + 1n;
    const closed = await pool.query<{ t: Date }>(
      `SELECT DISTINCT interval_start AS t FROM market_command WHERE kind = 'close'`,
    );
    for (const r of closed.rows) this.closedIntervals.add(r.t.getTime());
    const open = await pool.query<{ t: Date }>(
      `SELECT interval_start AS t FROM market_command WHERE kind = 'open'
        EXCEPT SELECT interval_start FROM market_command WHERE kind = 'close'`,
    );
    const intervals = open.rows.map((r) => r.t);
    if (intervals.length === 0) return;
    // Replay in sequence order, in pages, so a long day's log never sits in memory at once.
    let after = 0n;
    let replayed = 0;
    for (;;) {
      const page = await pool.query<{ seq_text: string; t: Date; kind: string; payload: unknown }>(
        // (ORDER BY the bigint column, not the text alias: '100' sorts before '11'.)
        `SELECT seq::text AS seq_text, interval_start AS t, kind, payload FROM market_command
          WHERE interval_start = ANY($1::timestamptz[]) AND seq > $2
          ORDER BY market_command.seq LIMIT 20000`,
        [intervals, after.toString()],
      );
      for (const row of page.rows) {
        this.replay(BigInt(row.seq_text), row.t.getTime(), row.kind, row.payload);
        after = BigInt(row.seq_text);
      }
      replayed += page.rows.length;
      if (page.rows.length < 20000) break;
    }
    for (const rt of this.runtimes.values()) rt.market.checkInvariants();
    this.deps.logger.info(
      { markets: this.runtimes.size, commands: replayed, openOrders: this.orders.size },
      'continuous markets rebuilt from the command log',
    );
  }

  private replay(seq: bigint, intervalStart: number, kind: string, payload: unknown): void {
    if (kind === 'open') {
      const p = payload as { config: MarketConfig; baseCapacity: [string, number][] };
      this.runtimes.set(intervalStart, this.newRuntime(intervalStart, p.config, p.baseCapacity));
      return;
    }
    const rt = this.runtimes.get(intervalStart);
    if (!rt) {
      throw new Error(
        `command log: ${kind} #${seq} for the ${new Date(intervalStart).toISOString()} market, which was never opened`,
      );
    }
    const cmd = payload as MarketCommand & { clientOrderId?: string | null };
    const events = rt.market.apply(stripExtras(cmd));
    const effects = newEffects();
    this.absorb(rt, seq, cmd, events, effects, null, 0);
    if (kind === 'close') this.runtimes.delete(intervalStart);
  }

  private onJournalFailure(err: unknown): void {
    // The books are ahead of the database: rebuild them from what is durable before going on.
    this.deps.logger.error({ err }, 'journal write failed; rebuilding markets from the database');
    this.state = 'recovering';
    this.recovering ??= (async () => {
      for (let attempt = 1; ; attempt++) {
        try {
          await this.journal.drain();
          this.journal.reset();
          await this.rebuild();
          this.state = 'ready';
          this.deps.logger.warn('continuous markets recovered');
          return;
        } catch (e) {
          this.deps.logger.error({ err: e, attempt }, 'market recovery failed; retrying');
          await new Promise((r) => setTimeout(r, Math.min(5_000, 200 * attempt)));
        }
      }
    })().finally(() => {
      this.recovering = null;
    });
  }

  // ───────────────────────────────────────────────────────────── calendar

  /** Opens markets whose trading window has started and closes those whose window ended. */
  async tick(): Promise<void> {
    if (this.state !== 'ready') return;
    const now = this.deps.clock.now();
    for (const [t, rt] of this.runtimes) {
      if (now >= continuousCloseMs(t)) this.close(rt);
    }
    const due = openContinuousIntervals(now).filter(
      (t) => !this.runtimes.has(t) && !this.closedIntervals.has(t),
    );
    if (due.length === 0) return;
    const days = [...new Set(due.map((t) => deliveryDayOf(t)))];
    for (const day of days) await ensureDay(this.deps.db.prisma, day);
    const flows = await this.dayAheadFlows(due);
    for (const t of due) {
      if (this.runtimes.has(t) || this.state !== 'ready') continue;
      this.open(t, flows.get(t) ?? new Map<string, number>());
    }
  }

  private async dayAheadFlows(intervals: number[]): Promise<Map<number, Map<string, number>>> {
    const rows = await this.deps.db.prisma.auctionFlow.findMany({
      where: { intervalStart: { in: intervals.map((t) => new Date(t)) } },
    });
    const out = new Map<number, Map<string, number>>();
    for (const r of rows) {
      const t = r.intervalStart.getTime();
      const m = out.get(t) ?? new Map<string, number>();
      m.set(linkKey(r.fromZone, r.toZone), Number(r.quantityWh));
      out.set(t, m);
    }
    return out;
  }

  private newRuntime(
    intervalStart: number,
    config: MarketConfig,
    baseCapacity: [string, number][],
  ): Runtime {
    return {
      intervalStart,
      market: createMarket(config),
      lotSizeWh: config.spec.lotSizeWh,
      consumedWh: new Map(),
      baseCapacityWh: new Map(baseCapacity),
      lastDepth: new Map(),
    };
  }

  private open(intervalStart: number, dayAheadFlows: Map<string, number>): void {
    const ref = this.reference;
    const links = ref.links.map((l) => ({
      ...l,
      capacityWh: Math.max(0, l.capacityWh - (dayAheadFlows.get(linkKey(l.from, l.to)) ?? 0)),
    }));
    const config: MarketConfig = {
      zones: ref.zones.map((z) => z.code),
      links,
      spec: specOf(ref.params),
    };
    const baseCapacity = links.map(
      (l) => [linkKey(l.from, l.to), l.capacityWh] as [string, number],
    );
    const rt = this.newRuntime(intervalStart, config, baseCapacity);
    this.runtimes.set(intervalStart, rt);
    const seq = this.nextSeq++;
    void this.journal
      .append({
        command: {
          seq,
          intervalStart: new Date(intervalStart),
          kind: 'open',
          accountId: null,
          payload: { config, baseCapacity },
        },
      })
      .catch(() => undefined);
    for (const zone of ref.zones.filter((z) => z.halted)) {
      void this.system(rt, { kind: 'haltZone', zone: zone.code }, null);
    }
  }

  private close(rt: Runtime): void {
    this.runtimes.delete(rt.intervalStart);
    this.closedIntervals.add(rt.intervalStart);
    void this.system(rt, { kind: 'close' }, null).catch(() => undefined);
  }

  // ───────────────────────────────────────────────────────────── commands

  private guard(intervalStart: number): Runtime | { code: DomainCode; message: string } {
    if (this.state !== 'ready') {
      return { code: 'ENGINE_UNAVAILABLE', message: 'The market is recovering; try again shortly' };
    }
    if (!isIntervalStart(intervalStart)) {
      return { code: 'MARKET_UNKNOWN_INTERVAL', message: 'Not the start of a 15-minute interval' };
    }
    const now = this.deps.clock.now();
    if (!isContinuousOpen(intervalStart, now)) {
      return now >= continuousCloseMs(intervalStart)
        ? { code: 'MARKET_CLOSED', message: 'This interval has closed for trading' }
        : { code: 'MARKET_NOT_OPEN', message: 'Trading for this interval has not opened yet' };
    }
    const rt = this.runtimes.get(intervalStart);
    if (!rt)
      return { code: 'MARKET_NOT_OPEN', message: 'Trading for this interval has not opened yet' };
    return rt;
  }

  async place(input: PlaceInput, actor: Actor): Promise<CommandResult> {
    const arrived = performance.now();
    const rt = this.guard(input.intervalStart);
    if (!('market' in rt)) return { ok: false, ...rt };
    if (!this.reference.zones.some((z) => z.code === input.zone)) {
      return { ok: false, code: 'MARKET_UNKNOWN_ZONE', message: `Unknown zone ${input.zone}` };
    }
    if (input.clientOrderId) {
      const existing = await this.findByClientId(actor.accountId, input.clientOrderId);
      if (existing) return { ok: true, order: existing, trades: [] };
    }
    const seq = this.nextSeq;
    const orderId = `O${seq}`;
    const params = this.reference.params;
    // A governed change since this book opened: the book's own spec predates it (governance/).
    const ruled = orderRuleRejection(specOf(params), input);
    if (ruled) return { ok: false, code: ruled, message: rejectMessage(ruled) };
    if (input.side === 'buy') {
      const cost = maxBuyCostSatang(
        input.quantityWh,
        input.priceTicks,
        maxWheelingInto(this.reference.links, input.zone),
        params.feePpm,
        rt.lotSizeWh,
      );
      if (!this.deps.reservations.tryReserve(actor.accountId, orderId, cost)) {
        return {
          ok: false,
          code: 'ORDER_INSUFFICIENT_FUNDS',
          message: `Not enough THB: this order needs up to ${formatSatang(cost)} THB, ${formatSatang(this.deps.reservations.available(actor.accountId) < 0n ? 0n : this.deps.reservations.available(actor.accountId))} THB available`,
        };
      }
    }
    this.nextSeq += 1n;
    const command = {
      kind: 'place' as const,
      orderId,
      accountId: actor.accountId,
      zone: input.zone,
      side: input.side,
      type: input.type,
      priceTicks: input.priceTicks,
      quantityWh: input.quantityWh,
      tif: input.tif,
      ...(input.postOnly ? { postOnly: true } : {}),
    };
    const logged = { ...command, clientOrderId: input.clientOrderId ?? null };
    const events = rt.market.apply(command);
    return this.commit(rt, seq, logged, events, actor, arrived, orderId);
  }

  async cancel(orderId: string, actor: Actor): Promise<CommandResult> {
    const arrived = performance.now();
    const found = this.ownedOpenOrder(orderId, actor.accountId);
    if ('code' in found) return { ok: false, ...found };
    const rt = this.guard(found.intervalStart);
    if (!('market' in rt)) return { ok: false, ...rt };
    const seq = this.nextSeq++;
    const command = { kind: 'cancel' as const, orderId, accountId: actor.accountId };
    return this.commit(rt, seq, command, rt.market.apply(command), actor, arrived, orderId);
  }

  async amend(
    orderId: string,
    change: { quantityWh?: number | undefined; priceTicks?: number | undefined },
    actor: Actor,
  ): Promise<CommandResult> {
    const arrived = performance.now();
    const found = this.ownedOpenOrder(orderId, actor.accountId);
    if ('code' in found) return { ok: false, ...found };
    const rt = this.guard(found.intervalStart);
    if (!('market' in rt)) return { ok: false, ...rt };
    const ruled = orderRuleRejection(specOf(this.reference.params), change);
    if (ruled) return { ok: false, code: ruled, message: rejectMessage(ruled) };
    const newPrice = change.priceTicks ?? found.priceTicks;
    const newRemaining = change.quantityWh ?? found.remainingWh;
    if (found.side === 'buy') {
      const cost = maxBuyCostSatang(
        newRemaining,
        newPrice,
        maxWheelingInto(this.reference.links, found.zone),
        this.reference.params.feePpm,
        rt.lotSizeWh,
      );
      const current = this.reservedFor(found);
      if (cost > current && cost - current > this.deps.reservations.available(actor.accountId)) {
        return {
          ok: false,
          code: 'ORDER_INSUFFICIENT_FUNDS',
          message: 'Not enough THB for the larger order',
        };
      }
    }
    const seq = this.nextSeq++;
    const command = {
      kind: 'amend' as const,
      orderId,
      accountId: actor.accountId,
      ...(change.quantityWh === undefined ? {} : { quantityWh: change.quantityWh }),
      ...(change.priceTicks === undefined ? {} : { priceTicks: change.priceTicks }),
    };
    return this.commit(rt, seq, command, rt.market.apply(command), actor, arrived, orderId);
  }

  /** Emergency halt of a zone in every open market: resting orders there are cancelled. */
  async haltZone(zone: string, actor: Actor | null): Promise<void> {
    await Promise.all(
      [...this.runtimes.values()].map((rt) => this.system(rt, { kind: 'haltZone', zone }, actor)),
    );
  }

  async resumeZone(zone: string, actor: Actor | null): Promise<void> {
    await Promise.all(
      [...this.runtimes.values()].map((rt) => this.system(rt, { kind: 'resumeZone', zone }, actor)),
    );
  }

  /** A link direction's capacity changed: each open market keeps what it already matched. */
  async setLinkCapacity(from: string, to: string, capacityWh: number, actor: Actor | null) {
    const key = linkKey(from, to);
    await Promise.all(
      [...this.runtimes.values()].map((rt) => {
        const remaining = Math.max(0, capacityWh - (rt.consumedWh.get(key) ?? 0));
        rt.baseCapacityWh.set(key, capacityWh);
        return this.system(rt, { kind: 'setLinkCapacity', from, to, capacityWh: remaining }, actor);
      }),
    );
  }

  private system(rt: Runtime, command: MarketCommand, actor: Actor | null): Promise<CommandResult> {
    const seq = this.nextSeq++;
    return this.commit(rt, seq, command, rt.market.apply(command), actor, performance.now(), '');
  }

  private async commit(
    rt: Runtime,
    seq: bigint,
    command: MarketCommand & { clientOrderId?: string | null },
    events: MarketEvent[],
    actor: Actor | null,
    arrived: number,
    orderId: string,
  ): Promise<CommandResult> {
    const effects = newEffects();
    const trades = this.absorb(rt, seq, command, events, effects, actor, Date.now());
    const rejected = events.find((e) => e.type === 'rejected');
    const entry: JournalEntry = {
      command: {
        seq,
        intervalStart: new Date(rt.intervalStart),
        kind: command.kind,
        accountId: actor?.accountId ?? null,
        payload: command,
      },
      orders: [...effects.orders.values()],
      trades: effects.trades,
      outbox: effects.outbox,
      audits: effects.audits,
    };
    if (rejected && rejected.type === 'rejected' && command.kind === 'place') {
      this.deps.reservations.release(orderId);
    }
    const durable = this.journal.append(entry);
    if (rejected && rejected.type === 'rejected') {
      // Nothing changed: answer at once; the log entry only keeps replay and audit complete.
      durable.catch(() => undefined);
      return { ok: false, code: rejected.code, message: rejectMessage(rejected.code) };
    }
    try {
      await durable;
    } catch {
      return {
        ok: false,
        code: 'ENGINE_UNAVAILABLE',
        message: 'The order could not be recorded; it was not placed. Try again shortly',
      };
    }
    for (const [room, type, data] of effects.messages) this.deps.publish(room, type, data);
    if (effects.trades.length) this.deps.onTrades?.(effects.trades);
    this.deps.onCommand?.(command.kind, performance.now() - arrived);
    const order = orderId ? (effects.orders.get(orderId) ?? null) : null;
    return {
      ok: true,
      order: order ? this.stateFromRow(order) : emptyOrderState(),
      trades,
    };
  }

  /** Folds a command's events into engine state and the rows and messages they cause. */
  private absorb(
    rt: Runtime,
    seq: bigint,
    command: MarketCommand & { clientOrderId?: string | null },
    events: MarketEvent[],
    effects: Effects,
    actor: Actor | null,
    nowMs: number,
  ): TradeSummary[] {
    const trades: TradeSummary[] = [];
    const t = rt.intervalStart;
    let fillIndex = 0;
    for (const e of events) {
      switch (e.type) {
        case 'accepted': {
          const c = command as Extract<MarketCommand, { kind: 'place' }> & {
            clientOrderId?: string | null;
          };
          const o: OrderState = {
            id: e.orderId,
            accountId: e.accountId,
            intervalStart: t,
            zone: e.zone,
            side: e.side,
            type: c.type,
            tif: c.tif,
            postOnly: c.postOnly === true,
            priceTicks: e.priceTicks,
            quantityWh: e.quantityWh,
            remainingWh: e.quantityWh,
            filledWh: 0,
            status: 'OPEN',
            clientOrderId: c.clientOrderId ?? null,
            seq,
            reason: null,
          };
          this.orders.set(o.id, o);
          if (o.clientOrderId) this.clientIds.set(`${o.accountId}:${o.clientOrderId}`, o.id);
          if (o.side === 'buy') this.reserve(o);
          this.touch(o, effects);
          effects.affectedZones.add(o.zone);
          if (actor)
            effects.audits.push(
              auditRow(actor, 'order.place', o.id, {
                zone: o.zone,
                side: o.side,
                priceTicks: o.priceTicks,
                quantityWh: o.quantityWh,
                tif: o.tif,
                type: o.type,
              }),
            );
          break;
        }
        case 'fill': {
          const trade = this.fillToTrade(rt, seq, fillIndex++, e, nowMs, effects);
          trades.push(trade);
          break;
        }
        case 'cancelled':
        case 'expired': {
          const o = this.orders.get(e.orderId);
          if (!o) break;
          o.status = e.type === 'expired' ? 'EXPIRED' : 'CANCELLED';
          o.reason = e.type === 'cancelled' ? e.reason : 'expired';
          this.finish(o, effects);
          effects.affectedZones.add(o.zone);
          if (actor && e.type === 'cancelled' && e.reason === 'requested') {
            effects.audits.push(
              auditRow(actor, 'order.cancel', o.id, { remainingWh: e.remainingWh }),
            );
          }
          break;
        }
        case 'amended': {
          const o = this.orders.get(e.orderId);
          if (!o) break;
          o.priceTicks = e.priceTicks;
          o.remainingWh = e.remainingWh;
          o.quantityWh = o.filledWh + e.remainingWh;
          if (o.side === 'buy') this.reserve(o);
          this.touch(o, effects);
          effects.affectedZones.add(o.zone);
          if (actor)
            effects.audits.push(
              auditRow(actor, 'order.amend', o.id, {
                priceTicks: e.priceTicks,
                remainingWh: e.remainingWh,
                priorityKept: e.priorityKept,
              }),
            );
          break;
        }
        case 'linkCapacity':
          effects.messages.push(['market', 'linkCapacity', { intervalStart: t, ...e }]);
          break;
        case 'zoneHalted':
        case 'zoneResumed':
          effects.affectedZones.add(e.zone);
          break;
        case 'marketClosed':
        case 'rejected':
          break;
        default: {
          const never: never = e;
          throw new Error(`unhandled market event ${JSON.stringify(never)}`);
        }
      }
    }
    for (const zone of effects.affectedZones) this.bookDelta(rt, zone, effects);
    return trades;
  }

  private fillToTrade(
    rt: Runtime,
    seq: bigint,
    index: number,
    e: FillEvent,
    nowMs: number,
    effects: Effects,
  ): TradeSummary {
    const takerBuys = e.takerSide === 'buy';
    const buyOrderId = takerBuys ? e.takerOrderId : e.makerOrderId;
    const sellOrderId = takerBuys ? e.makerOrderId : e.takerOrderId;
    const buyerId = takerBuys ? e.takerAccountId : e.makerAccountId;
    const sellerId = takerBuys ? e.makerAccountId : e.takerAccountId;
    const buyZone = takerBuys ? e.takerZone : e.makerZone;
    const sellZone = takerBuys ? e.makerZone : e.takerZone;
    // The print is the maker's price; the seller receives it when the seller rests, or the
    // resting bid minus wheeling when the buyer rests (the buyer never pays above its bid).
    const sellerPrice = takerBuys ? e.priceTicks : e.priceTicks - e.wheelingTicks;
    const amounts = tradeAmounts(
      e.quantityWh,
      sellerPrice,
      e.wheelingTicks,
      this.reference.params.feePpm,
    );
    const id = `T${seq}-${index}`;
    if (buyZone !== sellZone) {
      const key = linkKey(sellZone, buyZone);
      rt.consumedWh.set(key, (rt.consumedWh.get(key) ?? 0) + e.quantityWh);
      effects.messages.push([
        'grid',
        'linkUse',
        {
          intervalStart: rt.intervalStart,
          from: sellZone,
          to: buyZone,
          remainingWh: rt.market.linkCapacity(sellZone, buyZone) ?? 0,
        },
      ]);
    }
    for (const orderId of [e.makerOrderId, e.takerOrderId]) {
      const o = this.orders.get(orderId);
      if (!o) continue;
      o.remainingWh -= e.quantityWh;
      o.filledWh += e.quantityWh;
      o.status = o.remainingWh === 0 ? 'FILLED' : 'PARTIALLY_FILLED';
      if (o.status === 'FILLED') this.finish(o, effects);
      else {
        if (o.side === 'buy') this.reserve(o);
        this.touch(o, effects);
      }
    }
    effects.affectedZones.add(buyZone);
    effects.affectedZones.add(sellZone);
    const row: TradeRow = {
      id,
      market: 'CONTINUOUS',
      intervalStart: new Date(rt.intervalStart),
      buyZone,
      sellZone,
      buyOrderId,
      sellOrderId,
      buyerId,
      sellerId,
      takerSide: toDbSide(e.takerSide),
      priceTicks: e.priceTicks,
      quantityWh: BigInt(e.quantityWh),
      wheelingTicks: e.wheelingTicks,
      notionalSatang: amounts.notionalSatang,
      wheelingSatang: amounts.wheelingSatang,
      buyerFeeSatang: amounts.buyerFeeSatang,
      sellerFeeSatang: amounts.sellerFeeSatang,
      roundingResidue: amounts.roundingResidue,
      seq,
      createdAt: new Date(nowMs),
    };
    effects.trades.push(row);
    effects.outbox.push({
      key: `trade:${id}`,
      kind: 'trade',
      payload: {
        tradeId: id,
        buyerId,
        sellerId,
        intervalStart: rt.intervalStart,
        buyZone,
        sellZone,
        quantityWh: e.quantityWh,
        priceTicks: e.priceTicks,
        sellerPriceTicks: sellerPrice,
        wheelingTicks: e.wheelingTicks,
        notionalSatang: amounts.notionalSatang.toString(),
        wheelingSatang: amounts.wheelingSatang.toString(),
        buyerFeeSatang: amounts.buyerFeeSatang.toString(),
        sellerFeeSatang: amounts.sellerFeeSatang.toString(),
      },
    });
    const summary: TradeSummary = {
      id,
      intervalStart: rt.intervalStart,
      buyZone,
      sellZone,
      priceTicks: e.priceTicks,
      quantityWh: e.quantityWh,
      wheelingTicks: e.wheelingTicks,
      takerSide: e.takerSide,
      buyOrderId,
      sellOrderId,
      buyerId,
      sellerId,
      time: nowMs,
    };
    const publicTrade = {
      id,
      intervalStart: rt.intervalStart,
      buyZone,
      sellZone,
      priceTicks: e.priceTicks,
      quantityWh: e.quantityWh,
      wheelingTicks: e.wheelingTicks,
      takerSide: e.takerSide,
      time: nowMs,
    };
    effects.messages.push([tradesRoom(rt.intervalStart, buyZone), 'trade', publicTrade]);
    if (sellZone !== buyZone) {
      effects.messages.push([tradesRoom(rt.intervalStart, sellZone), 'trade', publicTrade]);
    }
    effects.messages.push(['market', 'trade', publicTrade]);
    effects.messages.push([
      userRoom(buyerId),
      'fill',
      { ...summary, side: 'buy', orderId: buyOrderId },
    ]);
    effects.messages.push([
      userRoom(sellerId),
      'fill',
      { ...summary, side: 'sell', orderId: sellOrderId },
    ]);
    return summary;
  }

  private reserve(o: OrderState): void {
    this.deps.reservations.put(o.accountId, o.id, this.costOf(o));
  }

  private costOf(o: OrderState): bigint {
    // Each fill is rounded on its own: reserve what any split of the rest into lots can cost.
    return maxBuyCostSatang(
      o.remainingWh,
      o.priceTicks,
      maxWheelingInto(this.reference.links, o.zone),
      this.reference.params.feePpm,
      this.runtimes.get(o.intervalStart)?.lotSizeWh ?? this.reference.params.lotSizeWh,
    );
  }

  private reservedFor(o: OrderState): bigint {
    return o.side === 'buy' ? this.costOf(o) : 0n;
  }

  private touch(o: OrderState, effects: Effects): void {
    effects.orders.set(o.id, this.row(o));
    effects.messages.push([userRoom(o.accountId), 'order', publicOrder(o)]);
  }

  private finish(o: OrderState, effects: Effects): void {
    this.touch(o, effects);
    this.orders.delete(o.id);
    if (o.clientOrderId) this.clientIds.delete(`${o.accountId}:${o.clientOrderId}`);
    this.deps.reservations.release(o.id);
  }

  private row(o: OrderState): OrderRow {
    return {
      id: o.id,
      accountId: o.accountId,
      market: 'CONTINUOUS',
      zone: o.zone,
      intervalStart: new Date(o.intervalStart),
      side: toDbSide(o.side),
      type: o.type === 'limit' ? 'LIMIT' : 'MARKET',
      tif: o.tif,
      postOnly: o.postOnly,
      priceTicks: o.priceTicks,
      quantityWh: BigInt(o.quantityWh),
      remainingWh: BigInt(o.remainingWh),
      status: o.status,
      clientOrderId: o.clientOrderId,
      seq: o.seq,
      reason: o.reason,
    };
  }

  private stateFromRow(r: OrderRow): OrderState {
    const quantityWh = Number(r.quantityWh);
    const remainingWh = Number(r.remainingWh);
    return {
      id: r.id,
      accountId: r.accountId,
      intervalStart: r.intervalStart.getTime(),
      zone: r.zone,
      side: r.side === 'BUY' ? 'buy' : 'sell',
      type: r.type === 'MARKET' ? 'market' : 'limit',
      tif: r.tif,
      postOnly: r.postOnly,
      priceTicks: r.priceTicks,
      quantityWh,
      remainingWh,
      filledWh:
        r.status === 'CANCELLED' || r.status === 'EXPIRED'
          ? quantityWh - remainingWh
          : quantityWh - remainingWh,
      status: r.status,
      clientOrderId: r.clientOrderId,
      seq: r.seq ?? 0n,
      reason: r.reason,
    };
  }

  private bookDelta(rt: Runtime, zone: string, effects: Effects): void {
    const depth = rt.market.depth(zone, DEPTH_LEVELS);
    const before = rt.lastDepth.get(zone) ?? { bids: [], asks: [], halted: false };
    const halted = rt.market.isHalted(zone);
    const changes = {
      bids: diffLevels(before.bids, depth.bids),
      asks: diffLevels(before.asks, depth.asks),
    };
    rt.lastDepth.set(zone, { bids: depth.bids, asks: depth.asks, halted });
    if (changes.bids.length || changes.asks.length || halted !== before.halted) {
      effects.messages.push([bookRoom(rt.intervalStart, zone), 'book', { ...changes, halted }]);
    }
  }

  private ownedOpenOrder(
    orderId: string,
    accountId: string,
  ): OrderState | { code: DomainCode; message: string } {
    const o = this.orders.get(orderId);
    // The same answer for someone else's order as for none, so ids cannot be probed.
    if (!o || o.accountId !== accountId) {
      return { code: 'ORDER_NOT_FOUND', message: 'No open order with this id' };
    }
    return o;
  }

  private async findByClientId(
    accountId: string,
    clientOrderId: string,
  ): Promise<OrderState | null> {
    const open = this.clientIds.get(`${accountId}:${clientOrderId}`);
    if (open) return this.orders.get(open) ?? null;
    const row = await this.deps.db.prisma.order.findUnique({
      where: { accountId_clientOrderId: { accountId, clientOrderId } },
    });
    if (!row || row.market !== 'CONTINUOUS') return null;
    return this.stateFromRow({
      id: row.id,
      accountId: row.accountId,
      market: 'CONTINUOUS',
      zone: row.zone,
      intervalStart: row.intervalStart,
      side: row.side,
      type: row.type,
      tif: row.tif,
      postOnly: row.postOnly,
      priceTicks: row.priceTicks,
      quantityWh: row.quantityWh,
      remainingWh: row.remainingWh,
      status: row.status,
      clientOrderId: row.clientOrderId,
      seq: row.seq,
      reason: row.reason,
    });
  }

  // ───────────────────────────────────────────────────────────── queries

  openIntervals(): number[] {
    return [...this.runtimes.keys()].sort((a, b) => a - b);
  }

  book(intervalStart: number, zone: string, levels = DEPTH_LEVELS): BookView | null {
    const rt = this.runtimes.get(intervalStart);
    if (!rt || !rt.market.zones.includes(zone)) return null;
    const depth = rt.market.depth(zone, levels);
    return {
      intervalStart,
      zone,
      bids: depth.bids,
      asks: depth.asks,
      seq: this.deps.roomSeq(bookRoom(intervalStart, zone)),
      epoch: this.deps.epoch,
      halted: rt.market.isHalted(zone),
      open: isContinuousOpen(intervalStart, this.deps.clock.now()),
      stateHash: rt.market.stateHash(),
    };
  }

  /** Best bid and ask of an open book (null sides when empty or not open). */
  topOfBook(
    intervalStart: number,
    zone: string,
  ): { bidTicks: number | null; askTicks: number | null } {
    const rt = this.runtimes.get(intervalStart);
    if (!rt || !rt.market.zones.includes(zone)) return { bidTicks: null, askTicks: null };
    return { bidTicks: rt.market.bestBid(zone), askTicks: rt.market.bestAsk(zone) };
  }

  linkCapacity(intervalStart: number, from: string, to: string): number | null {
    return this.runtimes.get(intervalStart)?.market.linkCapacity(from, to) ?? null;
  }

  /** State hash of every open market, for crash-recovery checks. */
  stateHashes(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [t, rt] of [...this.runtimes].sort((a, b) => a[0] - b[0])) {
      out[new Date(t).toISOString()] = rt.market.stateHash();
    }
    return out;
  }

  openOrdersOf(accountId: string): OrderState[] {
    return [...this.orders.values()].filter((o) => o.accountId === accountId);
  }

  order(orderId: string): OrderState | undefined {
    return this.orders.get(orderId);
  }

  get openOrderCount(): number {
    return this.orders.size;
  }
}

function newEffects(): Effects {
  return {
    orders: new Map(),
    trades: [],
    outbox: [],
    audits: [],
    messages: [],
    affectedZones: new Set(),
  };
}

function stripExtras(cmd: MarketCommand & { clientOrderId?: string | null }): MarketCommand {
  if (cmd.kind !== 'place') return cmd;
  const { clientOrderId: _ignored, ...rest } = cmd;
  return rest;
}

function auditRow(actor: Actor, action: string, target: string, details: unknown): AuditRow {
  return {
    actorId: actor.accountId,
    action,
    target,
    ip: actor.ip,
    requestId: actor.requestId,
    details,
  };
}

/** Price levels that changed between two depth views: new aggregate quantity, 0 = removed. */
function diffLevels(before: readonly DepthLevel[], after: readonly DepthLevel[]): DepthLevel[] {
  const prev = new Map(before.map((l) => [l.priceTicks, l]));
  const changes: DepthLevel[] = [];
  for (const l of after) {
    const p = prev.get(l.priceTicks);
    if (!p || p.quantityWh !== l.quantityWh || p.orderCount !== l.orderCount) changes.push(l);
    prev.delete(l.priceTicks);
  }
  for (const l of prev.values()) changes.push({ ...l, quantityWh: 0, orderCount: 0 });
  return changes;
}

export function publicOrder(o: OrderState) {
  return {
    id: o.id,
    intervalStart: o.intervalStart,
    zone: o.zone,
    side: o.side,
    type: o.type,
    tif: o.tif,
    postOnly: o.postOnly,
    priceTicks: o.priceTicks,
    quantityWh: o.quantityWh,
    remainingWh: o.remainingWh,
    filledWh: o.filledWh,
    status: o.status,
    clientOrderId: o.clientOrderId,
    reason: o.reason,
  };
}

function emptyOrderState(): OrderState {
  return {
    id: '',
    accountId: '',
    intervalStart: 0,
    zone: '',
    side: 'buy',
    type: 'limit',
    tif: 'GTC',
    postOnly: false,
    priceTicks: 0,
    quantityWh: 0,
    remainingWh: 0,
    filledWh: 0,
    status: 'OPEN',
    clientOrderId: null,
    seq: 0n,
    reason: null,
  };
}

function formatSatang(satang: bigint): string {
  const neg = satang < 0n;
  const abs = neg ? -satang : satang;
  return `${neg ? '-' : ''}${abs / 100n}.${(abs % 100n).toString().padStart(2, '0')}`;
}
