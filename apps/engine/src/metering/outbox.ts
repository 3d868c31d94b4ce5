// How metered energy reaches the chain: `meter.mint` (METER_MINT, injection → GT to the owner)
// and `meter.burn` (CONSUMPTION_BURN of the GT the owner held after the interval's deliveries),
// each signed by the zone's distribution authority (MEA or PEA, METERING role). The rows are
// written by the interval's delivery settlement; the chain refuses a second mint or burn of a
// meter interval, so a retry never attests twice.
import type { TxKind } from '@gridtokenx/chain';
import type { ChainHost } from '../chain/host.ts';
import type { Database } from '../db/index.ts';
import type { Logger } from '../log.ts';
import { earlierPending } from '../settlement/dependencies.ts';
import type { OutboxBuilder, OutboxRecord } from '../settlement/worker.ts';

interface AttestPayload {
  meterId: string;
  ownerId: string;
  zone: string;
  authority: 'MEA' | 'PEA';
  kind?: string;
  intervalStart: number;
  energyWh: string;
}

const payloadOf = (r: OutboxRecord) => r.payload as unknown as AttestPayload;

/** The transaction of `kind` attesting a meter interval, found in recent blocks. */
async function findAttestation(
  db: Database,
  chain: ChainHost,
  kind: TxKind,
  p: AttestPayload,
  fromHeight: number,
): Promise<{ hash: string; height: number } | null> {
  const { rows } = await db.pool.query<{ hash: string }>(
    `SELECT hash FROM chain_tx WHERE kind = $1 AND height >= $2 ORDER BY height DESC LIMIT 20000`,
    [kind, fromHeight],
  );
  for (const r of rows) {
    const found = await chain.query.tx(r.hash);
    const body = found?.tx.body as { meterId?: string; intervalStartMs?: number } | undefined;
    if (found && body?.meterId === p.meterId && body.intervalStartMs === p.intervalStart) {
      return { hash: r.hash, height: found.height };
    }
  }
  return null;
}

export function meterMintBuilder(db: Database, logger: Logger): OutboxBuilder {
  return {
    async build(record, chain) {
      const p = payloadOf(record);
      return chain.sign({ role: p.authority }, 'METER_MINT', {
        meterId: p.meterId,
        owner: await chain.addressOf(p.ownerId),
        zone: p.zone,
        technology: p.kind === 'CONSUMPTION' || p.kind === undefined ? 'OTHER' : (p.kind as never),
        intervalStartMs: p.intervalStart,
        energyWh: BigInt(p.energyWh),
      });
    },
    async alreadyOnChain(record, chain) {
      const p = payloadOf(record);
      const reading = chain.query.meterReading(p.meterId, p.intervalStart);
      if (!reading) return null;
      const found = await chain.query.block(reading.height);
      const tx = found?.block.txs.find(
        (t) =>
          t.kind === 'METER_MINT' &&
          t.body.meterId === p.meterId &&
          t.body.intervalStartMs === p.intervalStart,
      );
      return tx ? { hash: tx.hash, height: reading.height } : null;
    },
    onSettled(record, outcome) {
      if (!outcome.final || !outcome.txHash) return;
      const p = payloadOf(record);
      db.pool
        .query(
          `UPDATE meter_reading SET chain_tx_hash = $3 WHERE meter_id = $1 AND interval_start = $2`,
          [p.meterId, new Date(p.intervalStart), outcome.txHash],
        )
        .catch((err: unknown) => logger.error({ err, key: record.key }, 'recording a mint failed'));
    },
  };
}

export function meterBurnBuilder(db: Database, logger: Logger): OutboxBuilder {
  return {
    async build(record, chain) {
      const p = payloadOf(record);
      const owner = await chain.addressOf(p.ownerId);
      const energyWh = BigInt(p.energyWh);
      const coins = chain.query.selectCoins(owner, 'GT', energyWh);
      if (!coins) {
        return (await earlierPending(db, record, ['meter.mint', 'delivery'], [p.ownerId]))
          ? { code: 'ENGINE_WAIT_EARLIER', message: 'the interval’s deliveries are still settling' }
          : { code: 'ENGINE_NO_COINS', message: `owner holds less than ${energyWh} Wh GT` };
      }
      return chain.sign({ role: p.authority }, 'CONSUMPTION_BURN', {
        meterId: p.meterId,
        owner,
        zone: p.zone,
        intervalStartMs: p.intervalStart,
        energyWh,
        inputs: coins.map((c) => ({ txHash: c.txHash, index: c.index })),
      });
    },
    alreadyOnChain(record, chain) {
      return findAttestation(db, chain, 'CONSUMPTION_BURN', payloadOf(record), 0);
    },
    onSettled(record, outcome) {
      if (!outcome.final || !outcome.txHash) return;
      const p = payloadOf(record);
      db.pool
        .query(
          `UPDATE meter_reading SET burn_tx_hash = $3 WHERE meter_id = $1 AND interval_start = $2`,
          [p.meterId, new Date(p.intervalStart), outcome.txHash],
        )
        .catch((err: unknown) => logger.error({ err, key: record.key }, 'recording a burn failed'));
    },
  };
}

/** Registers the metering kinds with the settlement worker. */
export function registerMeteringOutbox(
  worker: { register(kind: string, builder: OutboxBuilder): void },
  db: Database,
  logger: Logger,
): void {
  worker.register('meter.mint', meterMintBuilder(db, logger));
  worker.register('meter.burn', meterBurnBuilder(db, logger));
}
