'use client';
// Price candles and volume for one market with lightweight-charts, times labelled in ICT. The
// library is loaded in the browser only (it draws on canvas); candles arrive from the page, which
// keeps them live from the trades room, and are redrawn in place.
import { useEffect, useRef } from 'react';
import type { IChartApi, ISeriesApi, UTCTimestamp } from 'lightweight-charts';
import type { Candle } from '../../lib/api';
import { useI18n } from '../../lib/i18n';
import { scaled, PRICE_SCALE, ENERGY_SCALE } from '../../lib/units';

const CHART_COLORS = {
  text: '#8d9ab3',
  grid: 'rgba(120, 140, 175, 0.08)',
  up: '#1fc77e',
  down: '#f0476a',
  volumeUp: 'rgba(31, 199, 126, 0.35)',
  volumeDown: 'rgba(240, 71, 106, 0.35)',
};

/** Chart values are for drawing only; every figure a person reads comes from the integers. */
const priceOf = (ticks: number) => Number(scaled(ticks, PRICE_SCALE));
const kwhOf = (wh: number) => Number(scaled(wh, ENERGY_SCALE));

export function CandleChart({ candles, label }: { candles: Candle[]; label: string }) {
  const { f, t } = useI18n();
  const host = useRef<HTMLDivElement>(null);
  const chart = useRef<IChartApi | null>(null);
  const series = useRef<{
    candles: ISeriesApi<'Candlestick'>;
    volume: ISeriesApi<'Histogram'>;
  } | null>(null);
  const formatters = useRef(f);
  formatters.current = f;
  const latest = useRef(candles);
  latest.current = candles;

  useEffect(() => {
    let disposed = false;
    void import('lightweight-charts').then((lw) => {
      const el = host.current;
      if (disposed || !el) return;
      const c = lw.createChart(el, {
        autoSize: true,
        layout: {
          background: { type: lw.ColorType.Solid, color: 'transparent' },
          textColor: CHART_COLORS.text,
          fontFamily: "'Inter Variable', 'Noto Sans Thai Variable', system-ui, sans-serif",
          attributionLogo: false,
        },
        grid: {
          vertLines: { color: CHART_COLORS.grid },
          horzLines: { color: CHART_COLORS.grid },
        },
        rightPriceScale: { borderVisible: false },
        timeScale: {
          borderVisible: false,
          timeVisible: true,
          secondsVisible: false,
          barSpacing: 12,
          rightOffset: 6,
          tickMarkFormatter: (time: UTCTimestamp) => formatters.current.hm(time * 1000),
        },
        localization: {
          timeFormatter: (time: UTCTimestamp) => formatters.current.dateTime(time * 1000),
          priceFormatter: (p: number) => p.toFixed(2),
        },
        crosshair: { mode: lw.CrosshairMode.Normal },
      });
      const candleSeries = c.addSeries(lw.CandlestickSeries, {
        upColor: CHART_COLORS.up,
        downColor: CHART_COLORS.down,
        borderVisible: false,
        wickUpColor: CHART_COLORS.up,
        wickDownColor: CHART_COLORS.down,
        priceFormat: { type: 'price', precision: 2, minMove: 0.01 },
      });
      const volumeSeries = c.addSeries(lw.HistogramSeries, {
        priceScaleId: 'volume',
        priceFormat: { type: 'volume' },
        lastValueVisible: false,
        priceLineVisible: false,
      });
      c.priceScale('volume').applyOptions({ scaleMargins: { top: 0.8, bottom: 0 } });
      candleSeries.priceScale().applyOptions({ scaleMargins: { top: 0.1, bottom: 0.25 } });
      chart.current = c;
      series.current = { candles: candleSeries, volume: volumeSeries };
      draw(latest.current);
    });
    return () => {
      disposed = true;
      chart.current?.remove();
      chart.current = null;
      series.current = null;
    };
  }, []);

  useEffect(() => {
    draw(candles);
  }, [candles]);

  function draw(data: Candle[]) {
    const s = series.current;
    if (!s) return;
    s.candles.setData(
      data.map((c) => ({
        time: (c.time / 1000) as UTCTimestamp,
        open: priceOf(c.open),
        high: priceOf(c.high),
        low: priceOf(c.low),
        close: priceOf(c.close),
      })),
    );
    // A few candles would be stretched across the whole width; keep them candle-sized.
    const scale = chart.current?.timeScale();
    if (data.length > 50) scale?.fitContent();
    else scale?.scrollToRealTime();
    s.volume.setData(
      data.map((c) => ({
        time: (c.time / 1000) as UTCTimestamp,
        value: kwhOf(c.volumeWh),
        color: c.close >= c.open ? CHART_COLORS.volumeUp : CHART_COLORS.volumeDown,
      })),
    );
  }

  return (
    <div className="chart-box">
      <div ref={host} className="chart-host" role="img" aria-label={label} data-testid="candles" />
      {candles.length === 0 ? <p className="chart-empty">{t('trade.noTradesYet')}</p> : null}
    </div>
  );
}
