// Node behaviour beyond the consensus scenarios: block cadence (BLK-5), emergency ordering
// (BLK-6), mempool admission with PoW and pending chains (MEM-1..3, POW-2), dropped-transaction
// events, queries and proofs, follower determinism (REPLAY-1), the signing guard (CONS-10) and
// fork detection (CONS-12).
import { afterEach, describe, expect, it } from 'vitest';
import { ChainError } from '../src/errors.ts';
import { createFastSigner, verifyFast } from '../src/internal/crypto/node-ed25519.ts';
import { buildBlock } from '../src/internal/block.ts';
import { signVote } from '../src/internal/consensus/types.ts';
import { PrivValidator, STEP_PREVOTE } from '../src/internal/consensus/privval.ts';
import { ChainNode } from '../src/internal/node/node.ts';
import type { ChainEvent, CommitEvent } from '../src/internal/node/events.ts';
import { Mempool } from '../src/internal/node/mempool.ts';
import { replayFromStore } from '../src/internal/node/replay.ts';
import { executeBlock } from '../src/internal/state/execute.ts';
import type { BlockExecution } from '../src/internal/state/execute.ts';
import { buildGenesis } from '../src/internal/state/genesis.ts';
import { CommittedState } from '../src/internal/state/view.ts';
import { MemoryStore } from '../src/internal/store/memory-store.ts';
import { TxContext } from '../src/internal/state/rules/context.ts';
import { Overlay } from '../src/internal/state/view.ts';
import { paramsOf } from '../src/internal/state/execute.ts';
import { verifyTxInclusion } from '../src/browser.ts';
import type { Tx } from '../src/internal/tx/tx.ts';
import {
  BUYERS,
  CHAIN_ID,
  CLEARING,
  EGAT,
  MEA,
  SELLERS,
  VALIDATORS,
  testGenesis,
} from './support/fixtures.ts';
import { SimNet } from './support/sim-network.ts';
import { thbOf, trade, tx } from './support/txs.ts';

let sim: SimNet | null = null;
afterEach(async () => {
  await sim?.stopAll();
  sim = null;
});

const commits = (events: readonly ChainEvent[]): CommitEvent[] =>
  events.filter((e): e is CommitEvent => e.type === 'commit');

describe('block cadence (BLK-5)', () => {
  it('a waiting transaction is committed well under a second; idle blocks still come', async () => {
    sim = new SimNet();
    await sim.start();
    const s = sim;
    await s.runUntil(() => s.height(0) >= 2, 30_000);
    const idle = commits(s.nodes[0]!.events);
    const gaps = idle.slice(1).map((c, i) => c.timeMs - idle[i]!.timeMs);
    for (const g of gaps) expect(g).toBeLessThanOrEqual(2_000 + 100);
    await s.clock.advance(700);
    const submittedAt = s.clock.now();
    const t = trade(BUYERS[0]!, SELLERS[0]!, thbOf(BUYERS[0]!));
    expect(s.nodes[1]!.node.submit(t).ok).toBe(true);
    let committedAt = 0;
    s.nodes[1]!.node.subscribe((e) => {
      if (e.type === 'commit' && e.txs.some((x) => x.hash === t.hash)) committedAt = s.clock.now();
    });
    expect(await s.runUntil(() => committedAt > 0, 10_000)).toBe(true);
    expect(committedAt - submittedAt).toBeLessThan(1_000);
  });
});

describe('minimum block interval (BLK-5)', () => {
  it('with minBlockIntervalMs, blocks carrying waiting transactions come no sooner than that after their parent', async () => {
    sim = new SimNet(undefined, undefined, undefined, {}, { minBlockIntervalMs: 400 });
    await sim.start();
    const s = sim;
    await s.runUntil(() => s.height(0) >= 2, 30_000);
    const from = s.height(0);
    const hashes: string[] = [];
    // A transaction every 100 ms for 2 s: without the interval each would get its own block.
    for (let i = 0; i < 20; i++) {
      const buyer = BUYERS[i % BUYERS.length]!;
      const t = trade(buyer, SELLERS[0]!, thbOf(buyer), { tradeId: `interval-${i}` });
      const r = s.nodes[i % 4]!.node.submit(t);
      if (r.ok) hashes.push(t.hash);
      await s.clock.advance(100);
    }
    expect(hashes.length).toBeGreaterThan(0);
    const committed = (): Set<string> =>
      new Set(commits(s.nodes[0]!.events).flatMap((c) => c.txs.map((x) => x.hash)));
    expect(await s.runUntil(() => hashes.every((h) => committed().has(h)), 10_000)).toBe(true);
    const blocks = commits(s.nodes[0]!.events).filter((c) => c.height > from);
    const withTxs = blocks.filter((c) => c.txs.length > 0);
    for (const c of withTxs) {
      const parent = commits(s.nodes[0]!.events).find((p) => p.height === c.height - 1)!;
      expect(c.timeMs - parent.timeMs).toBeGreaterThanOrEqual(400);
    }
    expect(withTxs.length).toBeLessThan(hashes.length);
  });
});

describe('mempool (MEM-1..3, POW-2, BLK-6)', () => {
  it('puts grid-emergency transactions first; a trade in a zone halted ahead of it is left out', () => {
    const state = new CommittedState();
    buildGenesis(testGenesis(), state);
    const pool = new Mempool(state, CHAIN_ID, 1_000, () => ({
      height: 0,
      timeMs: 1_767_225_600_000,
    }));
    const t = trade(BUYERS[0]!, SELLERS[0]!, thbOf(BUYERS[0]!));
    const halt = tx('GRID_ZONE_HALT', MEA, { zone: 'MEA-BKK', reason: 'islanding' });
    expect(pool.add(t, 1_767_225_601_000).ok).toBe(true);
    expect(pool.add(halt, 1_767_225_601_000).ok).toBe(true);
    const reaped = pool.reap(1_000_000);
    expect(reaped.map((x) => x.kind)).toEqual(['GRID_ZONE_HALT', 'TRADE_SETTLE']);
    const exec = executeBlock(
      state,
      {
        chainId: CHAIN_ID,
        height: 1,
        timeMs: 1_767_225_602_000,
        txs: reaped,
        evidence: [],
        lastCommit: null,
        verify: verifyFast,
      },
      'propose',
    ) as BlockExecution;
    expect(exec.applied.map((a) => a.tx.kind)).toEqual(['GRID_ZONE_HALT']);
    expect(exec.dropped.map((d) => d.rejection.code)).toEqual(['CHAIN_ZONE_HALTED']);
  });

  it('PoW difficulty rises with mempool size', () => {
    const state = new CommittedState();
    buildGenesis(testGenesis({ powBaseBits: 4, powLoadStepTxs: 2 }), state);
    const pool2 = new Mempool(state, CHAIN_ID, 1_000, () => ({
      height: 0,
      timeMs: 1_767_225_600_000,
    }));
    const seen = [pool2.difficultyBits()];
    for (let i = 0; i < 14; i++) {
      expect(
        pool2.add(tx('GRID_ZONE_HALT', EGAT, { zone: 'PEA-N', reason: `r${i}` }), 1_767_225_601_000)
          .ok,
      ).toBe(true);
      seen.push(pool2.difficultyBits());
    }
    expect(seen[0]).toBe(4);
    expect(seen[14]).toBe(7); // 4 + ⌊log2(1 + 14/2)⌋
    for (let i = 1; i < seen.length; i++) expect(seen[i]!).toBeGreaterThanOrEqual(seen[i - 1]!);
  });

  it('admits chained spends of pending change, refuses conflicting spends, and needs stamps from the unstaked', async () => {
    sim = new SimNet();
    await sim.start();
    const node = sim.nodes[0]!.node;
    const b = BUYERS[3]!;
    const first = node.submit(trade(b, SELLERS[0]!, thbOf(b)));
    expect(first.ok).toBe(true);
    const pending = node.query.selectCoins(b.address, 'THB', 1_000n)!;
    expect(pending.map((c) => c.id)).toEqual([`${first.ok ? first.txHash : ''}:0`]);
    const secondTx = trade(b, SELLERS[1]!, { txHash: pending[0]!.txHash, index: 0 });
    const second = node.submit(secondTx);
    expect(second.ok).toBe(true);
    const conflict = node.submit(trade(b, SELLERS[2]!, thbOf(b)));
    expect(conflict.ok ? 'ok' : conflict.code).toBe('CHAIN_INPUT_UNAVAILABLE');
    expect(node.submit(secondTx)).toMatchObject({ ok: true, alreadyPending: true }); // idempotent resubmission
    const transfer = tx('TRANSFER', BUYERS[4]!, {
      inputs: [thbOf(BUYERS[4]!)],
      outputs: [{ owner: b.address, asset: 'THB', amount: 100_000_000n }],
    });
    const needs = node.query.powBitsFor(BUYERS[4]!.address);
    expect(needs).toBeGreaterThanOrEqual(8);
    expect(node.query.powBitsFor(CLEARING.address)).toBe(0);
    const r = node.submit(transfer);
    expect(r.ok ? 'ok' : r.code).toBe('CHAIN_POW_REQUIRED');
    const bad = node.submit(new Uint8Array([1, 2, 3]));
    expect(bad.ok ? 'ok' : bad.code).toBe('CHAIN_MALFORMED');
    const forged = {
      ...trade(b, SELLERS[3]!, thbOf(BUYERS[5]!)),
      signature: new Uint8Array(64),
    } as Tx;
    const f = node.submit(forged);
    expect(f.ok ? 'ok' : f.code).toBe('CHAIN_BAD_SIGNATURE');
    const s = sim;
    await s.runUntil(() => node.query.escrows(b.address).length === 2, 30_000);
    expect(node.query.balances(b.address).escrowedSatang).toBe(4_000n);
  });

  it('tells the submitting node when a pending transaction becomes invalid', async () => {
    sim = new SimNet();
    await sim.start();
    const s = sim;
    await s.runUntil(() => s.height(0) >= 1, 30_000);
    await s.clock.advance(100);
    const next = s.height(0) + 1;
    const proposer = s.nodes[0]!.node.validators.proposer(next, 0);
    const submitter = s.nodes.find((n) => n.key.address !== proposer)!;
    const t = trade(BUYERS[6]!, SELLERS[6]!, thbOf(BUYERS[6]!));
    expect(submitter.node.submit(t).ok).toBe(true);
    expect(
      submitter.node.submit(tx('GRID_ZONE_HALT', MEA, { zone: 'MEA-BKK', reason: 'storm' })).ok,
    ).toBe(true);
    const dropped = (): boolean =>
      submitter.events.some((e) => e.type === 'dropped' && e.txHash === t.hash);
    expect(await s.runUntil(dropped, 30_000)).toBe(true);
    const ev = submitter.events.find((e) => e.type === 'dropped' && e.txHash === t.hash);
    expect(ev).toMatchObject({ code: 'CHAIN_ZONE_HALTED' });
    expect(s.nodes[0]!.node.query.grid().zones.find((z) => z.id === 'MEA-BKK')?.halted).toBe(true);
  });
});

describe('queries and proofs', () => {
  it('finds a committed transaction with a Merkle proof the browser entry verifies', async () => {
    sim = new SimNet();
    await sim.start();
    const s = sim;
    const node = s.nodes[2]!.node;
    const t = trade(BUYERS[7]!, SELLERS[7]!, thbOf(BUYERS[7]!), { tradeId: 'q-1' });
    node.submit(t);
    await s.runUntil(() => node.query.escrow('q-1') !== null, 30_000);
    const found = (await node.query.tx(t.hash))!;
    expect(found.tx.hash).toBe(t.hash);
    expect(verifyTxInclusion(found.tx.bytes, found.proof, found)).toBe(true);
    const byHeight = (await node.query.block(found.height))!;
    const byHash = (await node.query.block(found.blockHash))!;
    expect(byHash.block.hash).toBe(byHeight.block.hash);
    expect(byHeight.commit.blockHash).toBe(found.blockHash);
    expect(await node.query.tx('00'.repeat(32))).toBeNull();
    await s.runUntil(() => s.height(2) >= found.height + 2, 30_000);
    const validators = node.query.validators();
    expect(validators.map((v) => v.name).sort()).toEqual(['EGAT', 'ERC', 'MEA', 'PEA']);
    for (const v of validators) {
      expect(v.votingPower).toBe(25);
      expect(v.online).toBe(true);
      expect(v.lastSignedHeight).toBeGreaterThan(0);
    }
    expect(node.query.supply('THB').outstanding).toBe(8n * 100_000_000n + 20_000_000n);
    expect(node.query.head().height).toBe(s.height(2));
    expect(node.query.escrow('q-1')).toMatchObject({ tradeId: 'q-1', status: 'OPEN' });
  });
});

describe('determinism (REPLAY-1)', () => {
  it('a fresh follower syncing from genesis, and a replay of the store, reach the same state root', async () => {
    sim = new SimNet();
    await sim.start();
    const s = sim;
    for (let i = 0; i < 4; i++)
      s.nodes[i]!.node.submit(trade(BUYERS[i]!, SELLERS[i]!, thbOf(BUYERS[i]!)));
    await s.runUntil(() => s.height(0) >= 6, 60_000);
    const follower = new ChainNode({
      genesis: s.genesis,
      store: new MemoryStore(),
      transport: s.net.transport('follower'),
      clock: s.clock,
      onFatal: (e) => s.fatal.push(e),
    });
    await follower.start();
    const target = s.height(0);
    expect(await s.runUntil(() => follower.headInfo().height >= target, 60_000)).toBe(true);
    const head = follower.headInfo();
    const atSameHeight = (await s.nodes[0]!.store.block(head.height))!;
    expect(atSameHeight.hash).toBe(head.hash);
    const replayed = await replayFromStore(s.genesis, s.nodes[0]!.store, {
      toHeight: head.height,
      verifySignatures: verifyFast,
    });
    expect(replayed.stateRoot).toBe(head.stateRoot);
    await follower.stop();
    expect(s.fatal).toEqual([]);
  });
});

describe('safety guards', () => {
  it('the signing guard never signs two different things at one step, across restarts (CONS-10)', async () => {
    const store = new MemoryStore();
    const signer = createFastSigner(EGAT.secretKey);
    const pv = new PrivValidator(signer, store);
    await pv.load();
    const a = await pv.sign(5, 0, STEP_PREVOTE, Uint8Array.of(1), null);
    expect(a).not.toBeNull();
    expect(await pv.sign(5, 0, STEP_PREVOTE, Uint8Array.of(1), null)).toEqual(a);
    expect(await pv.sign(5, 0, STEP_PREVOTE, Uint8Array.of(2), null)).toBeNull();
    expect(await pv.sign(4, 9, STEP_PREVOTE, Uint8Array.of(3), null)).toBeNull();
    const restarted = new PrivValidator(signer, store);
    await restarted.load();
    expect(await restarted.sign(5, 0, STEP_PREVOTE, Uint8Array.of(2), null)).toBeNull();
    expect(await restarted.sign(5, 1, STEP_PREVOTE, Uint8Array.of(2), null)).not.toBeNull();
  });

  it('a certified block conflicting with our head stops the node loudly (CONS-12)', async () => {
    sim = new SimNet();
    await sim.start();
    const s = sim;
    await s.runUntil(() => s.height(0) >= 2, 30_000);
    await s.nodes[0]!.node.stop();
    const victim = s.nodes[1]!.node;
    const head = victim.head;
    const forged = buildBlock(CHAIN_ID, {
      ...head.header,
      txs: [],
      evidence: [],
      lastCommit: head.lastCommit,
      timeMs: head.header.timeMs + 1,
    });
    const commit = {
      height: head.header.height,
      round: 0,
      blockHash: forged.hash,
      signatures: VALIDATORS.slice(0, 3)
        .map((k) =>
          signVote(CHAIN_ID, createFastSigner(k.secretKey), {
            type: 'PRECOMMIT',
            height: head.header.height,
            round: 0,
            blockHash: forged.hash,
          }),
        )
        .map((v) => ({ validator: v.validator, signature: v.signature }))
        .sort((x, y) => (x.validator < y.validator ? -1 : 1)),
    };
    s.net
      .transport('attacker')
      .send(victim.address!, { type: 'syncResponse', blocks: [{ block: forged, commit }] });
    await s.runUntil(() => s.fatal.length > 0, 5_000);
    expect(s.fatal[0]).toBeInstanceOf(ChainError);
    expect((s.fatal[0] as ChainError).code).toBe('CHAIN_FORK_DETECTED');
    s.fatal.length = 0;
  });

  it('a rule handler that breaks conservation throws instead of committing (COIN-2)', () => {
    const state = new CommittedState();
    buildGenesis(testGenesis(), state);
    const view = new Overlay(state);
    const t = trade(BUYERS[0]!, SELLERS[0]!, thbOf(BUYERS[0]!));
    const ctx = new TxContext(
      view,
      { chainId: CHAIN_ID, height: 1, timeMs: 0, params: paramsOf(state), powBits: 0 },
      t,
    );
    ctx.create(BUYERS[0]!.address, 'THB', 5n);
    expect(() => ctx.finish()).toThrow(/conservation violated/);
  });
});
