// Helpers for outbox builders whose rows depend on earlier rows (a delivery spends GT a mint
// creates) or whose transactions carry no unique reference the chain could refuse a second
// time (a transfer): the attempt's hash is recorded before it is submitted, so a retry after a
// crash finds it on chain instead of paying twice.
import type { ChainHost } from '../chain/host.ts';
import type { Database } from '../db/index.ts';
import type { OutboxRecord } from './worker.ts';

/**
 * Whether an earlier row of `kinds` that mentions one of `accountIds` (as owner, buyer or
 * seller; null: any account) is still waiting to be submitted.
 */
export async function earlierPending(
  db: Database,
  record: OutboxRecord,
  kinds: readonly string[],
  accountIds: readonly string[] | null,
): Promise<boolean> {
  const { rowCount } = await db.pool.query(
    `SELECT 1 FROM settlement_outbox
      WHERE status = 'PENDING' AND id < $1 AND kind = ANY($2)
        AND ($3::text[] IS NULL OR payload->>'ownerId' = ANY($3) OR payload->>'buyerId' = ANY($3)
             OR payload->>'sellerId' = ANY($3))
      LIMIT 1`,
    [record.id.toString(), kinds, accountIds],
  );
  return (rowCount ?? 0) > 0;
}

/** Records the hash of the transaction about to be submitted for a row. */
export async function recordAttempt(
  db: Database,
  record: OutboxRecord,
  txHash: string,
): Promise<void> {
  await db.pool.query(
    `UPDATE settlement_outbox SET tx_hash = $2, updated_at = now() WHERE id = $1 AND status = 'PENDING'`,
    [record.id.toString(), txHash],
  );
}

/** The row's last recorded attempt, if it made it into a block. */
export async function previousAttemptOnChain(
  db: Database,
  chain: ChainHost,
  record: OutboxRecord,
): Promise<{ hash: string; height: number } | null> {
  const { rows } = await db.pool.query<{ tx_hash: string | null }>(
    `SELECT tx_hash FROM settlement_outbox WHERE id = $1`,
    [record.id.toString()],
  );
  const hash = rows[0]?.tx_hash;
  if (!hash) return null;
  const found = await chain.query.tx(hash);
  return found ? { hash, height: found.height } : null;
}
