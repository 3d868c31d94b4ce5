'use client';
// Day-ahead results: the uniform clearing price of every zone and quarter-hour (chart and
// table), cleared volumes, inter-zone flows, and — for a signed-in trader — what was accepted
// of each of my orders.
import { useEffect, useRef, useState } from 'react';
import type { IChartApi, ISeriesApi, Time, UTCTimestamp } from 'lightweight-charts';
import type { DayAheadOrder, DayAheadResults } from '../../lib/api';
import { useI18n } from '../../lib/i18n';
import { intervalsOfDay, toMs } from '../../lib/time';
import { PRICE_SCALE, scaled } from '../../lib/units';
import { zoneColor } from '../../lib/zones';
import { Panel, SideLabel } from '../ui';

type Published = Extract<DayAheadResults, { published: true }>;

export function Results({
  results,
  zones,
  mine,
}: {
  results: Published;
  zones: string[];
  mine: DayAheadOrder[] | null;
}) {
  const { t, f } = useI18n();
  const intervals = intervalsOfDay(results.day);
  const price = new Map(results.prices.map((p) => [`${p.zone}|${p.intervalStart}`, p]));
  const volume = (zone: string) =>
    results.prices.filter((p) => p.zone === zone).reduce((s, p) => s + p.buyWh, 0);
  /** Volume-weighted clearing price of the zone's traded quarter-hours, to the tick. */
  const avg = (zone: string) => {
    const traded = results.prices.filter((p) => p.zone === zone && p.buyWh > 0);
    const wh = traded.reduce((s, p) => s + p.buyWh, 0);
    if (wh === 0) return null;
    const weighted = traded.reduce((s, p) => s + BigInt(p.priceTicks) * BigInt(p.buyWh), 0n);
    return Math.round(Number(weighted / BigInt(wh)) / 100) * 100;
  };
  const flows = new Map<string, number>();
  for (const fl of results.flows) {
    const k = `${fl.from}→${fl.to}`;
    flows.set(k, (flows.get(k) ?? 0) + fl.quantityWh);
  }

  return (
    <div className="results" data-testid="da-results">
      <p className="muted">
        {t('da.clearedAt', {
          time: f.dateTime(results.clearedAt),
          orders: results.orderCount,
        })}
        {results.status !== 'CLEARED' ? ` · ${t('da.failedRun')}` : ''}
      </p>
      <div className="zone-summary">
        {zones.map((z) => {
          const a = avg(z);
          return (
            <div key={z} className="zone-summary-card" style={{ borderColor: zoneColor(z) }}>
              <span className="zone-code" translate="no">
                {z}
              </span>
              <span className="big-num">{a !== null ? f.price(a) : '—'}</span>
              <span className="muted small">
                {a !== null ? t('da.avgPrice', { unit: f.priceUnitLabel }) : t('da.noVolume')}
              </span>
              <span className="small">{t('da.cleared', { qty: f.energy(volume(z)) })}</span>
            </div>
          );
        })}
      </div>
      <Panel title={t('da.priceChart')}>
        <PriceChart results={results} zones={zones} />
      </Panel>
      {mine && mine.length > 0 ? (
        <Panel title={t('da.myAccepted')} testId="da-accepted">
          <table className="data-table">
            <caption className="sr-only">{t('da.myAccepted')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('da.kind')}</th>
                <th scope="col">{t('activity.side')}</th>
                <th scope="col">{t('da.when')}</th>
                <th scope="col" className="num">
                  {t('trade.price')}
                </th>
                <th scope="col" className="num">
                  {t('da.submitted')}
                </th>
                <th scope="col" className="num">
                  {t('da.accepted')}
                </th>
                <th scope="col" className="num hide-sm">
                  {t('da.clearingPrice')}
                </th>
              </tr>
            </thead>
            <tbody>
              {mine.map((o) => {
                const accepted = o.accepted.reduce((s, a) => s + a.quantityWh, 0);
                const first = o.profile[0]?.intervalStart ?? o.intervalStart;
                const last = o.profile[o.profile.length - 1]?.intervalStart ?? o.intervalStart;
                const clearing = price.get(`${o.zone}|${toMs(o.intervalStart)}`);
                return (
                  <tr key={o.id} data-testid="da-accepted-row">
                    <td>
                      {t(o.kind === 'block' ? 'da.block' : 'da.simple')}{' '}
                      <span className="muted small" translate="no">
                        {o.zone}
                      </span>
                    </td>
                    <td>
                      <SideLabel side={o.side} />
                    </td>
                    <td className="nowrap">
                      {o.kind === 'block'
                        ? `${f.hm(first)}–${f.interval(toMs(last)).split('–')[1] ?? ''}`
                        : f.interval(toMs(o.intervalStart))}
                    </td>
                    <td className="num">{f.price(o.priceTicks)}</td>
                    <td className="num">{f.kwh(o.quantityWh)}</td>
                    <td
                      className={`num ${accepted > 0 ? 'strong' : 'muted'}`}
                      data-testid="da-accepted-qty"
                    >
                      {f.kwh(accepted)}
                    </td>
                    <td className="num hide-sm">
                      {o.kind === 'simple' && clearing ? f.price(clearing.priceTicks) : '—'}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </Panel>
      ) : null}
      {flows.size > 0 ? (
        <Panel title={t('da.flows')}>
          <ul className="flow-list">
            {[...flows].map(([k, wh]) => (
              <li key={k}>
                <span translate="no">{k}</span> <strong>{f.energy(wh)}</strong>
              </li>
            ))}
          </ul>
        </Panel>
      ) : null}
      <Panel title={t('da.priceTable')}>
        <div className="scroll-y">
          <table className="data-table compact" data-testid="da-price-table">
            <caption className="sr-only">
              {t('da.priceTableCaption', { unit: f.priceUnitLabel })}
            </caption>
            <thead>
              <tr>
                <th scope="col">{t('activity.interval')}</th>
                {zones.map((z) => (
                  <th scope="col" key={z} className="num" translate="no">
                    {z}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {intervals.map((start) => (
                <tr key={start}>
                  <th scope="row" className="nowrap">
                    {f.interval(start)}
                  </th>
                  {zones.map((z) => {
                    const p = price.get(`${z}|${start}`);
                    return (
                      <td key={z} className="num" data-testid={`da-price-${z}-${start}`}>
                        {p ? f.price(p.priceTicks) : '—'}
                        {p && p.buyWh > 0 ? (
                          <span className="muted small"> · {f.kwh(p.buyWh)}</span>
                        ) : null}
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </Panel>
    </div>
  );
}

function PriceChart({ results, zones }: { results: Published; zones: string[] }) {
  const { t, f } = useI18n();
  const host = useRef<HTMLDivElement>(null);
  const fmt = useRef(f);
  fmt.current = f;
  const [ready, setReady] = useState(false);
  const chart = useRef<IChartApi | null>(null);
  const series = useRef(new Map<string, ISeriesApi<'Line'>>());
  const zoneKey = zones.join('|');

  useEffect(() => {
    let disposed = false;
    const lines = series.current;
    void import('lightweight-charts').then((lw) => {
      const el = host.current;
      if (disposed || !el) return;
      const toMsOf = (time: Time) => (typeof time === 'number' ? time * 1000 : 0);
      const c = lw.createChart(el, {
        autoSize: true,
        layout: {
          background: { type: lw.ColorType.Solid, color: 'transparent' },
          textColor: '#8d9ab3',
          fontFamily: "'Inter Variable', 'Noto Sans Thai Variable', system-ui, sans-serif",
          attributionLogo: false,
        },
        grid: {
          vertLines: { color: 'rgba(120,140,175,0.08)' },
          horzLines: { color: 'rgba(120,140,175,0.08)' },
        },
        rightPriceScale: { borderVisible: false },
        timeScale: {
          borderVisible: false,
          timeVisible: true,
          tickMarkFormatter: (time: Time) => fmt.current.hm(toMsOf(time)),
        },
        localization: {
          timeFormatter: (time: Time) => fmt.current.dateTime(toMsOf(time)),
          priceFormatter: (p: number) => p.toFixed(2),
        },
      });
      for (const z of zoneKey.split('|')) {
        lines.set(
          z,
          c.addSeries(lw.LineSeries, {
            color: zoneColor(z),
            lineWidth: 2,
            lineType: lw.LineType.WithSteps,
            title: z,
            priceFormat: { type: 'price', precision: 2, minMove: 0.01 },
          }),
        );
      }
      chart.current = c;
      setReady(true);
    });
    return () => {
      disposed = true;
      chart.current?.remove();
      chart.current = null;
      lines.clear();
      setReady(false);
    };
  }, [zoneKey]);

  useEffect(() => {
    if (!ready) return;
    for (const [z, s] of series.current) {
      s.setData(
        results.prices
          .filter((p) => p.zone === z)
          .sort((a, b) => a.intervalStart - b.intervalStart)
          .map((p) => ({
            time: (p.intervalStart / 1000) as UTCTimestamp,
            value: Number(scaled(p.priceTicks, PRICE_SCALE)),
          })),
      );
    }
    chart.current?.timeScale().fitContent();
  }, [ready, results]);

  return (
    <div className="chart-box">
      <div ref={host} className="chart-host" role="img" aria-label={t('da.priceChartLabel')} />
      <ul className="legend">
        {zones.map((z) => (
          <li key={z}>
            <span
              className="legend-swatch"
              style={{ background: zoneColor(z) }}
              aria-hidden="true"
            />
            <span translate="no">{z}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}
