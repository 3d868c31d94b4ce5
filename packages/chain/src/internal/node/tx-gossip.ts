// Transaction flow between nodes: outbound transactions are batched over a few milliseconds into
// one message; inbound batches (from peers and clients) wait in a queue admitted a chunk at a
// time (MEM-3), so votes and proposals overtake a transaction backlog on a busy node.
import type { Clock } from '../clock/clock.ts';
import type { Transport } from '../transport/transport.ts';
import type { Tx } from '../tx/tx.ts';
import type { SubmitResult } from './events.ts';

const ADMISSION_CHUNK = 256;

export interface TxGossipHost {
  readonly clock: Clock;
  readonly transport: Transport;
  /** Batch window for outbound transactions, ms. */
  readonly batchMs: number;
  isRunning(): boolean;
  admit(tx: Tx): SubmitResult;
  /** New transactions entered the mempool. */
  onAdded(): void;
  onError(err: unknown): void;
}

export class TxGossip {
  private outbound: Tx[] = [];
  private flushScheduled = false;
  private inbound: { from: string; txs: readonly Tx[] }[] = [];
  private admissionScheduled = false;

  constructor(private readonly host: TxGossipHost) {}

  /** Sends a transaction admitted here to every peer (in the next batch). */
  forward(tx: Tx): void {
    this.outbound.push(tx);
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    this.host.clock.setTimer(this.host.batchMs, () => {
      this.flushScheduled = false;
      const txs = this.outbound;
      this.outbound = [];
      if (this.host.isRunning() && txs.length > 0)
        this.host.transport.broadcast({ type: 'txs', txs });
    });
  }

  /** Queues a batch received from a peer or a client. */
  receive(from: string, txs: readonly Tx[]): void {
    this.inbound.push({ from, txs });
    this.scheduleAdmission();
  }

  private scheduleAdmission(): void {
    if (this.admissionScheduled) return;
    this.admissionScheduled = true;
    this.host.clock.setTimer(0, () => {
      this.admissionScheduled = false;
      if (!this.host.isRunning()) return;
      try {
        this.admitChunk(ADMISSION_CHUNK);
      } catch (err) {
        this.host.onError(err);
      }
      if (this.inbound.length > 0) this.scheduleAdmission();
    });
  }

  private admitChunk(budget: number): void {
    let added = false;
    while (budget > 0 && this.inbound.length > 0) {
      const batch = this.inbound.shift()!;
      const take = batch.txs.slice(0, budget);
      if (take.length < batch.txs.length)
        this.inbound.unshift({ from: batch.from, txs: batch.txs.slice(budget) });
      budget -= take.length;
      // Clients' transactions are forwarded to the peers; peers' are not (full mesh, NET-1).
      const fromClient = batch.from.startsWith('client:');
      const results: { hash: string; code: string | null }[] = [];
      for (const tx of take) {
        const r = this.host.admit(tx);
        if (r.ok && !r.alreadyPending) {
          added = true;
          if (fromClient) this.forward(tx);
        }
        if (fromClient) results.push({ hash: tx.hash, code: r.ok ? null : r.code });
      }
      if (fromClient) this.host.transport.send(batch.from, { type: 'txResults', results });
    }
    if (added) this.host.onAdded();
  }
}
