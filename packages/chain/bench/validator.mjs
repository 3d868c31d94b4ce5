#!/usr/bin/env node
// One non-proposing validator's CPU per transaction without the network or consensus timing:
// admission (decode of gossiped wire bytes, signature check, mempool) and block work (the last
// commit's four precommits seen first as votes, block validation with the state root, three
// sign-state writes on a FileStore, state apply, mempool after-commit, state-diff encoding).
// `node bench/validator.mjs [packageRoot] [txsPerBlock] [blocks]` — pass the root of another
// build (a copy of the package with its dist) to compare builds run by run.
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '..'));
const BLOCK = Number(process.argv[3] ?? 300);
const BLOCKS = Number(process.argv[4] ?? 20);
const WARMUP = 3;
const d = join(root, 'dist');
const load = (p) => import(join(d, p));
const { makeBuyers, makeGenesis, tradeFactory, CHAIN_ID, AUTHORITIES } = await import(
  join(root, 'bench/setup.mjs')
);
const { buildGenesis, FileStore, createSigner } = await load('index.js');
const { decodeTx } = await load('internal/tx/tx.js');
const { verifyFast } = await load('internal/crypto/node-ed25519.js');
const { Mempool } = await load('internal/node/mempool.js');
const { CommittedState } = await load('internal/state/view.js');
const { executeBlock } = await load('internal/state/execute.js');
const { encodeStateDiff } = await load('internal/store/diff.js');
const { commitPower, signVote, verifyVote } = await load('internal/consensus/types.js');
// The node's consensus verifier: with the CONS-15 memory where the build has it.
const memory = join(d, 'internal/consensus/verified-signatures.js');
const consensusVerify = existsSync(memory)
  ? (await import(memory)).withVerifiedSignatures(verifyFast)
  : verifyFast;

const buyers = makeBuyers(4000);
const genesis = makeGenesis(buyers);
const state = new CommittedState();
buildGenesis(genesis, state);
let head = { height: 0, timeMs: genesis.genesisTimeMs };
const pool = new Mempool(state, CHAIN_ID, 200_000, () => head);
const next = tradeFactory(buyers);
const wire = Array.from({ length: BLOCK * (BLOCKS + WARMUP) }, () => next().bytes);
const dir = await mkdtemp(join(tmpdir(), 'gtx-validator-bench-'));
const store = await FileStore.open(dir);
const signers = AUTHORITIES.map((a) => createSigner(a.pair.secretKey));
const signState = new Uint8Array(900).fill(1);
const cpu = () => {
  const u = process.cpuUsage();
  return u.user + u.system;
};

let w = 0;
let admissionUs = 0;
let blockUs = 0;
for (let b = 0; b < BLOCKS + WARMUP; b++) {
  const t0 = cpu();
  const txs = [];
  for (let i = 0; i < BLOCK; i++) {
    const tx = decodeTx(CHAIN_ID, wire[w++]);
    if (!verifyFast(Buffer.from(tx.signer, 'hex'), tx.signBytes, tx.signature))
      throw new Error('bad signature');
    const r = pool.add(tx, head.timeMs + 1);
    if (!r.ok) throw new Error(r.code);
    txs.push(tx);
  }
  const t1 = cpu();
  const blockHash = (b + 1).toString(16).padStart(64, '0');
  const votes = signers.map((s) =>
    signVote(CHAIN_ID, s, { type: 'PRECOMMIT', height: head.height, round: 0, blockHash }),
  );
  for (const v of votes) if (!verifyVote(CHAIN_ID, v, consensusVerify)) throw new Error('vote');
  const lastCommit = {
    height: head.height,
    round: 0,
    blockHash,
    signatures: votes
      .map((v) => ({ validator: v.validator, signature: v.signature }))
      .sort((x, y) => (x.validator < y.validator ? -1 : 1)),
  };
  if (typeof commitPower(CHAIN_ID, lastCommit, () => 1, consensusVerify) !== 'number')
    throw new Error('commit');
  const timeMs = head.timeMs + 500;
  const exec = executeBlock(
    state,
    {
      chainId: CHAIN_ID,
      height: head.height + 1,
      timeMs,
      txs,
      evidence: [],
      lastCommit: null,
      verify: verifyFast,
    },
    'validate',
  );
  if ('code' in exec) throw new Error(exec.message);
  for (let k = 0; k < 3; k++) await store.putSignState(signState);
  state.apply(exec.prepared);
  head = { height: head.height + 1, timeMs };
  pool.afterCommit(txs, exec.prepared.changes.keys(), timeMs);
  encodeStateDiff(exec.prepared.encoded);
  const t2 = cpu();
  if (b >= WARMUP) {
    admissionUs += t1 - t0;
    blockUs += t2 - t1;
  }
}
await store.close();
await rm(dir, { recursive: true, force: true });
const n = BLOCK * BLOCKS;
console.log(
  JSON.stringify({
    root,
    txsPerBlock: BLOCK,
    blocks: BLOCKS,
    cpuUsPerTx: Number(((admissionUs + blockUs) / n).toFixed(1)),
    admissionUsPerTx: Number((admissionUs / n).toFixed(1)),
    blockUsPerTx: Number((blockUs / n).toFixed(1)),
  }),
);
