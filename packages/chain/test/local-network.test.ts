// LocalNetwork, the engine's default mode (MEM-4): its event stream carries every committed height once
// and in order from whichever validators run — with the first validator stopped too, and with it
// catching up after a restart (the host would otherwise see no finality while EGAT alone is down).
import { afterEach, describe, expect, it } from 'vitest';
import { ChainError } from '../src/errors.ts';
import { SimClock } from '../src/internal/clock/sim-clock.ts';
import { MemoryStore } from '../src/internal/store/memory-store.ts';
import type { StoredBlock } from '../src/internal/store/store.ts';
import type { ChainEvent, CommitEvent } from '../src/internal/node/events.ts';
import { LocalNetwork, RESUBMIT_AFTER_MS } from '../src/internal/node/local-network.ts';
import type { LocalNetworkOptions } from '../src/internal/node/local-network.ts';
import { BUYERS, GENESIS_TIME, SELLERS, VALIDATORS, testGenesis } from './support/fixtures.ts';
import { thbOf, trade } from './support/txs.ts';

let local: LocalNetwork | null = null;
afterEach(async () => {
  await local?.stop();
  local = null;
});

const commits = (events: readonly ChainEvent[]): CommitEvent[] =>
  events.filter((e): e is CommitEvent => e.type === 'commit');

/**
 * The four test validators on a simulated clock (idle blocks every 2 s), each on a store that
 * fails on demand, with the network's events recorded.
 */
async function startLocal(options: Partial<LocalNetworkOptions> = {}) {
  const clock = new SimClock(GENESIS_TIME + 1_000);
  const stores = VALIDATORS.map(() => new FlakyStore());
  const net = await LocalNetwork.start({
    genesis: testGenesis(),
    validatorKeys: VALIDATORS.map((k) => k.secretKey),
    stores,
    clock,
    latencyMs: 5,
    timeouts: { idleBlockMs: 2_000 },
    onFatal: () => undefined,
    ...options,
  });
  local = net;
  const events: ChainEvent[] = [];
  net.subscribe((e) => events.push(e));
  return { net, clock, stores, events };
}

describe('LocalNetwork events', () => {
  it('commits keep arriving, once per height, while the first validator is down and after it returns', async () => {
    const { net, clock, events } = await startLocal();
    const committed = (hash: string) =>
      commits(events).some((c) => c.txs.some((t) => t.hash === hash));

    const first = net.submit(trade(BUYERS[0]!, SELLERS[0]!, thbOf(BUYERS[0]!)));
    expect(first.ok).toBe(true);
    if (!first.ok) return;
    expect(await clock.run(() => committed(first.txHash), 30_000)).toBe(true);

    // EGAT (the first validator, whose events the host used to follow alone) stops.
    await net.nodes[0]!.stop();
    const second = net.submit(trade(BUYERS[1]!, SELLERS[1]!, thbOf(BUYERS[1]!)));
    expect(second.ok).toBe(true);
    if (!second.ok) return;
    expect(await clock.run(() => committed(second.txHash), 30_000)).toBe(true);
    const whileDown = commits(events).find((c) =>
      c.txs.some((t) => t.hash === second.txHash),
    )!.height;
    expect(net.nodes[0]!.query.head().height).toBeLessThan(whileDown);

    // EGAT returns and catches up through the heights it missed: none of them is repeated.
    await net.nodes[0]!.start();
    expect(await clock.run(() => net.nodes[0]!.query.head().height >= whileDown + 2, 60_000)).toBe(
      true,
    );

    const heights = commits(events).map((c) => c.height);
    expect(heights.length).toBeGreaterThan(3);
    heights.forEach((h, i) => {
      if (i > 0) expect(h).toBe(heights[i - 1]! + 1);
    });
    const byHeight = new Map(commits(events).map((c) => [c.height, c.hash]));
    for (const [h, hash] of byHeight) {
      expect((await net.nodes[0]!.query.block(h))?.block.hash).toBe(hash);
    }
    expect(events.filter((e) => e.type === 'fatal')).toEqual([]);
  });

  it('queries and submissions go to a validator that keeps up while a restarted one catches up', async () => {
    const { net, clock, events } = await startLocal();
    const head = () => Math.max(0, ...commits(events).map((c) => c.height));
    await net.nodes[0]!.stop();
    expect(await clock.run(() => head() >= 5, 60_000)).toBe(true); // idle blocks without EGAT
    await net.nodes[0]!.start();
    // EGAT is back but still blocks behind: balances and coins are read elsewhere meanwhile.
    expect(net.nodes[0]!.query.head().height).toBeLessThan(head() - 2);
    expect(net.query.head().height).toBeGreaterThanOrEqual(head() - 2);
    const sent = net.submit(trade(BUYERS[6]!, SELLERS[6]!, thbOf(BUYERS[6]!)));
    expect(sent.ok).toBe(true);
    if (!sent.ok) return;
    expect(
      await clock.run(
        () => commits(events).some((c) => c.txs.some((t) => t.hash === sent.txHash)),
        30_000,
      ),
    ).toBe(true);
  });

  it('a submission only the stopped first validator held is offered to the next one and commits', async () => {
    const { net, clock, events } = await startLocal();
    // EGAT admits it and stops before its gossip batch leaves: no other validator has it.
    const lost = net.submit(trade(BUYERS[2]!, SELLERS[2]!, thbOf(BUYERS[2]!)));
    expect(lost.ok).toBe(true);
    if (!lost.ok) return;
    const submittedAt = clock.now();
    await net.nodes[0]!.stop();

    const committedAt = () =>
      commits(events).find((c) => c.txs.some((t) => t.hash === lost.txHash))?.timeMs;
    expect(await clock.run(() => committedAt() !== undefined, RESUBMIT_AFTER_MS + 10_000)).toBe(
      true,
    );
    // Not before it was offered again (nobody else had it), and soon after.
    expect(committedAt()! - submittedAt).toBeGreaterThanOrEqual(RESUBMIT_AFTER_MS);
    expect(committedAt()! - submittedAt).toBeLessThan(RESUBMIT_AFTER_MS + 3_000);
    expect(events.filter((e) => e.type === 'dropped')).toEqual([]);
  });

  it('a resubmission the chain now refuses is reported as dropped with its code', async () => {
    const { net, clock, events } = await startLocal();
    const coin = thbOf(BUYERS[3]!);
    const lost = net.submit(trade(BUYERS[3]!, SELLERS[3]!, coin));
    expect(lost.ok).toBe(true);
    if (!lost.ok) return;
    await net.nodes[0]!.stop();
    // Meanwhile the same coin is spent by another settlement that does reach the chain.
    const other = net.submit(trade(BUYERS[3]!, SELLERS[4]!, coin));
    expect(other.ok).toBe(true);
    expect(
      await clock.run(() => events.some((e) => e.type === 'dropped'), RESUBMIT_AFTER_MS + 10_000),
    ).toBe(true);
    const dropped = events.find((e) => e.type === 'dropped');
    expect(dropped).toMatchObject({ txHash: lost.txHash });
    expect(dropped?.type === 'dropped' && dropped.code).toMatch(/^CHAIN_/);
  });

  it('validators stopped by failing store writes start again from their stores and commit', async () => {
    const restarted: string[] = [];
    const { net, clock, stores, events } = await startLocal({
      onRestart: (address) => restarted.push(address),
    });
    expect(await clock.run(() => net.nodes[1]!.query.head().height >= 1, 30_000)).toBe(true);

    for (const s of stores) s.failure = () => new Error('disk full');
    const sent = net.submit(trade(BUYERS[5]!, SELLERS[5]!, thbOf(BUYERS[5]!)));
    expect(sent.ok).toBe(true);
    if (!sent.ok) return;
    expect(await clock.run(() => net.nodes.every((n) => !n.isRunning), 30_000)).toBe(true);
    const stuckAt = Math.max(...stores.map((s) => s.height));
    // Still failing: each start again meets the failure and stops, with growing delays.
    await clock.advance(20_000);
    expect(Math.max(...stores.map((s) => s.height))).toBe(stuckAt);

    for (const s of stores) s.failure = null;
    expect(
      await clock.run(
        () => commits(events).some((c) => c.txs.some((t) => t.hash === sent.txHash)),
        60_000,
      ),
    ).toBe(true);
    expect(await clock.run(() => net.nodes.every((n) => n.isRunning), 30_000)).toBe(true);
    expect(new Set(restarted)).toEqual(new Set(VALIDATORS.map((k) => k.address)));
    const heights = commits(events).map((c) => c.height);
    heights.forEach((h, i) => {
      if (i > 0) expect(h).toBe(heights[i - 1]! + 1);
    });
  });

  it('a validator stopped by a chain rule (a corrupt store) stays stopped', async () => {
    const { net, clock, stores } = await startLocal();
    stores[3]!.failure = () => new ChainError('CHAIN_STORE_CORRUPT', 'checksum mismatch');
    expect(await clock.run(() => !net.nodes[3]!.isRunning, 30_000)).toBe(true);
    stores[3]!.failure = null;
    await clock.advance(60_000);
    expect(net.nodes[3]!.isRunning).toBe(false);
    expect(net.nodes.slice(0, 3).every((n) => n.isRunning)).toBe(true);
  });
});

/** A memory store whose writes fail while `failure` is set. */
class FlakyStore extends MemoryStore {
  failure: (() => Error) | null = null;
  height = 0;

  override async append(record: StoredBlock): Promise<void> {
    if (this.failure) throw this.failure();
    await super.append(record);
    this.height = record.height;
  }

  override async putSignState(bytes: Uint8Array): Promise<void> {
    if (this.failure) throw this.failure();
    await super.putSignState(bytes);
  }
}
