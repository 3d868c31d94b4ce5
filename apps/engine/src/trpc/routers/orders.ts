// orders.place | cancel | amend | mine | fills — a trader's continuous-market orders. Every call
// is rate limited per account and per IP, checked for ownership, and acknowledged only once
// the order is durable (see market/continuous.ts). place, cancel and amend are plain parts
// (roles, input schema, resolver) that their procedures are built from, so the HTTP handler can
// run every order without tRPC's middleware chain and still exactly as the procedure would.
import { z } from 'zod';
import { publicOrder, type Actor, type CommandResult } from '../../market/continuous.ts';
import { domainError } from '../../errors.ts';
import {
  instant,
  orderId,
  pageLimit,
  priceTicks,
  quantityWh,
  side,
  tif,
  zoneCode,
} from '../inputs.ts';
import {
  procedureOf,
  roleMutation,
  router,
  traderProcedure,
  type SignedInContext,
} from '../init.ts';

function actorOf(ctx: SignedInContext): Actor {
  return { accountId: ctx.user.accountId, ip: ctx.ip, requestId: ctx.requestId };
}

function limitOrders(ctx: SignedInContext): void {
  const { ordersPerAccount, ordersPerIp } = ctx.services.limiters;
  const accountKey = `orders:acct:${ctx.user.accountId}`;
  const ipKey = `orders:ip:${ctx.ip ?? 'unknown'}`;
  if (!ordersPerAccount.take(accountKey) || !ordersPerIp.take(ipKey)) {
    throw domainError('RATE_LIMITED', 'Too many orders; slow down', {
      retryAfterSec: Math.max(
        ordersPerAccount.retryAfterSec(accountKey),
        ordersPerIp.retryAfterSec(ipKey),
      ),
    });
  }
}

function unwrap(result: CommandResult) {
  if (!result.ok) throw domainError(result.code, result.message);
  return {
    order: { ...publicOrder(result.order), intervalStart: new Date(result.order.intervalStart) },
    trades: result.trades.map((t) => ({
      id: t.id,
      priceTicks: t.priceTicks,
      quantityWh: t.quantityWh,
      wheelingTicks: t.wheelingTicks,
      buyZone: t.buyZone,
      sellZone: t.sellZone,
      time: new Date(t.time),
    })),
  };
}

/** A new order; acknowledged with its fills once durable. */
export const placeOrder = roleMutation({
  roles: ['TRADER'],
  input: z
    .object({
      zone: zoneCode,
      intervalStart: instant,
      side,
      type: z.enum(['limit', 'market']),
      priceTicks,
      quantityWh,
      tif: tif.default('GTC'),
      postOnly: z.boolean().optional(),
      clientOrderId: z
        .string()
        .min(1)
        .max(64)
        .regex(/^[\w.:-]+$/)
        .optional(),
    })
    .strict(),
  async resolve(ctx, input) {
    limitOrders(ctx);
    return unwrap(await ctx.services.markets.place(input, actorOf(ctx)));
  },
});

/** Cancels one of the trader's open orders. */
export const cancelOrder = roleMutation({
  roles: ['TRADER'],
  input: z.object({ orderId }).strict(),
  async resolve(ctx, input) {
    limitOrders(ctx);
    return unwrap(await ctx.services.markets.cancel(input.orderId, actorOf(ctx)));
  },
});

/** A new quantity or price for one of the trader's open orders. */
export const amendOrder = roleMutation({
  roles: ['TRADER'],
  input: z
    .object({ orderId, quantityWh: quantityWh.optional(), priceTicks: priceTicks.optional() })
    .strict()
    .refine((v) => v.quantityWh !== undefined || v.priceTicks !== undefined, {
      message: 'give a new quantityWh or priceTicks',
    }),
  async resolve(ctx, input) {
    limitOrders(ctx);
    return unwrap(
      await ctx.services.markets.amend(
        input.orderId,
        { quantityWh: input.quantityWh, priceTicks: input.priceTicks },
        actorOf(ctx),
      ),
    );
  },
});

export const ordersRouter = router({
  place: procedureOf(placeOrder),
  cancel: procedureOf(cancelOrder),
  amend: procedureOf(amendOrder),

  /** My orders: open ones from the live books, history from the database. */
  mine: traderProcedure
    .input(
      z
        .object({
          status: z.enum(['open', 'all']).default('open'),
          intervalStart: instant.optional(),
          limit: pageLimit,
        })
        .default({ status: 'open', limit: 100 }),
    )
    .query(async ({ ctx, input }) => {
      const rows = await ctx.services.db.prisma.order.findMany({
        where: {
          accountId: ctx.user.accountId,
          market: 'CONTINUOUS',
          ...(input.status === 'open' ? { status: { in: ['OPEN', 'PARTIALLY_FILLED'] } } : {}),
          ...(input.intervalStart === undefined
            ? {}
            : { intervalStart: new Date(input.intervalStart) }),
        },
        orderBy: { createdAt: 'desc' },
        take: input.limit,
      });
      return rows.map((o) => ({
        id: o.id,
        intervalStart: o.intervalStart,
        zone: o.zone,
        side: o.side === 'BUY' ? ('buy' as const) : ('sell' as const),
        type: o.type === 'MARKET' ? ('market' as const) : ('limit' as const),
        tif: o.tif,
        postOnly: o.postOnly,
        priceTicks: o.priceTicks,
        quantityWh: Number(o.quantityWh),
        remainingWh: Number(o.remainingWh),
        filledWh:
          o.status === 'CANCELLED' || o.status === 'EXPIRED'
            ? Number(o.quantityWh - o.remainingWh)
            : Number(o.quantityWh - o.remainingWh),
        status: o.status,
        reason: o.reason,
        clientOrderId: o.clientOrderId,
        createdAt: o.createdAt,
        updatedAt: o.updatedAt,
      }));
    }),

  /** My trades (both markets), newest first, with settlement state. */
  fills: traderProcedure
    .input(z.object({ limit: pageLimit }).default({ limit: 100 }))
    .query(async ({ ctx, input }) => {
      const me = ctx.user.accountId;
      const rows = await ctx.services.db.prisma.trade.findMany({
        where: { OR: [{ buyerId: me }, { sellerId: me }] },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        take: input.limit,
      });
      return rows.map((t) => {
        const buy = t.buyerId === me;
        return {
          id: t.id,
          market: t.market,
          side: buy ? ('buy' as const) : ('sell' as const),
          orderId: buy ? t.buyOrderId : t.sellOrderId,
          intervalStart: t.intervalStart,
          zone: buy ? t.buyZone : t.sellZone,
          counterZone: buy ? t.sellZone : t.buyZone,
          priceTicks: t.priceTicks,
          quantityWh: Number(t.quantityWh),
          wheelingTicks: t.wheelingTicks,
          notionalSatang: t.notionalSatang,
          wheelingSatang: buy ? t.wheelingSatang : 0n,
          feeSatang: buy ? t.buyerFeeSatang : t.sellerFeeSatang,
          settlementStatus: t.settlementStatus,
          chainTxHash: t.chainTxHash,
          chainHeight: t.chainHeight,
          time: t.createdAt,
        };
      });
    }),
});
