// market.zones | intervals | book | trades | candles | overview — public market data. Books come
// from the in-memory markets (with the stream sequence they are consistent with); trades and
// candles from the database.
import { z } from 'zod';
import { calendarOf, isContinuousOpen, openContinuousIntervals } from '../../market/calendar.ts';
import { domainError } from '../../errors.ts';
import { instant, pageLimit, zoneCode } from '../inputs.ts';
import { publicProcedure, router } from '../init.ts';

const RESOLUTIONS = { '1m': 60_000, '5m': 300_000, '15m': 900_000, '1h': 3_600_000 } as const;

export const marketRouter = router({
  zones: publicProcedure.query(async ({ ctx }) => {
    const { prisma } = ctx.services.db;
    const [zones, links] = await Promise.all([
      prisma.zone.findMany({ orderBy: { code: 'asc' } }),
      prisma.link.findMany({ orderBy: [{ fromZone: 'asc' }, { toZone: 'asc' }] }),
    ]);
    return {
      zones: zones.map((z) => ({
        code: z.code,
        nameEn: z.nameEn,
        nameTh: z.nameTh,
        authority: z.authority,
        halted: z.halted,
        haltReason: z.haltReason,
      })),
      links: links.map((l) => ({
        from: l.fromZone,
        to: l.toZone,
        capacityWh: Number(l.capacityWh),
        wheelingTicks: l.wheelingTicks,
      })),
      params: ctx.services.markets.referenceData.params,
    };
  }),

  /** Intervals open for continuous trading now, with their calendars. */
  intervals: publicProcedure.query(({ ctx }) => {
    const now = ctx.services.clock.now();
    const open = new Set(ctx.services.markets.openIntervals());
    return {
      now: new Date(now),
      dayAheadDay: ctx.services.dayAhead.openDay(),
      intervals: openContinuousIntervals(now).map((t) => {
        const cal = calendarOf(t);
        return {
          start: new Date(cal.start),
          end: new Date(cal.end),
          continuousOpen: new Date(cal.continuousOpen),
          continuousClose: new Date(cal.continuousClose),
          dayAheadClosure: new Date(cal.dayAheadClosure),
          trading: open.has(t) && isContinuousOpen(t, now),
        };
      }),
    };
  }),

  book: publicProcedure
    .input(
      z.object({
        zone: zoneCode,
        intervalStart: instant,
        levels: z.number().int().min(1).max(50).default(20),
      }),
    )
    .query(({ ctx, input }) => {
      const view = ctx.services.markets.book(input.intervalStart, input.zone, input.levels);
      if (!view) throw domainError('MARKET_NOT_OPEN', 'No open market for this zone and interval');
      return { ...view, intervalStart: new Date(view.intervalStart) };
    }),

  trades: publicProcedure
    .input(z.object({ zone: zoneCode, intervalStart: instant, limit: pageLimit }))
    .query(async ({ ctx, input }) => {
      const rows = await ctx.services.db.prisma.trade.findMany({
        where: {
          intervalStart: new Date(input.intervalStart),
          market: 'CONTINUOUS',
          OR: [{ buyZone: input.zone }, { sellZone: input.zone }],
        },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        take: input.limit,
      });
      return rows.map((t) => ({
        id: t.id,
        time: t.createdAt,
        buyZone: t.buyZone,
        sellZone: t.sellZone,
        priceTicks: t.priceTicks,
        quantityWh: Number(t.quantityWh),
        wheelingTicks: t.wheelingTicks,
        takerSide: t.takerSide === 'BUY' ? ('buy' as const) : ('sell' as const),
      }));
    }),

  candles: publicProcedure
    .input(
      z.object({
        zone: zoneCode,
        intervalStart: instant,
        resolution: z.enum(['1m', '5m', '15m', '1h']).default('1m'),
      }),
    )
    .query(async ({ ctx, input }) => {
      const bucketMs = RESOLUTIONS[input.resolution];
      const { rows } = await ctx.services.db.pool.query<{
        bucket: string;
        open: number;
        high: number;
        low: number;
        close: number;
        volume: string;
        trades: string;
      }>(
        `SELECT (floor(extract(epoch FROM created_at) * 1000 / $3) * $3)::bigint::text AS bucket,
                (array_agg(price_ticks ORDER BY created_at, id))[1] AS open,
                max(price_ticks) AS high, min(price_ticks) AS low,
                (array_agg(price_ticks ORDER BY created_at DESC, id DESC))[1] AS close,
                sum(quantity_wh)::text AS volume, count(*)::text AS trades
           FROM trade
          WHERE interval_start = $1 AND market = 'CONTINUOUS' AND (buy_zone = $2 OR sell_zone = $2)
          GROUP BY 1 ORDER BY 1`,
        [new Date(input.intervalStart), input.zone, bucketMs],
      );
      return rows.map((r) => ({
        time: Number(r.bucket),
        open: r.open,
        high: r.high,
        low: r.low,
        close: r.close,
        volumeWh: Number(r.volume),
        trades: Number(r.trades),
      }));
    }),

  /** State hash of every open book (SHA-256 of its canonical snapshot), for recovery checks. */
  hashes: publicProcedure.query(({ ctx }) => ctx.services.markets.stateHashes()),

  /** Zones × open intervals: last price, change since the first trade, volume. */
  overview: publicProcedure.query(async ({ ctx }) => {
    const intervals = ctx.services.markets.openIntervals();
    if (intervals.length === 0) return { intervals: [] as Date[], cells: [] };
    const { rows } = await ctx.services.db.pool.query<{
      t: Date;
      zone: string;
      first: number;
      last: number;
      volume: string;
      trades: string;
    }>(
      `SELECT interval_start AS t, z.zone,
              (array_agg(price_ticks ORDER BY created_at, id))[1] AS first,
              (array_agg(price_ticks ORDER BY created_at DESC, id DESC))[1] AS last,
              sum(quantity_wh)::text AS volume, count(*)::text AS trades
         FROM trade, LATERAL (SELECT DISTINCT unnest(ARRAY[buy_zone, sell_zone]) AS zone) z
        WHERE interval_start = ANY($1::timestamptz[]) AND market = 'CONTINUOUS'
        GROUP BY 1, 2`,
      [intervals.map((t) => new Date(t))],
    );
    const traded = new Map(rows.map((r) => [`${r.t.getTime()}|${r.zone}`, r]));
    const zones = ctx.services.markets.referenceData.zones.map((z) => z.code);
    return {
      intervals: intervals.map((t) => new Date(t)),
      cells: intervals.flatMap((t) =>
        zones.map((zone) => {
          const r = traded.get(`${t}|${zone}`);
          const top = ctx.services.markets.topOfBook(t, zone);
          return {
            intervalStart: new Date(t),
            zone,
            lastPriceTicks: r ? r.last : null,
            changeTicks: r ? r.last - r.first : null,
            volumeWh: r ? Number(r.volume) : 0,
            trades: r ? Number(r.trades) : 0,
            bestBidTicks: top.bidTicks,
            bestAskTicks: top.askTicks,
          };
        }),
      ),
    };
  }),
});
