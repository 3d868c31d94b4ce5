// Drains the settlement outbox onto the chain. Each row (a trade, a mandate, a deposit, a grid
// action) becomes one signed transaction; the row becomes FINAL (with its tx hash and block
// height) when a commit includes it. A row still in flight after a second is marked SUBMITTED
// (with its tx hash), so a settlement that waits (validators down) shows as such; one that is
// final sooner — nearly all — is written once, PENDING → FINAL. A dropped or refused-for-now
// transaction goes back to PENDING; a permanent refusal is FAILED with the chain's code. The
// chain itself refuses a second settlement of the same trade or deposit, so a retry after a
// crash can never settle twice.
//
// Finding work: the rows the market's group commit hands over with their ids (`offer`), without
// reading them back; the rows written since the last scan (`id` above the highest seen), on every
// kick unless the handed rows continue that id without a gap; and, once a second (or at once after
// a retry, a drop or a kick from outside the market), a sweep from the start in pages, which also
// finds rows whose id was taken before a later one committed. Rows in flight or just settled are
// skipped, since a row stays PENDING while its transaction is in flight.
import type { ChainErrorCode, CommitEvent, Tx } from '@gridtokenx/chain';
import type { ChainHost } from '../chain/host.ts';
import type { Database } from '../db/index.ts';
import type { Logger } from '../log.ts';
import type { CommittedOutboxRow } from '../market/journal.ts';

export interface OutboxRecord {
  id: bigint;
  key: string;
  kind: string;
  payload: Record<string, unknown>;
  attempts: number;
  createdAt: Date;
}

export interface TradePayload {
  tradeId: string;
  buyerId: string;
  sellerId: string;
  intervalStart: number;
  buyZone: string;
  sellZone: string;
  quantityWh: number;
  priceTicks: number;
  notionalSatang: string;
  wheelingSatang: string;
  buyerFeeSatang: string;
  sellerFeeSatang: string;
}

/**
 * How one outbox kind becomes a chain transaction. Areas of the engine (metering, delivery,
 * certificates, governance) register their kinds here instead of growing one switch.
 */
export interface OutboxBuilder {
  /**
   * The signed transaction, a reason it cannot be built yet (transient codes retry), or `skip`
   * when the chain has nothing to record for the row (it becomes FINAL without a transaction).
   */
  build(record: OutboxRecord, chain: ChainHost): Promise<BuildResult>;
  /** Finds what the row settles already on chain (after a crash or a duplicate refusal). */
  alreadyOnChain?(
    record: OutboxRecord,
    chain: ChainHost,
  ): Promise<{ hash: string; height: number } | null>;
  /** Called once the row is final (or failed for good). */
  onSettled?(record: OutboxRecord, outcome: SettleOutcome): void;
}

/** How a row ended: final (with its transaction, none when skipped) or failed with a code. */
export interface SettleOutcome {
  final: boolean;
  height: number | null;
  code: string | null;
  txHash?: string | null;
}

export type BuildResult = Tx | { code: string; message: string } | { skip: string };

export interface SettlementEvents {
  /** A row became final on chain (or failed for good). */
  onSettled?: (record: OutboxRecord, outcome: SettleOutcome) => void;
}

/** Codes that may clear up by themselves: try again later. */
const TRANSIENT: ReadonlySet<string> = new Set<
  ChainErrorCode | 'ENGINE_NO_COINS' | 'ENGINE_WAIT_EARLIER'
>([
  'CHAIN_MEMPOOL_FULL',
  'CHAIN_NODE_STOPPED',
  // The coins were chosen from one validator's view and another now answers (local mode after
  // a validator stopped or restarted): the next attempt chooses them again.
  'CHAIN_INPUT_UNAVAILABLE',
  'CHAIN_TX_DUPLICATE',
  'CHAIN_INSUFFICIENT_FUNDS',
  'CHAIN_NO_MANDATE',
  'CHAIN_POW_REQUIRED',
  'ENGINE_NO_COINS',
  'ENGINE_WAIT_EARLIER',
]);
const MAX_ATTEMPTS = 30;
const BATCH = 500;
/** Rows built between yields to the event loop. */
const YIELD_EVERY = 8;
/** A row in flight this long is marked SUBMITTED (with its hash) for the UI and recovery. */
const MARK_SUBMITTED_AFTER_MS = 1_000;
/** How often the whole outbox is swept for rows the scans of new rows cannot see. */
const SWEEP_EVERY_MS = 1_000;
/** How long a settled row's id is remembered, against a scan that read it before it settled. */
const SETTLED_MEMORY_MS = 30_000;

interface Inflight {
  record: OutboxRecord;
  txHash: string;
  submittedAt: number;
  /** Whether the SUBMITTED mark has been written. */
  marked: boolean;
}

/** An outbox row as the worker reads it. */
interface OutboxRow {
  id: string;
  key: string;
  kind: string;
  payload: Record<string, unknown>;
  attempts: number;
  created_at: Date;
}

export function buyerTotalOf(p: TradePayload): bigint {
  return BigInt(p.notionalSatang) + BigInt(p.wheelingSatang) + BigInt(p.buyerFeeSatang);
}

export class SettlementWorker {
  private readonly inflight = new Map<string, Inflight>();
  /** Ids of the rows in `inflight`: a row stays PENDING in the table while it is in flight. */
  private readonly inflightIds = new Set<bigint>();
  /** Ids settled recently (final or failed), with when: a scan may have read them as PENDING. */
  private readonly settledIds = new Map<bigint, number>();
  /** The highest outbox id any scan returned: newer rows are found above it. */
  private highWater = 0n;
  /** Where the sweep goes on (it pages through the table); 0 when it starts again. */
  private sweepCursor = 0n;
  private sweepDue = true;
  /** Rows the market's group commit handed over since the last pass (`offer`). */
  private offered: OutboxRow[] = [];
  private lastSweepAt = 0;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private unsubscribe: (() => void) | null = null;
  private retryAfter = new Map<bigint, number>();
  /** Commits waiting to be recorded, processed in order. */
  private finalizing: Promise<void> = Promise.resolve();
  submitted = 0;
  finalized = 0;
  failed = 0;

  private readonly builders = new Map<string, OutboxBuilder>();

  constructor(
    private readonly db: Database,
    private readonly chain: ChainHost,
    private readonly logger: Logger,
    private readonly events: SettlementEvents = {},
  ) {}

  /** Registers the builder of an outbox kind (before start). */
  register(kind: string, builder: OutboxBuilder): void {
    if (this.builders.has(kind)) throw new Error(`outbox kind ${kind} is registered twice`);
    this.builders.set(kind, builder);
  }

  async start(intervalMs = 50): Promise<void> {
    this.unsubscribe = this.chain.onCommit((e) => {
      this.finalizing = this.finalizing
        .then(() => this.onCommit(e))
        .catch((err: unknown) => this.logger.error({ err }, 'recording final settlements failed'));
    });
    await this.recoverSubmitted();
    this.timer = setInterval(() => void this.kickNew(), intervalMs);
  }

  /**
   * Runs one pass now, sweeping the whole outbox (tests, and after rows were written outside the
   * market's group commit, whose ids may be below rows already seen).
   */
  kick(): Promise<void> {
    this.sweepDue = true;
    return this.kickNew();
  }

  /**
   * Rows just committed by the market's group commit, with their ids: worked on in the next pass
   * (started now) without a query to read them back.
   */
  offer(rows: readonly CommittedOutboxRow[]): Promise<void> {
    for (const r of rows) {
      this.offered.push({
        id: r.id,
        key: r.key,
        kind: r.kind,
        payload: r.payload as Record<string, unknown>,
        attempts: 0,
        created_at: r.createdAt,
      });
    }
    return this.kickNew();
  }

  /** Runs one pass now for the rows written since the last scan (after a group commit). */
  kickNew(): Promise<void> {
    this.running ??= this.pass()
      .catch((err: unknown) => this.logger.error({ err }, 'settlement pass failed'))
      .finally(() => {
        this.running = null;
      });
    return this.running;
  }

  get pendingCount(): number {
    return this.inflight.size;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.unsubscribe?.();
    await this.running;
    await this.finalizing;
  }

  /** After a restart: what was submitted either made it into a block or goes round again. */
  private async recoverSubmitted(): Promise<void> {
    const rows = await this.db.pool.query<OutboxRow & { tx_hash: string }>(
      `SELECT id::text, key, kind, payload, attempts, created_at, tx_hash FROM settlement_outbox WHERE status = 'SUBMITTED'`,
    );
    for (const r of rows.rows) {
      const record = toRecord(r);
      const found = await this.chain.query.tx(r.tx_hash);
      if (found) await this.markFinal([{ record, txHash: r.tx_hash, height: found.height }]);
      else {
        await this.db.pool.query(
          `UPDATE settlement_outbox SET status = 'PENDING', updated_at = now() WHERE id = $1`,
          [r.id],
        );
      }
    }
  }

  /** Whether `rows` (in id order) are exactly the ids after the highest seen, without a gap. */
  private continues(rows: readonly OutboxRow[]): boolean {
    let expect = this.highWater + 1n;
    for (const r of rows) {
      if (BigInt(r.id) !== expect) return false;
      expect += 1n;
    }
    return rows.length > 0;
  }

  /** PENDING rows to work on: the new ones, and a page of the sweep when one is due. */
  private async scan(now: number): Promise<OutboxRow[]> {
    const select = (after: bigint) =>
      this.db.pool.query<OutboxRow>({
        name: 'gtx_settlement_scan_v2',
        text: `SELECT id::text, key, kind, payload, attempts, created_at FROM settlement_outbox
                WHERE status = 'PENDING' AND id > $2 ORDER BY id LIMIT $1`,
        values: [BATCH, after.toString()],
      });
    let retryDue = false;
    for (const at of this.retryAfter.values()) {
      if (at <= now) {
        retryDue = true;
        break;
      }
    }
    const sweeping = this.sweepDue || retryDue || now - this.lastSweepAt >= SWEEP_EVERY_MS;
    // Handed-over rows, in id order. When they start right after the highest id seen, no other
    // row can sit between (ids are taken in order; one taken earlier and committed later is the
    // sweep's, as for a scan), so the scan of new rows is not needed.
    const offered = this.offered.splice(0).sort((a, b) => compareIds(a.id, b.id));
    let rows: OutboxRow[] = [];
    if (sweeping || !this.continues(offered)) {
      ({ rows } = await select(sweeping ? this.sweepCursor : this.highWater));
      if (sweeping) {
        this.sweepDue = false;
        if (rows.length < BATCH) {
          this.sweepCursor = 0n;
          this.lastSweepAt = now;
        } else {
          this.sweepCursor = BigInt(rows[rows.length - 1]!.id);
        }
      }
      // Ordered by id: the last row is the newest seen.
      const last = rows.length > 0 ? BigInt(rows[rows.length - 1]!.id) : 0n;
      if (last > this.highWater) this.highWater = last;
    }
    if (offered.length > 0) {
      const read = new Set(rows.map((r) => r.id));
      for (const r of offered) {
        if (!read.has(r.id)) rows.push(r);
        // The high-water mark moves only over ids with nothing unseen below them.
        if (BigInt(r.id) === this.highWater + 1n) this.highWater += 1n;
      }
      if (read.size > 0) rows.sort((a, b) => compareIds(a.id, b.id));
    }
    for (const [id, at] of this.settledIds) {
      if (now - at < SETTLED_MEMORY_MS) break;
      this.settledIds.delete(id);
    }
    return rows.filter((r) => {
      const id = BigInt(r.id);
      return !this.inflightIds.has(id) && !this.settledIds.has(id);
    });
  }

  private async pass(): Promise<void> {
    const now = Date.now();
    const rows = await this.scan(now);
    await this.markSubmitted(now);
    if (rows.length === 0) return;
    const retry: { id: bigint; error: string }[] = [];
    const failed: { record: OutboxRecord; code: string; message: string }[] = [];
    const skipped: { record: OutboxRecord; reason: string }[] = [];
    let built = 0;
    for (const row of rows) {
      const record = toRecord(row);
      if ((this.retryAfter.get(record.id) ?? 0) > now) continue;
      // Building is synchronous work (coin selection, signing, mempool admission): let requests
      // in between slices instead of holding the thread for a whole block's worth of rows.
      if (++built % YIELD_EVERY === 0) await new Promise((r) => setImmediate(r));
      // Build and submit one at a time: the next coin selection sees this one's change (MEM-1).
      let tx: BuildResult;
      try {
        tx = await this.build(record);
      } catch (err) {
        failed.push({
          record,
          code: 'ENGINE_BUILD_FAILED',
          message: err instanceof Error ? err.message : String(err),
        });
        continue;
      }
      if ('skip' in tx) {
        skipped.push({ record, reason: tx.skip });
        continue;
      }
      if (!('hash' in tx)) {
        this.classify(record, tx.code, tx.message, retry, failed);
        continue;
      }
      this.retryAfter.delete(record.id);
      this.track({ record, txHash: tx.hash, submittedAt: now, marked: false });
      const result = this.chain.submit(tx);
      if (result.ok || result.code === 'CHAIN_TX_DUPLICATE') {
        this.submitted += 1;
        continue;
      }
      this.untrack(tx.hash);
      const earlier = await this.alreadyOnChain(record);
      if (earlier) {
        await this.markFinal([{ record, txHash: earlier.hash, height: earlier.height }]);
        continue;
      }
      this.classify(record, result.code, result.message, retry, failed);
    }
    for (const r of retry) {
      await this.db.pool.query(
        `UPDATE settlement_outbox SET attempts = attempts + 1, last_error = $2, updated_at = now() WHERE id = $1`,
        [r.id.toString(), r.error],
      );
    }
    if (failed.length) await this.markFailed(failed);
    if (skipped.length) await this.markSkipped(skipped);
  }

  private track(f: Inflight): void {
    this.inflight.set(f.txHash, f);
    this.inflightIds.add(f.record.id);
  }

  private untrack(txHash: string): Inflight | undefined {
    const f = this.inflight.get(txHash);
    if (f) {
      this.inflight.delete(txHash);
      this.inflightIds.delete(f.record.id);
    }
    return f;
  }

  private remember(id: bigint): void {
    this.retryAfter.delete(id);
    this.settledIds.delete(id);
    this.settledIds.set(id, Date.now());
  }

  /**
   * Rows in flight for a second or more are marked SUBMITTED with their hash: the trade shows
   * as on its way, and a restart finds the transaction by hash. A crash before the mark leaves
   * the row PENDING; start-up then finds it on chain by what it settles (trade id, deposit
   * reference), never by a hash we failed to record. One statement for the rows and trades.
   */
  private async markSubmitted(now: number): Promise<void> {
    // `inflight` is in submission order (passes run one at a time), so the rows old enough to
    // mark come first: no walk over the whole map on every pass.
    const due: Inflight[] = [];
    for (const f of this.inflight.values()) {
      if (now - f.submittedAt < MARK_SUBMITTED_AFTER_MS) break;
      if (!f.marked) due.push(f);
    }
    if (due.length === 0) return;
    for (const f of due) f.marked = true;
    await this.db.pool.query({
      name: 'gtx_settlement_submitted_v1',
      text: `WITH o AS (
          UPDATE settlement_outbox o SET status = 'SUBMITTED', tx_hash = u.h,
                 attempts = attempts + 1, updated_at = now()
            FROM unnest($1::bigint[], $2::text[]) AS u(id, h)
           WHERE o.id = u.id AND o.status = 'PENDING'
          RETURNING o.kind, o.payload, o.tx_hash)
        UPDATE trade t SET settlement_status = 'SUBMITTED', chain_tx_hash = o.tx_hash
          FROM o WHERE o.kind = 'trade' AND t.id = o.payload->>'tradeId'
           AND t.settlement_status = 'PENDING'`,
      values: [due.map((f) => f.record.id.toString()), due.map((f) => f.txHash)],
    });
  }

  /** Rows the chain has nothing to record for: FINAL without a transaction. */
  private async markSkipped(skipped: { record: OutboxRecord; reason: string }[]): Promise<void> {
    await this.db.pool.query(
      `UPDATE settlement_outbox o SET status = 'FINAL', last_error = u.reason, final_at = now(), updated_at = now()
         FROM unnest($1::bigint[], $2::text[]) AS u(id, reason) WHERE o.id = u.id AND o.status = 'PENDING'`,
      [skipped.map((s) => s.record.id.toString()), skipped.map((s) => `skipped: ${s.reason}`)],
    );
    for (const s of skipped) {
      this.remember(s.record.id);
      this.finalized += 1;
      const outcome = { final: true, height: null, code: null, txHash: null };
      this.builders.get(s.record.kind)?.onSettled?.(s.record, outcome);
      this.events.onSettled?.(s.record, outcome);
    }
  }

  /**
   * Whether what a row settles is already on chain (from an attempt whose hash was not recorded,
   * or a transaction still in a peer's mempool when the engine restarted).
   */
  private async alreadyOnChain(
    record: OutboxRecord,
  ): Promise<{ hash: string; height: number } | null> {
    const p = record.payload;
    switch (record.kind) {
      case 'trade':
        return this.findTradeSettlement(String(p.tradeId));
      case 'deposit': {
        const { rows } = await this.db.pool.query<{ hash: string }>(
          `SELECT hash FROM chain_tx WHERE kind = 'THB_ISSUE' ORDER BY height DESC LIMIT 10000`,
        );
        for (const r of rows) {
          const found = await this.chain.query.tx(r.hash);
          if (found?.tx.kind === 'THB_ISSUE' && found.tx.body.depositRef === String(p.depositRef)) {
            return { hash: found.tx.hash, height: found.height };
          }
        }
        return null;
      }
      case 'mandate': {
        const address = await this.chain.addressOf(String(p.accountId));
        const account = this.chain.query.account(address);
        return account?.mandates.includes(this.chain.addressOfRole('clearing'))
          ? { hash: '', height: this.chain.query.head().height }
          : null;
      }
      default:
        return this.builders.get(record.kind)?.alreadyOnChain?.(record, this.chain) ?? null;
    }
  }

  private async findTradeSettlement(
    tradeId: string,
  ): Promise<{ hash: string; height: number } | null> {
    const escrow = this.chain.query.escrow(tradeId);
    if (!escrow) return null;
    const found = await this.chain.query.block(escrow.createdHeight);
    const tx = found?.block.txs.find(
      (t) => t.kind === 'TRADE_SETTLE' && t.body.tradeId === tradeId,
    );
    return tx ? { hash: tx.hash, height: escrow.createdHeight } : null;
  }

  private classify(
    record: OutboxRecord,
    code: string,
    message: string,
    retry: { id: bigint; error: string }[],
    failed: { record: OutboxRecord; code: string; message: string }[],
  ): void {
    if (TRANSIENT.has(code) && (record.attempts < MAX_ATTEMPTS || code === 'ENGINE_WAIT_EARLIER')) {
      const backoff =
        code === 'ENGINE_WAIT_EARLIER'
          ? 100
          : Math.min(30_000, 100 * 2 ** Math.min(record.attempts, 8));
      this.retryAfter.set(record.id, Date.now() + backoff);
      retry.push({ id: record.id, error: `${code}: ${message}` });
    } else {
      failed.push({ record, code, message });
    }
  }

  /** The transaction an outbox row stands for, or a reason it cannot be built yet. */
  private async build(r: OutboxRecord): Promise<BuildResult> {
    const p = r.payload;
    switch (r.kind) {
      case 'trade': {
        const t = p as unknown as TradePayload;
        const buyer = await this.addressOrClearing(t.buyerId);
        const seller = await this.addressOrClearing(t.sellerId);
        const amount = buyerTotalOf(t);
        const coins = this.chain.query.selectCoins(buyer, 'THB', amount);
        if (!coins)
          return {
            code: 'ENGINE_NO_COINS',
            message: `buyer ${buyer.slice(0, 8)} cannot cover ${amount} satang yet`,
          };
        return this.chain.sign({ role: 'clearing' }, 'TRADE_SETTLE', {
          tradeId: t.tradeId,
          buyer,
          seller,
          buyerZone: t.buyZone,
          sellerZone: t.sellZone,
          intervalStartMs: t.intervalStart,
          quantityWh: BigInt(t.quantityWh),
          priceTicks: BigInt(t.priceTicks),
          amountSatang: amount,
          inputs: coins.map((c) => ({ txHash: c.txHash, index: c.index })),
        });
      }
      case 'mandate':
        return this.chain.sign({ accountId: String(p.accountId) }, 'MANDATE_SET', {
          clearing: this.chain.addressOfRole('clearing'),
          granted: true,
        });
      case 'deposit':
        return this.chain.sign({ role: 'bank' }, 'THB_ISSUE', {
          depositRef: String(p.depositRef),
          to: await this.chain.addressOf(String(p.accountId)),
          amountSatang: BigInt(String(p.amountSatang)),
        });
      case 'grid.halt': {
        // The chain refuses trades in a halted zone, and orders emergency transactions first in
        // a block; trades matched before the halt must be final before the halt is attested.
        const earlier = await this.db.pool.query(
          `SELECT 1 FROM settlement_outbox WHERE kind = 'trade' AND id < $1
              AND status IN ('PENDING', 'SUBMITTED')
              AND (payload->>'buyZone' = $2 OR payload->>'sellZone' = $2) LIMIT 1`,
          [r.id.toString(), String(p.zone)],
        );
        if (earlier.rowCount) {
          return {
            code: 'ENGINE_WAIT_EARLIER',
            message: 'earlier trades in the zone are still settling',
          };
        }
        return this.chain.sign({ role: 'EGAT' }, 'GRID_ZONE_HALT', {
          zone: String(p.zone),
          reason: String(p.reason).slice(0, 200),
        });
      }
      case 'grid.resume':
        return this.chain.sign({ role: 'EGAT' }, 'GRID_ZONE_RESUME', { zone: String(p.zone) });
      case 'grid.linkCapacity': {
        const link = this.chain.query.grid().links.find((l) => l.from === p.from && l.to === p.to);
        return this.chain.sign({ role: 'EGAT' }, 'GRID_LINK_SET', {
          from: String(p.from),
          to: String(p.to),
          capacityWh: BigInt(Number(p.capacityWh)),
          wheelingTicks: link?.wheelingTicks ?? 0,
        });
      }
      default: {
        const builder = this.builders.get(r.kind);
        if (builder) return builder.build(r, this.chain);
        return {
          code: 'ENGINE_UNKNOWN_OUTBOX_KIND',
          message: `no transaction for outbox kind ${r.kind}`,
        };
      }
    }
  }

  private async addressOrClearing(accountId: string): Promise<string> {
    const clearingAccount = await this.clearingAccountId();
    return accountId === clearingAccount
      ? this.chain.addressOfRole('clearing')
      : this.chain.addressOf(accountId);
  }

  private clearingId: string | null | undefined;
  private async clearingAccountId(): Promise<string | null> {
    if (this.clearingId === undefined) {
      const row = await this.db.prisma.account.findUnique({
        where: { email: 'clearing@gridtokenx.local' },
        select: { id: true },
      });
      this.clearingId = row?.id ?? null;
    }
    return this.clearingId;
  }

  private async onCommit(event: CommitEvent): Promise<void> {
    const done: { record: OutboxRecord; txHash: string; height: number }[] = [];
    for (const tx of event.txs) {
      const f = this.inflight.get(tx.hash);
      if (f) done.push({ record: f.record, txHash: tx.hash, height: event.height });
    }
    if (done.length) await this.markFinal(done);
  }

  /** Transactions the chain dropped from its mempool go back to PENDING. */
  async dropped(txHash: string, code: string, message: string): Promise<void> {
    const f = this.untrack(txHash);
    if (!f) return;
    await this.db.pool.query(
      `UPDATE settlement_outbox SET status = 'PENDING', last_error = $2, updated_at = now()
        WHERE id = $1 AND status IN ('PENDING', 'SUBMITTED')`,
      [f.record.id.toString(), `${code}: ${message}`],
    );
    // Below the newest id seen: only a sweep finds it again.
    this.sweepDue = true;
  }

  private async markFinal(
    done: { record: OutboxRecord; txHash: string; height: number }[],
  ): Promise<void> {
    // One statement: the rows and their trades become FINAL together, in one round trip.
    await this.db.pool.query({
      name: 'gtx_settlement_final_v1',
      text: `WITH o AS (
          UPDATE settlement_outbox o SET status = 'FINAL', tx_hash = u.h, height = u.height,
                 final_at = now(), updated_at = now()
            FROM unnest($1::bigint[], $2::text[], $3::bigint[]) AS u(id, h, height)
           WHERE o.id = u.id
          RETURNING o.kind, o.payload, o.tx_hash, o.height)
        UPDATE trade t SET settlement_status = 'FINAL', chain_tx_hash = o.tx_hash,
               chain_height = o.height
          FROM o WHERE o.kind = 'trade' AND t.id = o.payload->>'tradeId'`,
      values: [
        done.map((d) => d.record.id.toString()),
        done.map((d) => d.txHash),
        done.map((d) => d.height),
      ],
    });
    for (const d of done) {
      this.untrack(d.txHash);
      this.remember(d.record.id);
      this.finalized += 1;
      const outcome = { final: true, height: d.height, code: null, txHash: d.txHash };
      this.builders.get(d.record.kind)?.onSettled?.(d.record, outcome);
      this.events.onSettled?.(d.record, outcome);
    }
  }

  private async markFailed(
    failed: { record: OutboxRecord; code: string; message: string }[],
  ): Promise<void> {
    for (const f of failed) {
      this.logger.error(
        { key: f.record.key, code: f.code, message: f.message },
        'settlement failed',
      );
      await this.db.pool.query(
        `UPDATE settlement_outbox SET status = 'FAILED', last_error = $2, attempts = attempts + 1, updated_at = now() WHERE id = $1`,
        [f.record.id.toString(), `${f.code}: ${f.message}`],
      );
      if (f.record.kind === 'trade') {
        await this.db.pool.query(`UPDATE trade SET settlement_status = 'FAILED' WHERE id = $1`, [
          String(f.record.payload.tradeId),
        ]);
      }
      this.remember(f.record.id);
      this.failed += 1;
      const outcome = { final: false, height: null, code: f.code };
      this.builders.get(f.record.kind)?.onSettled?.(f.record, outcome);
      this.events.onSettled?.(f.record, outcome);
    }
  }
}

/** Orders decimal id strings numerically. */
function compareIds(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}

function toRecord(r: OutboxRow): OutboxRecord {
  return {
    id: BigInt(r.id),
    key: r.key,
    kind: r.kind,
    payload: r.payload,
    attempts: r.attempts,
    createdAt: r.created_at,
  };
}
