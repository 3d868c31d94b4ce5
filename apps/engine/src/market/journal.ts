// Group commit for the continuous markets: commands, the order and trade rows they change, the
// settlement outbox and audit rows are appended here and written by one statement per batch
// (writable CTEs over arrays), so one round trip and one commit make many orders durable. A
// command is acknowledged only after its batch commits; streams are published only after too.
import type pg from 'pg';
import { scalarArray, textArray, timestampArray } from './pg-array.ts';

export interface CommandRow {
  seq: bigint;
  intervalStart: Date;
  kind: string;
  accountId: string | null;
  payload: unknown;
}

export interface OrderRow {
  id: string;
  accountId: string;
  market: 'CONTINUOUS' | 'DAY_AHEAD';
  zone: string;
  intervalStart: Date;
  side: 'BUY' | 'SELL';
  type: 'LIMIT' | 'MARKET' | 'BLOCK';
  tif: 'GTC' | 'IOC' | 'FOK';
  postOnly: boolean;
  priceTicks: number;
  quantityWh: bigint;
  remainingWh: bigint;
  status: 'OPEN' | 'PARTIALLY_FILLED' | 'FILLED' | 'CANCELLED' | 'EXPIRED' | 'REJECTED';
  clientOrderId: string | null;
  seq: bigint | null;
  reason: string | null;
}

export interface TradeRow {
  id: string;
  market: 'CONTINUOUS' | 'DAY_AHEAD';
  intervalStart: Date;
  buyZone: string;
  sellZone: string;
  buyOrderId: string | null;
  sellOrderId: string | null;
  buyerId: string;
  sellerId: string;
  takerSide: 'BUY' | 'SELL' | null;
  priceTicks: number;
  quantityWh: bigint;
  wheelingTicks: number;
  notionalSatang: bigint;
  wheelingSatang: bigint;
  buyerFeeSatang: bigint;
  sellerFeeSatang: bigint;
  roundingResidue: string;
  seq: bigint | null;
  createdAt: Date;
}

export interface OutboxRow {
  key: string;
  kind: string;
  payload: unknown;
}

export interface AuditRow {
  actorId: string | null;
  action: string;
  target: string | null;
  ip: string | null;
  requestId: string | null;
  details: unknown;
}

export interface JournalEntry {
  command?: CommandRow;
  orders?: OrderRow[];
  trades?: TradeRow[];
  outbox?: OutboxRow[];
  audits?: AuditRow[];
}

interface Pending {
  entry: JournalEntry;
  resolve: () => void;
  reject: (err: unknown) => void;
}

/** An outbox row as committed: its id is the database's (bigserial), known only after commit. */
export interface CommittedOutboxRow {
  id: string;
  key: string;
  kind: string;
  /**
   * As appended, not read back from `jsonb`: equal to what the database returns while payloads
   * hold only JSON values (strings, numbers, booleans, null, arrays and objects of them).
   */
  payload: unknown;
  /** When its batch was sent (the row's `created_at` is its transaction's start, just after). */
  createdAt: Date;
}

export interface JournalStats {
  batches: number;
  entries: number;
  lastBatchSize: number;
  lastCommitMs: number;
}

const MAX_BATCH = 4_000;

export class Journal {
  private pending: Pending[] = [];
  private flushing = false;
  private failed: unknown = null;
  readonly stats: JournalStats = { batches: 0, entries: 0, lastBatchSize: 0, lastCommitMs: 0 };

  constructor(
    private readonly pool: pg.Pool,
    /** Called once when a batch fails: in-memory state is ahead of the database. */
    private readonly onFailure: (err: unknown) => void,
    /**
     * Called after each committed batch that wrote outbox rows, before its entries resolve: the
     * settlement worker takes them from here instead of reading back what was just written.
     */
    private readonly onOutbox?: (rows: CommittedOutboxRow[]) => void,
  ) {}

  get depth(): number {
    return this.pending.length;
  }

  /** Resolves once `entry` is durable; rejects when its batch (or an earlier one) failed. */
  append(entry: JournalEntry): Promise<void> {
    if (this.failed) {
      return Promise.reject(
        this.failed instanceof Error ? this.failed : new Error('an earlier journal write failed'),
      );
    }
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ entry, resolve, reject });
      if (!this.flushing) {
        this.flushing = true;
        // Let the current tick's other commands join this batch.
        setImmediate(() => void this.flushLoop());
      }
    });
  }

  /** Resolves when everything appended so far is durable (or failed). */
  async drain(): Promise<void> {
    while (this.flushing || this.pending.length > 0) {
      await new Promise((r) => setTimeout(r, 2));
    }
  }

  /** Clears a failure after the owner rebuilt its state from the database. */
  reset(): void {
    this.failed = null;
  }

  private async flushLoop(): Promise<void> {
    try {
      while (this.pending.length > 0) {
        const batch = this.pending.splice(0, MAX_BATCH);
        const started = performance.now();
        let outbox: CommittedOutboxRow[];
        try {
          outbox = await this.write(batch.map((p) => p.entry));
        } catch (err) {
          this.failed = err;
          const rest = this.pending.splice(0);
          for (const p of [...batch, ...rest]) p.reject(err);
          this.onFailure(err);
          return;
        }
        this.stats.batches += 1;
        this.stats.entries += batch.length;
        this.stats.lastBatchSize = batch.length;
        this.stats.lastCommitMs = performance.now() - started;
        if (outbox.length > 0 && this.onOutbox) {
          try {
            this.onOutbox(outbox);
          } catch {
            // The rows are durable; the settlement worker's scans find them regardless.
          }
        }
        for (const p of batch) p.resolve();
      }
    } finally {
      this.flushing = false;
    }
  }

  /** Writes one batch; returns its outbox rows with the ids the database gave them. */
  private async write(entries: JournalEntry[]): Promise<CommittedOutboxRow[]> {
    const commands: CommandRow[] = [];
    const orders = new Map<string, OrderRow>();
    const trades: TradeRow[] = [];
    const outbox: OutboxRow[] = [];
    const audits: AuditRow[] = [];
    for (const e of entries) {
      if (e.command) commands.push(e.command);
      // One row per order per batch: the last state wins (ON CONFLICT cannot touch a row twice).
      if (e.orders) for (const o of e.orders) orders.set(o.id, o);
      if (e.trades) for (const t of e.trades) trades.push(t);
      if (e.outbox) for (const x of e.outbox) outbox.push(x);
      if (e.audits) for (const a of e.audits) audits.push(a);
    }
    // One statement: PostgreSQL runs it as one implicit transaction (all rows or none), so the
    // batch costs one round trip and one commit. Foreign keys between its parts (a trade's
    // orders) are checked at the end of the statement, after every part has written.
    const sentAt = new Date();
    const result = await this.pool.query<{ id: string; key: string }>({
      name: 'gtx_journal_batch_v2',
      text: BATCH_SQL,
      values: [
        ...commandColumns(commands),
        ...orderColumns([...orders.values()]),
        ...tradeColumns(trades),
        ...outboxColumns(outbox),
        ...auditColumns(audits),
      ],
    });
    if (outbox.length === 0) return [];
    const byKey = new Map(outbox.map((x) => [x.key, x]));
    return result.rows.map((r) => {
      const x = byKey.get(r.key)!;
      return { id: r.id, key: r.key, kind: x.kind, payload: x.payload, createdAt: sentAt };
    });
  }
}

// Parameters: $1–$5 commands, $6–$21 orders, $22–$41 trades, $42–$44 outbox, $45–$50 audit.
// Empty arrays insert nothing, so every batch uses the same (prepared) statement. Each parameter
// is an array literal from pg-array.ts; the casts below parse it. The statement returns the outbox
// rows' ids (no rows when the batch wrote none) for the settlement worker.
const BATCH_SQL = `
WITH commands AS (
  INSERT INTO market_command (seq, interval_start, kind, account_id, payload)
  SELECT * FROM unnest($1::bigint[], $2::timestamptz[], $3::text[], $4::uuid[], $5::jsonb[])
), orders AS (
  INSERT INTO "order" (id, account_id, market, zone, interval_start, side, type, tif, post_only,
     price_ticks, quantity_wh, remaining_wh, status, client_order_id, seq, reason, updated_at)
  SELECT u.id, u.account_id, u.market::"MarketKind", u.zone, u.interval_start, u.side::"Side",
     u.type::"OrderType", u.tif::"TimeInForce", u.post_only, u.price_ticks, u.quantity_wh,
     u.remaining_wh, u.status::"OrderStatus", u.client_order_id, u.seq, u.reason, now()
  FROM unnest($6::text[], $7::uuid[], $8::text[], $9::text[], $10::timestamptz[], $11::text[],
     $12::text[], $13::text[], $14::bool[], $15::int[], $16::bigint[], $17::bigint[], $18::text[],
     $19::text[], $20::bigint[], $21::text[])
    AS u(id, account_id, market, zone, interval_start, side, type, tif, post_only, price_ticks,
     quantity_wh, remaining_wh, status, client_order_id, seq, reason)
  ON CONFLICT (id) DO UPDATE SET remaining_wh = EXCLUDED.remaining_wh,
     status = EXCLUDED.status, price_ticks = EXCLUDED.price_ticks,
     reason = EXCLUDED.reason, updated_at = now()
), trades AS (
  INSERT INTO trade (id, market, interval_start, buy_zone, sell_zone, buy_order_id,
     sell_order_id, buyer_id, seller_id, taker_side, price_ticks, quantity_wh, wheeling_ticks,
     notional_satang, wheeling_satang, buyer_fee_satang, seller_fee_satang, rounding_residue,
     seq, created_at)
  SELECT u.id, u.market::"MarketKind", u.interval_start, u.buy_zone, u.sell_zone,
     u.buy_order_id, u.sell_order_id, u.buyer_id, u.seller_id, u.taker_side::"Side",
     u.price_ticks, u.quantity_wh, u.wheeling_ticks, u.notional_satang, u.wheeling_satang,
     u.buyer_fee_satang, u.seller_fee_satang, u.rounding_residue, u.seq, u.created_at
  FROM unnest($22::text[], $23::text[], $24::timestamptz[], $25::text[], $26::text[], $27::text[],
     $28::text[], $29::uuid[], $30::uuid[], $31::text[], $32::int[], $33::bigint[], $34::int[],
     $35::bigint[], $36::bigint[], $37::bigint[], $38::bigint[], $39::numeric[], $40::bigint[],
     $41::timestamptz[])
    AS u(id, market, interval_start, buy_zone, sell_zone, buy_order_id, sell_order_id, buyer_id,
     seller_id, taker_side, price_ticks, quantity_wh, wheeling_ticks, notional_satang,
     wheeling_satang, buyer_fee_satang, seller_fee_satang, rounding_residue, seq, created_at)
), outbox AS (
  INSERT INTO settlement_outbox (key, kind, payload, updated_at)
  SELECT u.key, u.kind, u.payload, now()
  FROM unnest($42::text[], $43::text[], $44::jsonb[]) AS u(key, kind, payload)
  RETURNING id, key
), audits AS (
  INSERT INTO audit_log (actor_id, action, target, ip, request_id, details)
  SELECT * FROM unnest($45::uuid[], $46::text[], $47::text[], $48::text[], $49::text[],
     $50::jsonb[])
)
SELECT id::text AS id, key FROM outbox ORDER BY id`;

function commandColumns(rows: CommandRow[]): string[] {
  return [
    scalarArray(rows.map((r) => r.seq)),
    timestampArray(rows.map((r) => r.intervalStart)),
    textArray(rows.map((r) => r.kind)),
    textArray(rows.map((r) => r.accountId)),
    textArray(rows.map((r) => JSON.stringify(r.payload))),
  ];
}

function orderColumns(rows: OrderRow[]): string[] {
  return [
    textArray(rows.map((r) => r.id)),
    textArray(rows.map((r) => r.accountId)),
    textArray(rows.map((r) => r.market)),
    textArray(rows.map((r) => r.zone)),
    timestampArray(rows.map((r) => r.intervalStart)),
    textArray(rows.map((r) => r.side)),
    textArray(rows.map((r) => r.type)),
    textArray(rows.map((r) => r.tif)),
    scalarArray(rows.map((r) => r.postOnly)),
    scalarArray(rows.map((r) => r.priceTicks)),
    scalarArray(rows.map((r) => r.quantityWh)),
    scalarArray(rows.map((r) => r.remainingWh)),
    textArray(rows.map((r) => r.status)),
    textArray(rows.map((r) => r.clientOrderId)),
    scalarArray(rows.map((r) => r.seq)),
    textArray(rows.map((r) => r.reason)),
  ];
}

function tradeColumns(rows: TradeRow[]): string[] {
  return [
    textArray(rows.map((r) => r.id)),
    textArray(rows.map((r) => r.market)),
    timestampArray(rows.map((r) => r.intervalStart)),
    textArray(rows.map((r) => r.buyZone)),
    textArray(rows.map((r) => r.sellZone)),
    textArray(rows.map((r) => r.buyOrderId)),
    textArray(rows.map((r) => r.sellOrderId)),
    textArray(rows.map((r) => r.buyerId)),
    textArray(rows.map((r) => r.sellerId)),
    textArray(rows.map((r) => r.takerSide)),
    scalarArray(rows.map((r) => r.priceTicks)),
    scalarArray(rows.map((r) => r.quantityWh)),
    scalarArray(rows.map((r) => r.wheelingTicks)),
    scalarArray(rows.map((r) => r.notionalSatang)),
    scalarArray(rows.map((r) => r.wheelingSatang)),
    scalarArray(rows.map((r) => r.buyerFeeSatang)),
    scalarArray(rows.map((r) => r.sellerFeeSatang)),
    textArray(rows.map((r) => r.roundingResidue)),
    scalarArray(rows.map((r) => r.seq)),
    timestampArray(rows.map((r) => r.createdAt)),
  ];
}

function outboxColumns(rows: OutboxRow[]): string[] {
  return [
    textArray(rows.map((r) => r.key)),
    textArray(rows.map((r) => r.kind)),
    textArray(rows.map((r) => JSON.stringify(r.payload))),
  ];
}

function auditColumns(rows: AuditRow[]): string[] {
  return [
    textArray(rows.map((r) => r.actorId)),
    textArray(rows.map((r) => r.action)),
    textArray(rows.map((r) => r.target)),
    textArray(rows.map((r) => r.ip)),
    textArray(rows.map((r) => r.requestId)),
    textArray(rows.map((r) => (r.details === undefined ? null : JSON.stringify(r.details)))),
  ];
}
