// CONS-15: consensus signatures already verified (votes) are not verified again when they come
// back inside a block's last commit (BLK-7), and the answer never differs from the verifier's: a
// last commit carrying a signature that was never seen as a vote is still checked, and refused.
import { afterEach, describe, expect, it } from 'vitest';
import { buildBlock } from '../src/internal/block.ts';
import type { Block } from '../src/internal/block.ts';
import { signVote, verifyVote } from '../src/internal/consensus/types.ts';
import type { CommitCertificate } from '../src/internal/consensus/types.ts';
import { withVerifiedSignatures } from '../src/internal/consensus/verified-signatures.ts';
import { createFastSigner } from '../src/internal/crypto/node-ed25519.ts';
import { checkBlock } from '../src/internal/node/block-check.ts';
import type { ChainNode } from '../src/internal/node/node.ts';
import { executeBlock } from '../src/internal/state/execute.ts';
import type { BlockExecution } from '../src/internal/state/execute.ts';
import { CHAIN_ID, EGAT, MEA, VALIDATORS } from './support/fixtures.ts';
import { SimNet } from './support/sim-network.ts';
import { countingVerifier } from './support/wait.ts';

let sim: SimNet | null = null;
afterEach(async () => {
  await sim?.stopAll();
  sim = null;
});

describe('verified signature memory (CONS-15)', () => {
  it('answers a repeated check from memory and anything else from the verifier', () => {
    const c = countingVerifier();
    const verify = withVerifiedSignatures(c.verify, 2);
    const signer = createFastSigner(EGAT.secretKey);
    const vote = (round: number) =>
      signVote(CHAIN_ID, signer, { type: 'PRECOMMIT', height: 9, round, blockHash: null });
    const v0 = vote(0);
    expect(verifyVote(CHAIN_ID, v0, verify)).toBe(true);
    expect(verifyVote(CHAIN_ID, v0, verify)).toBe(true);
    expect(c.calls()).toBe(1);
    // The same signature under another message or another key goes to the verifier, and fails.
    expect(verifyVote(CHAIN_ID, { ...v0, round: 1 }, verify)).toBe(false);
    expect(verifyVote(CHAIN_ID, { ...v0, validator: MEA.address }, verify)).toBe(false);
    expect(c.calls()).toBe(3);
    // Failures are not remembered.
    expect(verifyVote(CHAIN_ID, { ...v0, round: 1 }, verify)).toBe(false);
    expect(c.calls()).toBe(4);
    // Bounded: the oldest entry is forgotten first.
    const v1 = vote(1);
    const v2 = vote(2);
    expect(verifyVote(CHAIN_ID, v1, verify) && verifyVote(CHAIN_ID, v2, verify)).toBe(true);
    expect(c.calls()).toBe(6);
    expect(verifyVote(CHAIN_ID, v0, verify)).toBe(true);
    expect(c.calls()).toBe(7);
  });

  it('a last commit whose precommits arrived as votes is not verified again; one carrying a forged signature is still refused', async () => {
    sim = new SimNet();
    await sim.start();
    const s = sim;
    await s.runUntil(() => s.height(1) >= 3, 30_000);
    await s.stopAll();
    const node: ChainNode = s.nodes[1]!.node;
    const commit = node.headCommit!;
    const c = countingVerifier();
    const verify = withVerifiedSignatures(c.verify);
    for (const sig of commit.signatures) {
      const v = { type: 'PRECOMMIT' as const, ...commit, ...sig };
      expect(verifyVote(CHAIN_ID, v, verify)).toBe(true);
    }
    const seenAsVotes = c.calls();

    const child = (lastCommit: CommitCertificate): Block => {
      const height = node.head.header.height + 1;
      const timeMs = node.head.header.timeMs + 1;
      const exec = executeBlock(
        node.state,
        { chainId: CHAIN_ID, height, timeMs, txs: [], evidence: [], lastCommit, verify },
        'propose',
      ) as BlockExecution;
      return buildBlock(CHAIN_ID, {
        height,
        parentHash: node.head.hash,
        timeMs,
        proposer: node.validators.proposer(height, 0),
        stateRoot: exec.stateRoot,
        gridHash: exec.gridHash,
        txs: [],
        evidence: [],
        lastCommit,
      });
    };
    const check = (block: Block) =>
      checkBlock(
        {
          chainId: CHAIN_ID,
          head: node.head,
          state: node.state,
          validators: node.validators,
          verify,
          verifyTx: () => true,
        },
        block,
      );

    expect('code' in check(child(commit))).toBe(false);
    expect(c.calls()).toBe(seenAsVotes);

    // A precommit the validator did sign, but for another round: never seen, so verified; fails.
    const first = commit.signatures[0]!;
    const key = VALIDATORS.find((k) => k.address === first.validator)!;
    const otherRound = signVote(CHAIN_ID, createFastSigner(key.secretKey), {
      type: 'PRECOMMIT',
      height: commit.height,
      round: commit.round + 1,
      blockHash: commit.blockHash,
    });
    const flipped = first.signature.slice();
    flipped[5] = flipped[5]! ^ 1;
    for (const signature of [otherRound.signature, flipped]) {
      const forged = {
        ...commit,
        signatures: [{ validator: first.validator, signature }, ...commit.signatures.slice(1)],
      };
      const before = c.calls();
      const result = check(child(forged));
      expect(result).toMatchObject({ code: 'CHAIN_BAD_COMMIT' });
      expect(c.calls()).toBe(before + 1);
    }
  });
});
