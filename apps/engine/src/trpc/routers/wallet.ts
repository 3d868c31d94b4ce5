// wallet.balances | history | deposit — balances are the chain's (GT energy in Wh, THB in
// satang, RECs), plus what the engine knows is reserved by open orders and owed by trades not
// yet settled. Deposits are credited by the settlement bank on chain, through the outbox.
import { z } from 'zod';
import { audit } from '../../audit.ts';
import { domainError } from '../../errors.ts';
import { pageLimit } from '../inputs.ts';
import { adminProcedure, authedProcedure, router } from '../init.ts';

export const walletRouter = router({
  balances: authedProcedure.query(async ({ ctx }) => {
    const { chain, reservations } = ctx.services;
    if (!chain) throw domainError('CHAIN_UNAVAILABLE', 'The chain is not running');
    const address = await chain.addressOf(ctx.user.accountId);
    const b = chain.query.balances(address);
    const recs = chain.query.recs(address);
    // Sales awaiting delivery: escrows where I am the seller, released to me at delivery.
    let sellingEscrowSatang = 0n;
    let sellingEscrowWh = 0n;
    for (const e of chain.query.escrows(address)) {
      if (e.status === 'OPEN' && e.seller === address) {
        sellingEscrowSatang += e.amountSatang;
        sellingEscrowWh += e.quantityWh;
      }
    }
    return {
      address,
      gtWh: b.gtWh,
      thbSatang: b.thbSatang,
      escrowedSatang: b.escrowedSatang,
      sellingEscrowSatang,
      sellingEscrowWh,
      bondedSatang: b.bondedSatang,
      reservedSatang: reservations.reserved(ctx.user.accountId),
      unsettledSatang: chain.unsettledBuySatang(ctx.user.accountId),
      availableSatang: reservations.available(ctx.user.accountId),
      recs: recs.map((r) => ({ ...r })),
      height: chain.query.head().height,
    };
  }),

  /** Settlements touching my account (trades, deposits), newest first, with chain status. */
  history: authedProcedure
    .input(z.object({ limit: pageLimit }).default({ limit: 100 }))
    .query(async ({ ctx, input }) => {
      const me = ctx.user.accountId;
      const rows = await ctx.services.db.pool.query<{
        key: string;
        kind: string;
        status: string;
        tx_hash: string | null;
        height: string | null;
        payload: Record<string, unknown>;
        created_at: Date;
        final_at: Date | null;
        last_error: string | null;
      }>(
        `SELECT key, kind, status, tx_hash, height::text, payload, created_at, final_at, last_error
           FROM settlement_outbox
          WHERE (kind = 'trade' AND (payload->>'buyerId' = $1 OR payload->>'sellerId' = $1))
             OR (kind IN ('deposit', 'mandate') AND payload->>'accountId' = $1)
          ORDER BY id DESC LIMIT $2`,
        [me, input.limit],
      );
      return rows.rows.map((r) => {
        const p = r.payload;
        const buy = r.kind === 'trade' && p.buyerId === me;
        const total =
          r.kind === 'trade'
            ? buy
              ? -(
                  BigInt(String(p.notionalSatang)) +
                  BigInt(String(p.wheelingSatang)) +
                  BigInt(String(p.buyerFeeSatang))
                )
              : BigInt(String(p.notionalSatang)) - BigInt(String(p.sellerFeeSatang))
            : r.kind === 'deposit'
              ? BigInt(String(p.amountSatang))
              : 0n;
        return {
          key: r.key,
          kind: r.kind,
          status: r.status,
          txHash: r.tx_hash,
          height: r.height === null ? null : Number(r.height),
          time: r.created_at,
          finalAt: r.final_at,
          error: r.status === 'FAILED' ? r.last_error : null,
          tradeId: r.kind === 'trade' ? String(p.tradeId) : null,
          side: r.kind === 'trade' ? (buy ? ('buy' as const) : ('sell' as const)) : null,
          quantityWh: r.kind === 'trade' ? Number(p.quantityWh) : null,
          priceTicks: r.kind === 'trade' ? Number(p.priceTicks) : null,
          /** Signed THB movement for me, in satang (escrowed for buys until delivery). */
          amountSatang: total,
        };
      });
    }),

  /** Admin: credit THB to an account against a fiat deposit (the reference is unique). */
  deposit: adminProcedure
    .input(
      z.object({
        accountId: z.uuid(),
        amountSatang: z
          .bigint()
          .positive()
          .max(10n ** 12n),
        reference: z
          .string()
          .trim()
          .min(3)
          .max(64)
          .regex(/^[\w.:/-]+$/, 'letters, digits and . : / - _'),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const account = await ctx.services.db.prisma.account.findUnique({
        where: { id: input.accountId },
      });
      if (!account || !account.chainPublicKey) throw domainError('NOT_FOUND', 'No such account');
      const key = `deposit:${input.reference}`;
      const existing = await ctx.services.db.prisma.settlementOutbox.findUnique({ where: { key } });
      if (existing) {
        const p = existing.payload as { accountId?: string; amountSatang?: string };
        if (p.accountId !== input.accountId || p.amountSatang !== input.amountSatang.toString()) {
          throw domainError(
            'WALLET_INVALID_AMOUNT',
            `Deposit reference ${input.reference} was already used for another credit`,
          );
        }
        return { key, status: existing.status, duplicate: true };
      }
      await ctx.services.db.prisma.$transaction(async (tx) => {
        await tx.settlementOutbox.create({
          data: {
            key,
            kind: 'deposit',
            payload: {
              accountId: input.accountId,
              depositRef: input.reference,
              amountSatang: input.amountSatang.toString(),
            },
          },
        });
        await audit(tx, {
          actorId: ctx.user.accountId,
          action: 'wallet.deposit',
          target: input.accountId,
          ip: ctx.ip,
          requestId: ctx.requestId,
          details: { amountSatang: input.amountSatang.toString(), reference: input.reference },
        });
      });
      void ctx.services.settlement?.kick();
      return { key, status: 'PENDING' as const, duplicate: false };
    }),
});
