'use client';
// Market overview: every zone × the upcoming delivery intervals with last price, change since the
// interval's first trade and volume, updated live from the `market` room (a cross-zone trade
// counts in both zones, as the engine counts it). Each cell opens that market's trading screen.
import { useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useEffect, useRef, useState } from 'react';
import { keys, type OverviewCell, type OverviewData, type TradeMessage } from '../lib/api';
import { useNow } from '../lib/clock';
import { useI18n } from '../lib/i18n';
import { useRoom } from '../lib/live/hooks';
import { useIntervals, useZones } from '../lib/queries';
import { continuousCloseMs, formatCountdown, toMs } from '../lib/time';
import { trpc } from '../lib/trpc';
import { ErrorNote, Loading, PageHeader, Panel } from './ui';

const FIRST_ROWS = 12;

function applyTrade(data: OverviewData, trade: TradeMessage): OverviewData {
  const cells = [...data.cells];
  for (const zone of new Set([trade.buyZone, trade.sellZone])) {
    const i = cells.findIndex(
      (c) => c.zone === zone && toMs(c.intervalStart) === trade.intervalStart,
    );
    const before = i >= 0 ? cells[i] : undefined;
    const next: OverviewCell = before
      ? {
          ...before,
          lastPriceTicks: trade.priceTicks,
          changeTicks:
            before.lastPriceTicks === null
              ? 0
              : (before.changeTicks ?? 0) + (trade.priceTicks - before.lastPriceTicks),
          volumeWh: before.volumeWh + trade.quantityWh,
          trades: before.trades + 1,
        }
      : {
          intervalStart: new Date(trade.intervalStart),
          zone,
          lastPriceTicks: trade.priceTicks,
          changeTicks: 0,
          volumeWh: trade.quantityWh,
          trades: 1,
          bestBidTicks: null,
          bestAskTicks: null,
        };
    if (i >= 0) cells[i] = next;
    else cells.push(next);
  }
  return { ...data, cells };
}

export function MarketOverview() {
  const { t, f, locale } = useI18n();
  const qc = useQueryClient();
  const now = useNow();
  const [showAll, setShowAll] = useState(false);
  const [flash, setFlash] = useState<Record<string, number>>({});
  const zones = useZones();
  const intervals = useIntervals();
  const overview = useQuery({
    queryKey: keys.overview,
    queryFn: () => trpc.market.overview.query(),
    refetchInterval: 30_000,
  });

  // A snapshot requested before a trade committed can resolve after its message and overwrite
  // it: each trade also schedules a fresh snapshot (at most one a second), which the engine
  // serves only after the trade it announced is stored.
  const refresh = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(
    () => () => {
      if (refresh.current) clearTimeout(refresh.current);
    },
    [],
  );
  useRoom('market', {
    onResync: () => void qc.invalidateQueries({ queryKey: keys.overview }),
    onMessage: (m) => {
      if (m.type !== 'trade') return;
      const trade = m.data as TradeMessage;
      qc.setQueryData<OverviewData>(keys.overview, (d) => (d ? applyTrade(d, trade) : d));
      refresh.current ??= setTimeout(() => {
        refresh.current = null;
        void qc.invalidateQueries({ queryKey: keys.overview });
      }, 1_000);
      const stamp = Date.now();
      setFlash((prev) => ({
        ...prev,
        [`${trade.buyZone}|${trade.intervalStart}`]: stamp,
        [`${trade.sellZone}|${trade.intervalStart}`]: stamp,
      }));
    },
  });
  useRoom('grid', {
    onMessage: () => void qc.invalidateQueries({ queryKey: keys.zones }),
  });

  const zoneList = zones.data?.zones ?? [];
  const trading = new Set(
    (intervals.data?.intervals ?? []).filter((i) => i.trading).map((i) => i.start.getTime()),
  );
  const rows = (overview.data?.intervals ?? []).map((d) => d.getTime());
  const visible = showAll ? rows : rows.slice(0, FIRST_ROWS);
  const cellOf = new Map(
    (overview.data?.cells ?? []).map((c) => [`${c.zone}|${toMs(c.intervalStart)}`, c]),
  );

  return (
    <div className="page">
      <PageHeader title={t('markets.title')} subtitle={t('markets.subtitle')} />
      <ErrorNote error={zones.error ?? overview.error} />
      <div className="zone-strip" data-testid="zone-strip">
        {zoneList.map((z) => (
          <div key={z.code} className={`zone-chip${z.halted ? ' halted' : ''}`}>
            <span className="zone-code" translate="no">
              {z.code}
            </span>
            <span className="zone-name">{locale === 'th' ? z.nameTh : z.nameEn}</span>
            <span className={`pill ${z.halted ? 'pill-bad' : 'pill-ok'}`}>
              {z.halted ? t('zone.halted') : t('zone.trading')}
            </span>
          </div>
        ))}
      </div>
      <Panel
        title={t('markets.matrix')}
        testId="overview"
        actions={
          rows.length > FIRST_ROWS ? (
            <button
              type="button"
              className="btn btn-ghost btn-sm"
              onClick={() => setShowAll((s) => !s)}
              aria-expanded={showAll}
            >
              {showAll ? t('markets.showFewer') : t('markets.showAll', { n: rows.length })}
            </button>
          ) : null
        }
      >
        {overview.isPending ? (
          <Loading />
        ) : rows.length === 0 ? (
          <p className="empty">{t('markets.none')}</p>
        ) : (
          <div className="matrix-wrap">
            <table className="matrix">
              <caption className="sr-only">{t('markets.caption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('markets.interval')}</th>
                  {zoneList.map((z) => (
                    <th scope="col" key={z.code} className={z.halted ? 'halted' : undefined}>
                      <span translate="no">{z.code}</span>
                      <span className="th-sub">{locale === 'th' ? z.nameTh : z.nameEn}</span>
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {visible.map((start) => {
                  const closesIn = continuousCloseMs(start) - now;
                  return (
                    <tr key={start}>
                      <th scope="row">
                        <span className="interval-label">{f.interval(start)}</span>
                        <span className="th-sub">
                          {f.date(start)}
                          {now > 0 && trading.has(start)
                            ? ` · ${t('markets.closesIn', { time: formatCountdown(closesIn) })}`
                            : ''}
                        </span>
                      </th>
                      {zoneList.map((z) => {
                        const cell = cellOf.get(`${z.code}|${start}`);
                        const flashed = (flash[`${z.code}|${start}`] ?? 0) > Date.now() - 1500;
                        return (
                          <td key={z.code} className={flashed ? 'flash' : undefined}>
                            <Link
                              href={`/trade/${z.code}/${start}`}
                              className="cell-link"
                              aria-label={t('markets.cellLabel', {
                                zone: z.code,
                                interval: f.intervalWithDate(start),
                                price:
                                  cell && cell.lastPriceTicks !== null
                                    ? f.priceUnit(cell.lastPriceTicks)
                                    : t('markets.noTrades'),
                              })}
                            >
                              {cell && cell.lastPriceTicks !== null ? (
                                <>
                                  <span className="cell-price">{f.price(cell.lastPriceTicks)}</span>
                                  <span
                                    className={`cell-change ${(cell.changeTicks ?? 0) > 0 ? 'up' : (cell.changeTicks ?? 0) < 0 ? 'down' : ''}`}
                                  >
                                    {(cell.changeTicks ?? 0) > 0
                                      ? '▲'
                                      : (cell.changeTicks ?? 0) < 0
                                        ? '▼'
                                        : ''}
                                    {f.priceChange(cell.changeTicks ?? 0)}
                                  </span>
                                  <span className="cell-volume">{f.energy(cell.volumeWh)}</span>
                                </>
                              ) : cell &&
                                (cell.bestBidTicks !== null || cell.bestAskTicks !== null) ? (
                                <span className="cell-quote" title={t('markets.quoteTitle')}>
                                  {cell.bestBidTicks !== null ? f.price(cell.bestBidTicks) : '—'}
                                  {' / '}
                                  {cell.bestAskTicks !== null ? f.price(cell.bestAskTicks) : '—'}
                                </span>
                              ) : (
                                <span className="cell-empty">—</span>
                              )}
                            </Link>
                          </td>
                        );
                      })}
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
        <p className="muted small">{t('markets.legend', { unit: f.priceUnitLabel })}</p>
      </Panel>
    </div>
  );
}
