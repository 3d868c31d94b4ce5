// Starting a node again after a fatal stop that may pass. A node stops at its first failed store
// write, signing nothing it could not persist (CONS-10); such failures pass (a database failover,
// a full disk freed), so the host starts it again from its store after 1 s, 2 s, 4 s … at most
// 8 s (finality is back within seconds of the database), the delay reset by its next commit. A
// stop by a chain rule (a `ChainError`: a fork, an invariant, a corrupt store) is left for an
// operator (MEM-4).
import type { Clock } from '../clock/clock.ts';
import { ChainError } from '../../errors.ts';
import type { ChainNode } from './node.ts';

export const RESTART_FIRST_MS = 1_000;
const RESTART_MAX_MS = 8_000;

export class NodeRestarts {
  /** Fatal stops of each node since it last committed a block. */
  private readonly failures = new Map<ChainNode, number>();
  private closed = false;

  constructor(
    private readonly clock: Clock,
    private readonly onRestart?: (node: ChainNode, error: Error) => void,
  ) {}

  /** Follows `node`'s events: restarts after fatal stops, resets the delay on commits. */
  watch(node: ChainNode): () => void {
    return node.subscribe((event) => {
      if (event.type === 'commit') this.failures.delete(node);
      else if (event.type === 'fatal') this.schedule(node, event.error);
    });
  }

  private schedule(node: ChainNode, error: Error): void {
    if (this.closed || error instanceof ChainError) return;
    const attempt = (this.failures.get(node) ?? 0) + 1;
    this.failures.set(node, attempt);
    const delay = Math.min(RESTART_MAX_MS, RESTART_FIRST_MS * 2 ** (attempt - 1));
    this.clock.setTimer(delay, () => {
      if (this.closed) return;
      node.restart().then(
        () => this.onRestart?.(node, error),
        (err: unknown) => this.schedule(node, err instanceof Error ? err : new Error(String(err))),
      );
    });
  }

  /** No more restarts (the host is shutting down). */
  close(): void {
    this.closed = true;
  }
}
