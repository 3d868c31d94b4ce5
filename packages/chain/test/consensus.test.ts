// Scenario-named consensus tests (CONS-1..13) on a simulated clock: four validators of equal
// weight, so one may fail (75 % > 2/3) but two may not (50 %).
import { afterEach, describe, expect, it } from 'vitest';
import { createFastSigner } from '../src/internal/crypto/node-ed25519.ts';
import { signVote } from '../src/internal/consensus/types.ts';
import type { Transport } from '../src/internal/transport/transport.ts';
import { getRecord } from '../src/internal/state/view.ts';
import { BUYERS, CHAIN_ID, SELLERS, VALIDATORS } from './support/fixtures.ts';
import { SimNet } from './support/sim-network.ts';
import { thbOf, trade } from './support/txs.ts';

let sim: SimNet | null = null;
afterEach(async () => {
  await sim?.stopAll();
  sim = null;
});

const ALL = [0, 1, 2, 3];

async function agreeOnPrefix(s: SimNet, nodes: number[]): Promise<void> {
  const chains = await Promise.all(nodes.map((i) => s.hashes(i)));
  const n = Math.min(...chains.map((c) => c.length));
  for (const c of chains) expect(c.slice(0, n)).toEqual(chains[0]!.slice(0, n));
}

describe('consensus scenarios (CONS-1..13)', () => {
  it('four validators commit (CONS-4)', async () => {
    sim = new SimNet();
    await sim.start();
    const s = sim;
    expect(s.nodes[0]!.node.submit(trade(BUYERS[0]!, SELLERS[0]!, thbOf(BUYERS[0]!))).ok).toBe(
      true,
    );
    expect(await s.runUntil(() => ALL.every((i) => s.height(i) >= 5), 60_000)).toBe(true);
    expect(s.fatal).toEqual([]);
    await agreeOnPrefix(s, ALL);
    const committed = s.nodes[2]!.events.flatMap((e) => (e.type === 'commit' ? e.txs : []));
    expect(committed.map((t) => t.kind)).toEqual(['TRADE_SETTLE']);
  });

  it('one down → still commit (CONS-4)', async () => {
    sim = new SimNet();
    await sim.start();
    const s = sim;
    await s.runUntil(() => s.height(0) >= 2, 30_000);
    await s.crash(3);
    const before = s.height(0);
    s.nodes[0]!.node.submit(trade(BUYERS[1]!, SELLERS[1]!, thbOf(BUYERS[1]!)));
    expect(await s.runUntil(() => [0, 1, 2].every((i) => s.height(i) >= before + 5), 120_000)).toBe(
      true,
    );
    expect(s.fatal).toEqual([]);
    await agreeOnPrefix(s, [0, 1, 2]);
  });

  it('two down → no commit and no fork, commit again once one returns (CONS-4, CONS-8)', async () => {
    sim = new SimNet();
    await sim.start();
    const s = sim;
    await s.runUntil(() => s.height(0) >= 2, 30_000);
    await s.crash(2);
    await s.crash(3);
    await s.clock.advance(500);
    const stuck = Math.max(s.height(0), s.height(1));
    s.nodes[0]!.node.submit(trade(BUYERS[2]!, SELLERS[2]!, thbOf(BUYERS[2]!)));
    await s.clock.advance(60_000);
    expect(s.height(0)).toBe(stuck);
    expect(s.height(1)).toBe(stuck);
    await s.restart(2);
    expect(await s.runUntil(() => [0, 1, 2].every((i) => s.height(i) >= stuck + 3), 180_000)).toBe(
      true,
    );
    expect(s.fatal).toEqual([]);
    await agreeOnPrefix(s, [0, 1, 2]);
  });

  it('a 2/2 partition → neither side commits, both converge after healing (CONS-7, CONS-13)', async () => {
    sim = new SimNet();
    await sim.start();
    const s = sim;
    await s.runUntil(() => ALL.every((i) => s.height(i) >= 2), 30_000);
    const [a, b, c, d] = s.nodes.map((n) => n.key.address) as [string, string, string, string];
    s.net.partition([a, b], [c, d]);
    await s.clock.advance(1_000);
    const frozen = ALL.map((i) => s.height(i));
    s.nodes[0]!.node.submit(trade(BUYERS[3]!, SELLERS[3]!, thbOf(BUYERS[3]!)));
    s.nodes[3]!.node.submit(trade(BUYERS[4]!, SELLERS[4]!, thbOf(BUYERS[4]!)));
    await s.clock.advance(60_000);
    expect(ALL.map((i) => s.height(i))).toEqual(frozen);
    s.net.heal();
    const top = Math.max(...frozen);
    expect(await s.runUntil(() => ALL.every((i) => s.height(i) >= top + 3), 180_000)).toBe(true);
    expect(s.fatal).toEqual([]);
    await agreeOnPrefix(s, ALL);
  });

  it('a validator double-signs → evidence, slash, no fork (CONS-9, STK-4)', async () => {
    const byzantine = 3;
    sim = new SimNet(undefined, undefined, (key, t): Transport => {
      if (key.address !== VALIDATORS[byzantine].address) return t;
      const signer = createFastSigner(key.secretKey);
      return {
        ...t,
        broadcast: (m) => {
          t.broadcast(m);
          if (m.type !== 'vote' || m.vote.validator !== key.address) return;
          // Equivocate: the same round and type, for nothing instead of the block (or vice versa).
          const other = signVote(CHAIN_ID, signer, {
            ...m.vote,
            blockHash: m.vote.blockHash === null ? 'ab'.repeat(32) : null,
          });
          const peers = t.peers();
          t.send(peers[0]!, { type: 'vote', vote: other });
        },
      };
    });
    await sim.start();
    const s = sim;
    const target = s.keys[byzantine]!.address;
    const jailed = (): boolean =>
      [0, 1, 2].every(
        (i) => getRecord(s.nodes[i]!.node.state, 'validator', target)?.jailed === true,
      );
    expect(await s.runUntil(jailed, 60_000)).toBe(true);
    const h = s.height(0);
    expect(await s.runUntil(() => [0, 1, 2].every((i) => s.height(i) >= h + 3), 60_000)).toBe(true);
    expect(s.fatal).toEqual([]);
    await agreeOnPrefix(s, ALL);
    const record = [...s.nodes[0]!.node.state.snapshotEntries()].filter(([k]) =>
      k.startsWith('ev:'),
    );
    expect(record.length).toBeGreaterThan(0);
    expect(s.nodes[0]!.node.validators.has(target)).toBe(false);
  });

  it('a crashed node restarts from its store and catches up (STORE-3, SYNC-1, SYNC-2)', async () => {
    sim = new SimNet();
    await sim.start();
    const s = sim;
    await s.runUntil(() => s.height(2) >= 2, 30_000);
    await s.crash(2);
    const crashedAt = s.height(2);
    for (let i = 5; i < 8; i++)
      s.nodes[0]!.node.submit(trade(BUYERS[i]!, SELLERS[i]!, thbOf(BUYERS[i]!)));
    await s.runUntil(() => s.height(0) >= crashedAt + 6, 120_000);
    await s.restart(2);
    expect(s.height(2)).toBe(crashedAt);
    // Once the peers' status arrives, the restarted node knows it is behind (what readiness uses).
    expect(
      await s.runUntil(() => s.nodes[2]!.node.syncStatus().bestPeerHeight > crashedAt + 3, 30_000),
    ).toBe(true);
    const target = s.height(0) + 2;
    expect(await s.runUntil(() => s.height(2) >= target, 120_000)).toBe(true);
    const synced = s.nodes[2]!.node.syncStatus();
    expect(synced.bestPeerHeight - synced.height).toBeLessThanOrEqual(1);
    expect(s.fatal).toEqual([]);
    await agreeOnPrefix(s, ALL);
    const me = s.keys[2]!.address;
    const signed = getRecord(s.nodes[0]!.node.state, 'liveness', me)?.lastSignedHeight ?? 0;
    expect(
      await s.runUntil(
        () => (getRecord(s.nodes[0]!.node.state, 'liveness', me)?.lastSignedHeight ?? 0) > target,
        60_000,
      ),
    ).toBe(true);
    expect(signed).toBeGreaterThanOrEqual(0);
  });
});
