// The chain's ChainStore over PostgreSQL: each hosted validator keeps its committed blocks,
// transaction locations, latest state snapshot and last-signed record in the engine's database.
// The stores of one database share blocks' bodies and transaction locations by block hash (the
// engine's four validators and its own node hold the same chain); each keeps its own heights.
// `append` commits before it resolves, so a block a validator acknowledged survives kill -9.
import type { ChainStore, StoredBlock, StoredSnapshot } from '@gridtokenx/chain';
import type pg from 'pg';

const bytes = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength);
const u8 = (b: Buffer) => new Uint8Array(b.buffer, b.byteOffset, b.byteLength);

/**
 * Signing-state writes of the validators that share one pool, as group commits: a write that
 * arrives while another is in flight joins the next statement, so the four validators persisting
 * their state before the same step cost one or two round trips and commits instead of four.
 * Each write still resolves only once it is committed, so no validator signs what it could not
 * persist (CONS-10); a failed statement rejects every write in it.
 */
export class SignStateWrites {
  private pending: {
    validator: string;
    state: Uint8Array;
    resolve: () => void;
    reject: (err: unknown) => void;
  }[] = [];
  private flushing = false;
  /** Statements written (for tests and diagnostics). */
  statements = 0;

  constructor(private readonly pool: pg.Pool) {}

  put(validator: string, state: Uint8Array): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ validator, state, resolve, reject });
      if (!this.flushing) {
        this.flushing = true;
        // Writes issued in this turn of the event loop join the first statement.
        setImmediate(() => void this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    try {
      while (this.pending.length > 0) {
        const batch = this.pending.splice(0);
        // One row per validator: its latest state (ON CONFLICT cannot touch a row twice). A
        // validator awaits each write before the next, so this only matters for a caller that
        // does not.
        const latest = new Map<string, Uint8Array>();
        for (const w of batch) latest.set(w.validator, w.state);
        try {
          await this.pool.query({
            text: `INSERT INTO chain_store_sign_state (validator, bytes)
                   SELECT * FROM unnest($1::text[], $2::bytea[])
                   ON CONFLICT (validator) DO UPDATE SET bytes = EXCLUDED.bytes`,
            values: [[...latest.keys()], [...latest.values()].map(bytes)],
          });
          this.statements += 1;
        } catch (err) {
          for (const w of batch) w.reject(err);
          continue;
        }
        for (const w of batch) w.resolve();
      }
    } finally {
      this.flushing = false;
    }
  }
}

export class PgChainStore implements ChainStore {
  constructor(
    private readonly pool: pg.Pool,
    /** Which validator's store this is (its address). */
    private readonly validator: string,
    /** Shared with the other validators' stores on this pool: their signing-state writes. */
    private readonly signStates?: SignStateWrites,
  ) {}

  async head(): Promise<{ height: number; hash: string } | null> {
    const { rows } = await this.pool.query<{ height: number; hash: string }>(
      `SELECT height, hash FROM chain_store_block WHERE validator = $1 ORDER BY height DESC LIMIT 1`,
      [this.validator],
    );
    return rows[0] ?? null;
  }

  /**
   * One statement, so one round trip and one commit per block: the block goes in only when it
   * follows the stored head (genesis, height 0, is rebuilt from its configuration, never
   * stored: the first block is 1). Its body and its transactions' locations are written by the
   * first store that appends that block hash; the others (the engine's other validators and its
   * own node hold the same blocks) add only their row of height, hash and commit.
   */
  async append(record: StoredBlock): Promise<void> {
    const { rows } = await this.pool.query<{ inserted: number; head: number }>({
      name: 'chain-store-append-v2',
      text: `WITH head AS (
               SELECT coalesce(max(height), 0)::int AS h FROM chain_store_block WHERE validator = $1::text
             ), blk AS (
               INSERT INTO chain_store_block (validator, height, hash, commit)
               SELECT $1, $2::int, $3::text, $5::bytea FROM head WHERE head.h = $2::int - 1
               RETURNING height
             ), body AS (
               INSERT INTO chain_store_block_body (hash, block, state_diff, tx_hashes)
               SELECT $3::text, $4::bytea, $6::bytea, $7::text[] WHERE EXISTS (SELECT 1 FROM blk)
               ON CONFLICT (hash) DO NOTHING
               RETURNING hash
             ), txs AS (
               INSERT INTO chain_store_block_tx (tx_hash, block_hash, index)
               SELECT u.h, $3::text, (u.i - 1)::int
                 FROM unnest($7::text[]) WITH ORDINALITY AS u(h, i)
                WHERE EXISTS (SELECT 1 FROM body)
             )
             SELECT (SELECT count(*) FROM blk)::int AS inserted, (SELECT h FROM head) AS head`,
      values: [
        this.validator,
        record.height,
        record.hash,
        bytes(record.block),
        bytes(record.commit),
        bytes(record.stateDiff),
        record.txHashes,
      ],
    });
    const r = rows[0]!;
    if (r.inserted !== 1) {
      throw new Error(
        `chain store ${this.validator.slice(0, 8)}: append at height ${record.height}, expected ${r.head + 1}`,
      );
    }
  }

  async block(height: number): Promise<StoredBlock | null> {
    const { rows } = await this.pool.query<{
      height: number;
      hash: string;
      block: Buffer;
      commit: Buffer;
      state_diff: Buffer;
      tx_hashes: string[];
    }>(
      `SELECT b.height, b.hash, d.block, b.commit, d.state_diff, d.tx_hashes
         FROM chain_store_block b JOIN chain_store_block_body d ON d.hash = b.hash
        WHERE b.validator = $1 AND b.height = $2`,
      [this.validator, height],
    );
    const r = rows[0];
    return r
      ? {
          height: r.height,
          hash: r.hash,
          block: u8(r.block),
          commit: u8(r.commit),
          stateDiff: u8(r.state_diff),
          txHashes: r.tx_hashes,
        }
      : null;
  }

  async heightOf(blockHash: string): Promise<number | null> {
    const { rows } = await this.pool.query<{ height: number }>(
      `SELECT height FROM chain_store_block WHERE validator = $1 AND hash = $2`,
      [this.validator, blockHash],
    );
    return rows[0]?.height ?? null;
  }

  async txLocation(txHash: string): Promise<{ height: number; index: number } | null> {
    const { rows } = await this.pool.query<{ height: number; index: number }>(
      `SELECT b.height, t.index
         FROM chain_store_block_tx t
         JOIN chain_store_block b ON b.validator = $1 AND b.hash = t.block_hash
        WHERE t.tx_hash = $2
        LIMIT 1`,
      [this.validator, txHash],
    );
    return rows[0] ?? null;
  }

  async latestSnapshot(): Promise<StoredSnapshot | null> {
    const { rows } = await this.pool.query<{ height: number; state: Buffer }>(
      `SELECT height, state FROM chain_store_snapshot WHERE validator = $1`,
      [this.validator],
    );
    const r = rows[0];
    return r ? { height: r.height, state: u8(r.state) } : null;
  }

  async putSnapshot(snapshot: StoredSnapshot): Promise<void> {
    await this.pool.query(
      `INSERT INTO chain_store_snapshot (validator, height, state) VALUES ($1, $2, $3)
       ON CONFLICT (validator) DO UPDATE SET height = EXCLUDED.height, state = EXCLUDED.state
       WHERE chain_store_snapshot.height < EXCLUDED.height`,
      [this.validator, snapshot.height, bytes(snapshot.state)],
    );
  }

  async signState(): Promise<Uint8Array | null> {
    const { rows } = await this.pool.query<{ bytes: Buffer }>(
      `SELECT bytes FROM chain_store_sign_state WHERE validator = $1`,
      [this.validator],
    );
    return rows[0] ? u8(rows[0].bytes) : null;
  }

  async putSignState(state: Uint8Array): Promise<void> {
    if (this.signStates) return this.signStates.put(this.validator, state);
    await this.pool.query(
      `INSERT INTO chain_store_sign_state (validator, bytes) VALUES ($1, $2)
       ON CONFLICT (validator) DO UPDATE SET bytes = EXCLUDED.bytes`,
      [this.validator, bytes(state)],
    );
  }

  async close(): Promise<void> {
    // The pool belongs to the engine's database and closes with it.
  }
}
