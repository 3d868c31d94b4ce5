// Catching up (SYNC-1, SYNC-2) and fork detection (CONS-12). Peers announce their height; a node
// behind asks one that is ahead for a batch of blocks with their commit certificates and applies
// them only with a quorum certificate. A certificate for a different block at a height we
// committed is proof of a fork and stops the node.
import { ChainError } from '../../errors.ts';
import { decodeBlock, decodeCommit } from '../block.ts';
import type { Block } from '../block.ts';
import type { Clock } from '../clock/clock.ts';
import { commitPower } from '../consensus/types.ts';
import type { CommitCertificate } from '../consensus/types.ts';
import type { VerifyFn } from '../crypto/signature-rule.ts';
import type { ValidatorSet } from '../state/validators.ts';
import type { ChainStore } from '../store/store.ts';
import type { SyncedBlock, Transport } from '../transport/transport.ts';

const SYNC_BATCH = 20;
const SYNC_RETRY_MS = 2_000;
const SYNC_MAX_BYTES = 8_000_000;
const RECENT_HEIGHTS = 256;

export interface SyncHost {
  readonly chainId: string;
  readonly clock: Clock;
  readonly transport: Transport;
  readonly store: ChainStore;
  readonly verify: VerifyFn;
  height(): number;
  /** The set that validates the next height. */
  validators(): ValidatorSet;
  isRunning(): boolean;
  /** Validates and commits a certified block at height + 1; throws if a certified block fails. */
  commitCertified(block: Block, commit: CommitCertificate): Promise<void>;
}

export class BlockSync {
  private readonly peerHeights = new Map<string, number>();
  private inFlight: { peer: string; atMs: number } | null = null;
  /** Hash and validator set of recent heights (CONS-12). */
  private readonly recent = new Map<number, { hash: string; validators: ValidatorSet }>();

  constructor(private readonly host: SyncHost) {}

  noteCommitted(height: number, hash: string, validators: ValidatorSet): void {
    this.recent.set(height, { hash, validators });
    this.recent.delete(height - RECENT_HEIGHTS);
  }

  onStatus(peer: string, height: number): void {
    this.peerHeights.set(peer, height);
    this.maybeSync();
  }

  /** The highest height a reachable peer announced (our own when none is ahead, or known). */
  bestPeerHeight(): number {
    const reachable = new Set(this.host.transport.peers());
    let best = this.host.height();
    for (const [peer, height] of this.peerHeights) {
      if (height > best && reachable.has(peer)) best = height;
    }
    return best;
  }

  /** SYNC-1: ask a peer that is ahead for the blocks we lack. */
  maybeSync(): void {
    const now = this.host.clock.now();
    if (this.inFlight !== null && now - this.inFlight.atMs < SYNC_RETRY_MS) return;
    const mine = this.host.height();
    const reachable = this.host.transport.peers();
    let best: string | null = null;
    let bestHeight = mine;
    for (const [peer, height] of this.peerHeights) {
      if (height > bestHeight && reachable.includes(peer)) {
        best = peer;
        bestHeight = height;
      }
    }
    if (best === null) {
      this.inFlight = null;
      return;
    }
    this.inFlight = { peer: best, atMs: now };
    this.host.transport.send(best, {
      type: 'syncRequest',
      fromHeight: mine + 1,
      maxBlocks: SYNC_BATCH,
    });
  }

  serve(peer: string, fromHeight: number, maxBlocks: number): void {
    const to = Math.min(this.host.height(), fromHeight + Math.min(maxBlocks, SYNC_BATCH) - 1);
    if (fromHeight < 1 || to < fromHeight) return;
    void (async () => {
      const blocks: SyncedBlock[] = [];
      let bytes = 0;
      for (let h = fromHeight; h <= to && bytes < SYNC_MAX_BYTES; h++) {
        const rec = await this.host.store.block(h);
        if (rec === null) break;
        blocks.push({
          block: decodeBlock(this.host.chainId, rec.block),
          commit: decodeCommit(rec.commit),
        });
        bytes += rec.block.length;
      }
      if (blocks.length > 0 && this.host.isRunning()) {
        this.host.transport.send(peer, { type: 'syncResponse', blocks });
      }
    })().catch(() => undefined);
  }

  /** SYNC-2: a synced block is applied only with a valid quorum certificate for it. */
  async apply(peer: string, blocks: readonly SyncedBlock[]): Promise<void> {
    if (this.inFlight?.peer === peer) this.inFlight = null;
    for (const { block, commit } of blocks) {
      const height = block.header.height;
      if (height <= this.host.height()) {
        this.checkFork(block, commit);
        continue;
      }
      if (height !== this.host.height() + 1) break;
      if (commit.height !== height || commit.blockHash !== block.hash) break;
      const set = this.host.validators();
      const power = commitPower(this.host.chainId, commit, (a) => set.powerOf(a), this.host.verify);
      if (typeof power === 'string' || !set.isQuorum(power)) break;
      await this.host.commitCertified(block, commit);
    }
    this.maybeSync();
  }

  /** CONS-12: a valid certificate for a different block at a height we committed is a fork. */
  private checkFork(block: Block, commit: CommitCertificate): void {
    const height = block.header.height;
    const ours = this.recent.get(height);
    if (ours === undefined || ours.hash === block.hash) return;
    if (commit.height !== height || commit.blockHash !== block.hash) return;
    const power = commitPower(
      this.host.chainId,
      commit,
      (a) => ours.validators.powerOf(a),
      this.host.verify,
    );
    if (typeof power === 'number' && ours.validators.isQuorum(power)) {
      throw new ChainError(
        'CHAIN_FORK_DETECTED',
        `two certified blocks at height ${height}: ${ours.hash} and ${block.hash}`,
      );
    }
  }
}
