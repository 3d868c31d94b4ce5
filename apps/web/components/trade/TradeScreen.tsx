'use client';
// The trading screen for one zone and delivery interval: instrument bar (zone, interval, last
// price, best bid/ask, time left), depth ladder, candles, depth chart, order ticket, my account,
// trades tape, my orders and fills. The book comes from useLiveBook; trades and candles from
// their queries kept live by the `trades:` room, refetched whenever that room loses continuity.
import { useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useMemo, useState } from 'react';
import { isoOf, keys, type Candle, type PublicTrade, type TradeMessage } from '../../lib/api';
import { useNow } from '../../lib/clock';
import { useI18n } from '../../lib/i18n';
import { useLiveBook } from '../../lib/live/book';
import { useRoom } from '../../lib/live/hooks';
import {
  hasRole,
  useBalances,
  useFills,
  useIntervals,
  useMe,
  useOpenOrders,
  useZones,
} from '../../lib/queries';
import { continuousCloseMs, formatCountdown } from '../../lib/time';
import { trpc } from '../../lib/trpc';
import { ErrorNote, Loading, Panel } from '../ui';
import { AccountPanel } from './AccountPanel';
import { CandleChart } from './CandleChart';
import { DepthChart } from './DepthChart';
import { DepthLadder } from './DepthLadder';
import { MyActivity } from './MyActivity';
import { OrderTicket, type PriceFill } from './OrderTicket';
import { TradesTape } from './TradesTape';

const CANDLE_MS = 60_000;

function mergeTrade(candles: Candle[], trade: TradeMessage): Candle[] {
  const bucket = Math.floor(trade.time / CANDLE_MS) * CANDLE_MS;
  const last = candles[candles.length - 1];
  if (last && last.time === bucket) {
    return [
      ...candles.slice(0, -1),
      {
        ...last,
        high: Math.max(last.high, trade.priceTicks),
        low: Math.min(last.low, trade.priceTicks),
        close: trade.priceTicks,
        volumeWh: last.volumeWh + trade.quantityWh,
        trades: last.trades + 1,
      },
    ];
  }
  if (last && last.time > bucket) return candles;
  return [
    ...candles,
    {
      time: bucket,
      open: trade.priceTicks,
      high: trade.priceTicks,
      low: trade.priceTicks,
      close: trade.priceTicks,
      volumeWh: trade.quantityWh,
      trades: 1,
    },
  ];
}

export function TradeScreen({ zone, intervalStart }: { zone: string; intervalStart: number }) {
  const { t, f, locale } = useI18n();
  const qc = useQueryClient();
  const router = useRouter();
  const now = useNow();
  const { me } = useMe();
  const trader = hasRole(me, 'TRADER');
  const zones = useZones();
  const intervals = useIntervals();
  const { book, error: bookError } = useLiveBook(zone, intervalStart);
  const [fill, setFill] = useState<PriceFill | null>(null);
  const balances = useBalances(trader);
  const fills = useFills(trader);
  const openOrders = useOpenOrders(trader);

  const trades = useQuery({
    queryKey: keys.trades(zone, intervalStart),
    queryFn: () =>
      trpc.market.trades.query({ zone, intervalStart: isoOf(intervalStart), limit: 100 }),
  });
  const candles = useQuery({
    queryKey: keys.candles(zone, intervalStart),
    queryFn: () =>
      trpc.market.candles.query({ zone, intervalStart: isoOf(intervalStart), resolution: '1m' }),
  });

  useRoom(`trades:${intervalStart}:${zone}`, {
    onResync: () => {
      void qc.invalidateQueries({ queryKey: keys.trades(zone, intervalStart) });
      void qc.invalidateQueries({ queryKey: keys.candles(zone, intervalStart) });
    },
    onMessage: (m) => {
      if (m.type !== 'trade') return;
      const trade = m.data as TradeMessage;
      qc.setQueryData<PublicTrade[]>(keys.trades(zone, intervalStart), (list) =>
        !list || list.some((x) => x.id === trade.id)
          ? list
          : [{ ...trade, time: new Date(trade.time) }, ...list],
      );
      qc.setQueryData<Candle[]>(keys.candles(zone, intervalStart), (list) =>
        list ? mergeTrade(list, trade) : list,
      );
    },
  });
  useRoom('grid', {
    onMessage: () => void qc.invalidateQueries({ queryKey: keys.zones }),
  });

  const zoneInfo = zones.data?.zones.find((z) => z.code === zone);
  const params = zones.data?.params;
  const maxWheelingTicks = (zones.data?.links ?? [])
    .filter((l) => l.to === zone)
    .reduce((m, l) => Math.max(m, l.wheelingTicks), 0);
  const tradingIntervals = (intervals.data?.intervals ?? []).filter((i) => i.trading);
  const isTrading = tradingIntervals.some((i) => i.start.getTime() === intervalStart);
  const closesIn = continuousCloseMs(intervalStart) - now;
  const halted = book?.halted ?? zoneInfo?.halted ?? false;
  const haltReason = halted ? (zoneInfo?.haltReason ?? '') : null;

  const candleList = candles.data ?? [];
  const stats = useMemo(() => {
    const first = candleList[0];
    const last = candleList[candleList.length - 1];
    const volume = candleList.reduce((s, c) => s + c.volumeWh, 0);
    return {
      last: last?.close ?? null,
      change: first && last ? last.close - first.open : null,
      volume,
      high: candleList.length ? Math.max(...candleList.map((c) => c.high)) : null,
      low: candleList.length ? Math.min(...candleList.map((c) => c.low)) : null,
    };
  }, [candleList]);

  const myPrices = useMemo(() => {
    const buy = new Set<number>();
    const sell = new Set<number>();
    for (const o of openOrders.data ?? []) {
      if (o.zone !== zone || o.intervalStart.getTime() !== intervalStart) continue;
      (o.side === 'buy' ? buy : sell).add(o.priceTicks);
    }
    return { buy, sell };
  }, [openOrders.data, zone, intervalStart]);

  const bestBid = book?.bids[0]?.priceTicks;
  const bestAsk = book?.asks[0]?.priceTicks;
  const zoneName = zoneInfo ? (locale === 'th' ? zoneInfo.nameTh : zoneInfo.nameEn) : zone;

  const go = (nextZone: string, nextInterval: number) =>
    router.push(`/trade/${nextZone}/${nextInterval}`);

  return (
    <div className="trade-page">
      <h1 className="sr-only">
        {t('trade.title', { zone: zoneName, interval: f.intervalWithDate(intervalStart) })}
      </h1>
      <div className="instrument" data-testid="instrument">
        <div className="instrument-pick">
          <label className="field field-compact">
            <span>{t('trade.zone')}</span>
            <select
              value={zone}
              onChange={(e) => go(e.target.value, intervalStart)}
              data-testid="zone-select"
            >
              {(zones.data?.zones ?? []).map((z) => (
                <option key={z.code} value={z.code}>
                  {z.code} · {locale === 'th' ? z.nameTh : z.nameEn}
                  {z.halted ? ` (${t('zone.halted')})` : ''}
                </option>
              ))}
            </select>
          </label>
          <label className="field field-compact">
            <span>{t('trade.interval')}</span>
            <select
              value={intervalStart}
              onChange={(e) => go(zone, Number(e.target.value))}
              data-testid="interval-select"
            >
              {!isTrading ? (
                <option value={intervalStart}>{f.intervalWithDate(intervalStart)}</option>
              ) : null}
              {tradingIntervals.map((i) => (
                <option key={i.start.getTime()} value={i.start.getTime()}>
                  {f.intervalWithDate(i.start.getTime())}
                </option>
              ))}
            </select>
          </label>
        </div>
        <dl className="instrument-stats">
          <div className="stat-main">
            <dt>{t('trade.last')}</dt>
            <dd data-testid="last-price">
              {stats.last !== null ? f.price(stats.last) : '—'}
              <span className="unit"> {f.priceUnitLabel}</span>
            </dd>
          </div>
          <div>
            <dt>{t('trade.change')}</dt>
            <dd className={stats.change ? (stats.change > 0 ? 'up' : 'down') : undefined}>
              {stats.change !== null ? f.priceChange(stats.change) : '—'}
            </dd>
          </div>
          <div>
            <dt>{t('trade.bestBid')}</dt>
            <dd className="up" data-testid="best-bid">
              {bestBid !== undefined ? f.price(bestBid) : '—'}
            </dd>
          </div>
          <div>
            <dt>{t('trade.bestAsk')}</dt>
            <dd className="down" data-testid="best-ask">
              {bestAsk !== undefined ? f.price(bestAsk) : '—'}
            </dd>
          </div>
          <div className="hide-sm">
            <dt>{t('trade.volume')}</dt>
            <dd>{f.energy(stats.volume)}</dd>
          </div>
          <div>
            <dt>{t('trade.status')}</dt>
            <dd data-testid="market-status">
              {halted ? (
                <span className="pill pill-bad">{t('zone.halted')}</span>
              ) : isTrading && now > 0 ? (
                <span className="pill pill-ok">
                  {t('trade.closesIn', { time: formatCountdown(closesIn) })}
                </span>
              ) : intervals.isPending ? (
                '…'
              ) : (
                <span className="pill pill-muted">{t('trade.closed')}</span>
              )}
            </dd>
          </div>
        </dl>
      </div>
      {halted ? (
        <p className="banner banner-halt" role="alert" data-testid="halt-banner">
          {t('trade.haltBanner', { zone, reason: haltReason ?? '' })}
        </p>
      ) : null}
      <ErrorNote error={zones.error} />

      <div className="trade-grid">
        <Panel title={t('trade.book')} className="area-ladder" testId="book-panel">
          {bookError ? <ErrorNote error={bookError} testId="book-error" /> : null}
          {!book && !bookError ? <Loading /> : null}
          {book ? (
            <DepthLadder
              book={book}
              myPrices={myPrices}
              onPick={(priceTicks, side) => setFill({ priceTicks, side, nonce: Date.now() })}
            />
          ) : null}
        </Panel>

        <div className="area-charts">
          <Panel title={t('trade.chart')} className="area-chart">
            {candles.isPending ? (
              <Loading />
            ) : (
              <CandleChart
                candles={candleList}
                label={t('trade.chartLabel', {
                  last: stats.last !== null ? f.priceUnit(stats.last) : '—',
                  high: stats.high !== null ? f.price(stats.high) : '—',
                  low: stats.low !== null ? f.price(stats.low) : '—',
                })}
              />
            )}
          </Panel>

          <Panel title={t('trade.depth')} className="area-depth">
            <DepthChart
              bids={book?.bids ?? []}
              asks={book?.asks ?? []}
              tickSize={params?.tickSizeTicks ?? 100}
            />
          </Panel>
        </div>

        <Panel title={t('trade.ticket')} className="area-ticket" testId="ticket-panel">
          {!me ? (
            <div className="gate">
              <p>{t('trade.signInToTrade')}</p>
              <div className="gate-actions">
                <Link href="/signin" className="btn btn-primary">
                  {t('auth.signIn')}
                </Link>
                <Link href="/signup" className="btn btn-ghost">
                  {t('auth.signUp')}
                </Link>
              </div>
            </div>
          ) : !trader ? (
            <p className="gate">{t('trade.tradersOnly')}</p>
          ) : params ? (
            <>
              <OrderTicket
                zone={zone}
                intervalStart={intervalStart}
                book={book}
                params={params}
                maxWheelingTicks={maxWheelingTicks}
                balances={balances.data}
                canTrade={trader}
                haltReason={haltReason}
                fill={fill}
              />
              <AccountPanel
                balances={balances.data}
                error={balances.error}
                fills={fills.data}
                zone={zone}
                intervalStart={intervalStart}
              />
            </>
          ) : (
            <Loading />
          )}
        </Panel>

        <Panel title={t('trade.trades')} className="area-tape">
          {trades.isPending ? <Loading /> : <TradesTape trades={trades.data ?? []} zone={zone} />}
        </Panel>

        <Panel title={t('activity.title')} className="area-orders">
          <MyActivity zone={zone} intervalStart={intervalStart} enabled={trader} />
        </Panel>
      </div>
    </div>
  );
}
