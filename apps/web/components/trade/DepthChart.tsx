'use client';
// Depth chart: cumulative bids and asks against price, drawn with lightweight-charts' price-axis
// chart. Points are laid on an even price grid, so distance on screen is distance in price.
import { useEffect, useRef } from 'react';
import type { IChartApiBase, ISeriesApi } from 'lightweight-charts';
import type { DepthLevel } from '../../lib/api';
import { useI18n } from '../../lib/i18n';
import { ENERGY_SCALE, PRICE_SCALE, scaled } from '../../lib/units';

const MAX_POINTS = 160;

interface Point {
  time: number;
  value: number;
}

/** Cumulative kWh at each grid price: bids to the left of the spread, asks to the right. */
export function depthPoints(
  bids: DepthLevel[],
  asks: DepthLevel[],
  tickSize: number,
): { bids: Point[]; asks: Point[] } {
  const bestBid = bids[0]?.priceTicks;
  const bestAsk = asks[0]?.priceTicks;
  if (bestBid === undefined && bestAsk === undefined) return { bids: [], asks: [] };
  const low = bids.length ? bids[bids.length - 1]!.priceTicks : bestAsk!;
  const high = asks.length ? asks[asks.length - 1]!.priceTicks : bestBid!;
  const pad = Math.max(tickSize, Math.round(((high - low) * 0.08) / tickSize) * tickSize);
  const from = Math.max(0, low - pad);
  const to = high + pad;
  const step = Math.max(tickSize, Math.ceil((to - from) / MAX_POINTS / tickSize) * tickSize);
  const x = (ticks: number) => Number(scaled(ticks, PRICE_SCALE));
  const y = (wh: number) => Number(scaled(wh, ENERGY_SCALE));
  const bidPoints: Point[] = [];
  const askPoints: Point[] = [];
  for (let p = from; p <= to; p += step) {
    if (bestBid !== undefined && p <= bestBid) {
      const cum = bids.filter((l) => l.priceTicks >= p).reduce((s, l) => s + l.quantityWh, 0);
      bidPoints.push({ time: x(p), value: y(cum) });
    }
    if (bestAsk !== undefined && p >= bestAsk) {
      const cum = asks.filter((l) => l.priceTicks <= p).reduce((s, l) => s + l.quantityWh, 0);
      askPoints.push({ time: x(p), value: y(cum) });
    }
  }
  return { bids: bidPoints, asks: askPoints };
}

export function DepthChart({
  bids,
  asks,
  tickSize,
}: {
  bids: DepthLevel[];
  asks: DepthLevel[];
  tickSize: number;
}) {
  const { t, f } = useI18n();
  const host = useRef<HTMLDivElement>(null);
  const series = useRef<{
    bids: ISeriesApi<'Area', number>;
    asks: ISeriesApi<'Area', number>;
  } | null>(null);
  const chart = useRef<IChartApiBase<number> | null>(null);
  const latest = useRef({ bids, asks, tickSize });
  latest.current = { bids, asks, tickSize };

  useEffect(() => {
    let disposed = false;
    void import('lightweight-charts').then((lw) => {
      const el = host.current;
      if (disposed || !el) return;
      const c = lw.createOptionsChart(el, {
        autoSize: true,
        layout: {
          background: { type: lw.ColorType.Solid, color: 'transparent' },
          textColor: '#8d9ab3',
          fontFamily: "'Inter Variable', 'Noto Sans Thai Variable', system-ui, sans-serif",
          attributionLogo: false,
        },
        grid: { vertLines: { visible: false }, horzLines: { color: 'rgba(120,140,175,0.08)' } },
        rightPriceScale: { borderVisible: false },
        timeScale: { borderVisible: false },
        localization: { precision: 2, priceFormatter: (p: number) => p.toFixed(1) },
        handleScroll: false,
        handleScale: false,
      });
      const common = {
        lineType: lw.LineType.WithSteps,
        lineWidth: 2 as const,
        priceFormat: { type: 'volume' as const },
        lastValueVisible: false,
        priceLineVisible: false,
      };
      const bidSeries = c.addSeries(lw.AreaSeries, {
        ...common,
        lineColor: '#1fc77e',
        topColor: 'rgba(31,199,126,0.35)',
        bottomColor: 'rgba(31,199,126,0.04)',
      });
      const askSeries = c.addSeries(lw.AreaSeries, {
        ...common,
        lineColor: '#f0476a',
        topColor: 'rgba(240,71,106,0.35)',
        bottomColor: 'rgba(240,71,106,0.04)',
      });
      chart.current = c;
      series.current = { bids: bidSeries, asks: askSeries };
      draw();
    });
    return () => {
      disposed = true;
      chart.current?.remove();
      chart.current = null;
      series.current = null;
    };
  }, []);

  useEffect(() => {
    draw();
  }, [bids, asks, tickSize]);

  function draw() {
    const s = series.current;
    if (!s) return;
    const pts = depthPoints(latest.current.bids, latest.current.asks, latest.current.tickSize);
    s.bids.setData(pts.bids);
    s.asks.setData(pts.asks);
    chart.current?.timeScale().fitContent();
  }

  const bidTotal = bids.reduce((s, l) => s + l.quantityWh, 0);
  const askTotal = asks.reduce((s, l) => s + l.quantityWh, 0);
  return (
    <div className="chart-box chart-box-depth">
      <div
        ref={host}
        className="chart-host"
        role="img"
        aria-label={t('trade.depthLabel', { bids: f.energy(bidTotal), asks: f.energy(askTotal) })}
        data-testid="depth-chart"
      />
      {bids.length === 0 && asks.length === 0 ? (
        <p className="chart-empty">{t('trade.bookEmpty')}</p>
      ) : null}
    </div>
  );
}
