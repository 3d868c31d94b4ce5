// chain.head | block | tx | validators | blocks — the chain explorer's data: committed blocks
// with their commit certificates, transactions with Merkle inclusion proofs, and the validator set;
// chain.consensus — where each in-process validator stands in the height it is deciding.
import { z } from 'zod';
import { domainError } from '../../errors.ts';
import { controlRoomProcedure, publicProcedure, router } from '../init.ts';
import type { EngineServices } from '../../context.ts';

function chainOf(services: EngineServices) {
  if (!services.chain) throw domainError('CHAIN_UNAVAILABLE', 'The chain is not running');
  return services.chain;
}

const hex32 = z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 hex digits');

function jsonSafe(value: unknown): unknown {
  return JSON.parse(
    JSON.stringify(value, (_k, v: unknown) =>
      typeof v === 'bigint'
        ? v.toString()
        : v instanceof Uint8Array
          ? Buffer.from(v).toString('hex')
          : v,
    ),
  );
}

export const chainRouter = router({
  head: publicProcedure.query(({ ctx }) => {
    const chain = chainOf(ctx.services);
    const head = chain.query.head();
    return {
      chainId: chain.chainId,
      height: head.height,
      hash: head.hash,
      timeMs: head.timeMs,
      mempool: chain.query.mempoolSize(),
      lastCommitAt: chain.lastCommitAtMs ? new Date(chain.lastCommitAtMs) : null,
    };
  }),

  /** Recent blocks from the explorer index, newest first. */
  blocks: publicProcedure
    .input(
      z
        .object({
          before: z.number().int().positive().optional(),
          limit: z.number().int().min(1).max(100).default(20),
        })
        .default({ limit: 20 }),
    )
    .query(async ({ ctx, input }) => {
      const rows = await ctx.services.db.prisma.chainBlock.findMany({
        where: input.before === undefined ? {} : { height: { lt: BigInt(input.before) } },
        orderBy: { height: 'desc' },
        take: input.limit,
      });
      return rows.map((b) => ({
        height: Number(b.height),
        hash: b.hash,
        parentHash: b.parentHash,
        time: b.time,
        proposer: b.proposer,
        round: b.round,
        txCount: b.txCount,
        txRoot: b.txRoot,
        stateRoot: b.stateRoot,
      }));
    }),

  block: publicProcedure
    .input(
      z
        .object({ height: z.number().int().min(0).optional(), hash: hex32.optional() })
        .refine((v) => v.height !== undefined || v.hash !== undefined, 'give height or hash'),
    )
    .query(async ({ ctx, input }) => {
      const chain = chainOf(ctx.services);
      const found = await chain.query.block(input.height ?? input.hash!);
      if (!found) throw domainError('CHAIN_NOT_FOUND', 'No such block');
      const { block, commit } = found;
      return {
        header: jsonSafe(block.header) as Record<string, unknown>,
        hash: commit.blockHash,
        txs: block.txs.map((t, index) => ({ index, hash: t.hash, kind: t.kind, signer: t.signer })),
        commit: {
          round: commit.round,
          signatures: commit.signatures.map((v) => ({
            validator: v.validator,
            signature: Buffer.from(v.signature).toString('hex'),
          })),
        },
      };
    }),

  tx: publicProcedure.input(z.object({ hash: hex32 })).query(async ({ ctx, input }) => {
    const chain = chainOf(ctx.services);
    const found = await chain.query.tx(input.hash);
    if (!found) throw domainError('CHAIN_NOT_FOUND', 'No such transaction on chain');
    return {
      hash: found.tx.hash,
      /** The canonical encoding (hex): the Merkle leaf is computed from these bytes. */
      bytes: Buffer.from(found.tx.bytes).toString('hex'),
      kind: found.tx.kind,
      signer: found.tx.signer,
      body: jsonSafe(found.tx.body) as Record<string, unknown>,
      height: found.height,
      index: found.index,
      blockHash: found.blockHash,
      txRoot: found.txRoot,
      txCount: found.txCount,
      proof: jsonSafe(found.proof) as Record<string, unknown>,
    };
  }),

  /**
   * The control room's consensus view (local mode; a devnet's validators run elsewhere): each
   * validator's height, round and step, its lock, mempool and signatures waiting for the store,
   * and the voting power behind each block in its latest rounds — what shows why finality waits.
   */
  consensus: controlRoomProcedure.query(({ ctx }) => {
    const chain = chainOf(ctx.services);
    const set = chain.query.validators();
    const names = new Map(set.map((v) => [v.address, v.name]));
    const tally = (t: Readonly<Record<string, number>>) =>
      Object.entries(t).map(([hash, power]) => ({ hash: hash === 'nil' ? null : hash, power }));
    return {
      mode: chain.mode,
      totalPower: set.reduce((sum, v) => sum + v.votingPower, 0),
      validators: chain.consensusStatus().map((s) => ({
        name: (s.address && names.get(s.address)) ?? null,
        address: s.address,
        running: s.running,
        headHeight: s.headHeight,
        height: s.consensus.height,
        round: s.consensus.round,
        step: s.consensus.step,
        decided: s.consensus.decided,
        lockedRound: s.consensus.lockedRound < 0 ? null : s.consensus.lockedRound,
        lockedHash: s.consensus.lockedHash,
        mempoolTxs: s.mempoolTxs,
        signaturesPending: s.signaturesPending,
        rounds: s.consensus.rounds.slice(-3).map((r) => ({
          round: r.round,
          proposal: r.proposal,
          prevotes: tally(r.prevotes),
          precommits: tally(r.precommits),
        })),
      })),
    };
  }),

  validators: publicProcedure.query(({ ctx }) => {
    const chain = chainOf(ctx.services);
    return chain.query.validators().map((v) => ({ ...v }));
  }),
});
