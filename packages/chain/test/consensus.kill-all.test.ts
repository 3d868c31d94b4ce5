// All four validators killed together (kill -9 of the process that hosts them, as in the engine)
// at random points — between a validator persisting a vote and sending it, between a precommit and
// the block being stored, between the stores of different validators, with writes caught in flight
// — then restarted from their stores. Commits must resume within a bounded time and no two
// validators may ever store different blocks at a height (CONS-10, CONS-14, CONS-4, CONS-12).
import { afterEach, describe, expect, it } from 'vitest';
import { BUYERS, SELLERS } from './support/fixtures.ts';
import { KillableProcess } from './support/killable.ts';
import type { KillPoint } from './support/killable.ts';
import { trade } from './support/txs.ts';

function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Bound on simulated time from a restart to the next block on every validator. */
const RESUME_WITHIN_MS = 60_000;
const KILLS_PER_RUN = 4;

let proc: KillableProcess | null = null;
afterEach(() => {
  proc?.kill();
  proc = null;
});

/** Submits a trade from a random buyer to validator 0 (the engine submits to its first). */
function submitSome(p: KillableProcess, rnd: () => number, n: number): void {
  const node = p.validators[0]!.node;
  if (!node.isRunning) return;
  for (let i = 0; i < n; i++) {
    const b = Math.floor(rnd() * BUYERS.length);
    const buyer = BUYERS[b]!;
    const coins = node.query.selectCoins(buyer.address, 'THB', 2_000n);
    if (coins === null) continue;
    node.submit(
      trade(
        buyer,
        SELLERS[b]!,
        { txHash: coins[0]!.txHash, index: coins[0]!.index },
        {
          tradeId: `kill-${p.lives}-${Math.floor(rnd() * 1e12)}`,
        },
      ),
    );
  }
}

async function agree(p: KillableProcess): Promise<void> {
  const chains = await Promise.all([0, 1, 2, 3].map((i) => p.hashes(i)));
  const longest = chains.reduce((a, c) => (c.length > a.length ? c : a));
  // Every disk holds a prefix of the same chain (CONS-4: no fork, even across kills).
  for (const c of chains) expect(c).toEqual(longest.slice(0, c.length));
}

async function runSeed(seed: number): Promise<void> {
  const rnd = prng(seed);
  const p = (proc = new KillableProcess(rnd));
  for (let life = 0; life <= KILLS_PER_RUN; life++) {
    // Die at a random write among the next few heights' worth (≈ 14 writes per height), before or
    // after it lands; the last life runs on to show that commits continue.
    const at = 1 + Math.floor(rnd() * 150);
    const how = rnd() < 0.5 ? 'before' : 'after';
    const killPoint: KillPoint =
      life === KILLS_PER_RUN ? () => null : (n) => (n === at ? how : null);
    await p.start(killPoint);
    const from = Math.max(...(await p.diskHeights()));
    // Commits resume: every validator goes past the highest height stored anywhere.
    const resumed = await p.run(
      () => p.dead || [0, 1, 2, 3].every((i) => p.height(i) > from),
      RESUME_WITHIN_MS,
    );
    expect(p.fatal).toEqual([]);
    if (!p.dead) {
      expect(resumed, `seed ${seed} life ${life}: no commit above ${from} within 60 s`).toBe(true);
    }
    // Traffic until the kill point (or for a while in the last life).
    for (let step = 0; step < 40 && !p.dead; step++) {
      if (rnd() < 0.7) submitSome(p, rnd, 1 + Math.floor(rnd() * 4));
      // Now and then split the validators for a while, so the kill also finds them at
      // different rounds and steps, some locked and some not.
      const r = rnd();
      if (r < 0.15) p.partition(1 + Math.floor(rnd() * 14));
      else if (r < 0.3) p.heal();
      await p.clock.advance(Math.floor(rnd() * 400));
      expect(p.fatal).toEqual([]);
    }
    if (life < KILLS_PER_RUN && !p.dead) p.kill();
    await agree(p);
  }
  p.heal();
  const top = Math.max(...(await p.diskHeights()));
  expect(
    await p.run(() => [0, 1, 2, 3].every((i) => p.height(i) >= top + 2), RESUME_WITHIN_MS),
  ).toBe(true);
  expect(p.fatal).toEqual([]);
  await agree(p);
}

describe('every validator killed at once resumes (CONS-10, CONS-14)', () => {
  const seeds = Array.from({ length: Number(process.env.GTX_KILL_SEEDS ?? 32) }, (_, i) => i + 1);
  it.each(seeds)('seed %i', async (seed) => runSeed(seed));
});
