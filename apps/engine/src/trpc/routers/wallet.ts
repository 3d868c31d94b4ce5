// wallet.balances | history | deposit — balances are the chain's (GT energy in Wh, THB in
// satang, RECs), plus what the engine knows is reserved by open orders and owed by trades not
// yet settled. Deposits are credited by the settlement bank on chain, through the outbox.
import { z } from 'zod';
import { audit } from '../../audit.ts';
import { domainError } from '../../errors.ts';
import { pageLimit } from '../inputs.ts';
import { adminProcedure, authedProcedure, router } from '../init.ts';

/**
 * An account's settlement rows ($1 the account id, $2 the page size). The parties array is the
 * expression of the `settlement_outbox_parties_idx` GIN index (migration
 * 20261129221500_outbox_parties_index): it narrows the outbox to rows naming the account, the
 * per-kind conditions then keep only the fields that mean "mine" for that kind.
 */
export const WALLET_HISTORY_SQL = `SELECT o.key, o.kind, o.status, o.tx_hash, o.height::text, o.payload, o.created_at,
                o.final_at, o.last_error, d.delivered_wh::text, d.shortfall_wh::text,
                d.imbalance_price_ticks, d.released_satang::text, d.refunded_satang::text,
                d.imbalance_charge_satang::text
           FROM settlement_outbox o
           LEFT JOIN delivery_settlement d
             ON o.kind = 'delivery' AND d.trade_id = o.payload->>'tradeId'
          WHERE ARRAY[o.payload->>'buyerId', o.payload->>'sellerId', o.payload->>'ownerId',
                      o.payload->>'accountId'] @> ARRAY[$1::text]
            AND ((o.kind IN ('trade', 'delivery')
                  AND (o.payload->>'buyerId' = $1 OR o.payload->>'sellerId' = $1))
              OR (o.kind = 'delivery.charges' AND o.payload->>'sellerId' = $1)
              OR (o.kind IN ('meter.mint', 'meter.burn') AND o.payload->>'ownerId' = $1)
              OR (o.kind IN ('deposit', 'mandate', 'reserve.payment')
                  AND o.payload->>'accountId' = $1))
          ORDER BY o.id DESC LIMIT $2`;

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

  /**
   * Settlements touching my account, newest first, with chain status: trades (THB into escrow),
   * deposits, mandates, deliveries (GT seller → buyer, the escrow released or refunded, the
   * seller's imbalance charge), delivery charges (wheeling, fees, the rest of the imbalance),
   * meter mints and burns, and reserve payments.
   */
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
        delivered_wh: string | null;
        shortfall_wh: string | null;
        imbalance_price_ticks: number | null;
        released_satang: string | null;
        refunded_satang: string | null;
        imbalance_charge_satang: string | null;
      }>(WALLET_HISTORY_SQL, [me, input.limit]);
      const big = (v: unknown) => BigInt(String(v));
      return rows.rows.map((r) => {
        const p = r.payload;
        const trading = r.kind === 'trade' || r.kind === 'delivery';
        const buy = trading && p.buyerId === me;
        const side = trading ? (buy ? ('buy' as const) : ('sell' as const)) : null;
        const delivery = r.kind === 'delivery' && r.delivered_wh !== null;
        let amountSatang = 0n;
        let energyWh: bigint | null = null;
        switch (r.kind) {
          case 'trade':
            amountSatang = buy
              ? -(big(p.notionalSatang) + big(p.wheelingSatang) + big(p.buyerFeeSatang))
              : big(p.notionalSatang) - big(p.sellerFeeSatang);
            break;
          case 'deposit':
          case 'reserve.payment':
            amountSatang = big(p.amountSatang);
            break;
          case 'delivery':
            // The buyer gets the undelivered part of its escrow back; the seller the release
            // less the imbalance charge the same transaction pays to the balancing account.
            amountSatang = !delivery
              ? 0n
              : buy
                ? big(r.refunded_satang)
                : big(r.released_satang) - big(p.imbalanceChargeSatang);
            energyWh = buy ? big(p.deliveredWh) : -big(p.deliveredWh);
            break;
          case 'delivery.charges':
            amountSatang = -(big(p.toGridSatang) + big(p.toExchangeSatang));
            break;
          case 'meter.mint':
            energyWh = big(p.energyWh);
            break;
          case 'meter.burn':
            energyWh = -big(p.energyWh);
            break;
        }
        return {
          key: r.key,
          kind: r.kind,
          status: r.status,
          txHash: r.tx_hash,
          height: r.height === null ? null : Number(r.height),
          time: r.created_at,
          finalAt: r.final_at,
          error: r.status === 'FAILED' ? r.last_error : null,
          tradeId: trading ? String(p.tradeId) : null,
          side,
          quantityWh: r.kind === 'trade' ? Number(p.quantityWh) : null,
          priceTicks: r.kind === 'trade' ? Number(p.priceTicks) : null,
          /** The delivery interval a delivery, charge, mint, burn or reserve payment is for. */
          intervalStart: typeof p.intervalStart === 'number' ? new Date(p.intervalStart) : null,
          /** Signed THB movement for me, in satang (escrowed for buys until delivery). */
          amountSatang,
          /** Signed GT movement for me, in Wh (deliveries, mints, burns). */
          energyWh,
          /** A delivery's outcome: delivered and short Wh, the imbalance price and charge. */
          delivery: delivery
            ? {
                deliveredWh: big(r.delivered_wh),
                shortfallWh: big(r.shortfall_wh),
                imbalancePriceTicks: r.imbalance_price_ticks ?? 0,
                imbalanceChargeSatang: buy ? 0n : big(r.imbalance_charge_satang),
              }
            : null,
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
