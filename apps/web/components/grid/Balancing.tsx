'use client';
// The balancing half of the control room, from grid.imbalance for one settled interval: system
// frequency and imbalance as large figures (state in words as well as colour), their trend over
// the last day of settled intervals, each zone's scheduled against metered position, and the
// inter-zone flows the markets scheduled against link capacity. Refreshed when the engine
// announces a settled interval on the `grid` room.
import type { FlowRow, GridImbalance } from '../../lib/api';
import { useI18n } from '../../lib/i18n';
import { toMs } from '../../lib/time';
import { ErrorNote, Loading } from '../ui';

type FrequencyState = GridImbalance['frequency']['state'];

const STATE_TONE: Record<FrequencyState, 'ok' | 'warn' | 'bad'> = {
  NORMAL: 'ok',
  ALERT: 'warn',
  EMERGENCY: 'bad',
};

export function BalancingPanels({
  data,
  error,
  pending,
}: {
  data: GridImbalance | undefined;
  error: unknown;
  pending: boolean;
}) {
  const { t, f } = useI18n();
  if (!data) {
    return (
      <section className="panel" aria-labelledby="balancing-title">
        <header className="panel-header">
          <h2 id="balancing-title">{t('grid.balancingTitle')}</h2>
        </header>
        <div className="panel-body">
          <ErrorNote error={error} />
          {pending ? <Loading /> : null}
        </div>
      </section>
    );
  }
  const start = toMs(data.intervalStart);
  const freq = data.frequency;
  const tone = STATE_TONE[freq.state];
  const imbalance = data.imbalanceWh;
  return (
    <>
      <section
        className="panel cr-balance"
        aria-labelledby="balancing-title"
        data-testid="balancing"
      >
        <header className="panel-header">
          <h2 id="balancing-title">{t('grid.balancingTitle')}</h2>
          <span className="muted small">
            {t(data.settled ? 'grid.settledInterval' : 'grid.unsettledInterval', {
              interval: f.intervalWithDate(start),
            })}
          </span>
        </header>
        <div className="panel-body">
          <div className="cr-figures">
            <div className={`cr-figure tone-${tone}`} data-testid="frequency">
              <span className="cr-figure-label">{t('grid.frequency')}</span>
              <span className="cr-figure-value">{f.hz(freq.mhz)}</span>
              <span className={`state-badge ${tone}`} data-testid="frequency-state">
                {t(`grid.freqState.${freq.state}`)}
              </span>
              <span className="muted small">
                {t('grid.freqBands', {
                  alertLow: f.hz(freq.alertBand.lowMhz),
                  alertHigh: f.hz(freq.alertBand.highMhz),
                  low: f.hz(freq.emergencyBand.lowMhz),
                  high: f.hz(freq.emergencyBand.highMhz),
                })}
              </span>
            </div>
            <div
              className={`cr-figure tone-${imbalance === 0n ? 'ok' : imbalance < 0n ? 'bad' : 'warn'}`}
              data-testid="system-imbalance"
            >
              <span className="cr-figure-label">{t('grid.systemImbalance')}</span>
              <span className="cr-figure-value">{f.energySigned(imbalance)}</span>
              <span className="state-badge">
                {imbalance === 0n
                  ? t('grid.balanced')
                  : imbalance < 0n
                    ? t('grid.short')
                    : t('grid.long')}
              </span>
              <span className="muted small">{t('grid.imbalanceHelp')}</span>
            </div>
          </div>
          <TrendChart trend={data.trend} bands={freq} />
        </div>
      </section>

      <section className="panel" aria-labelledby="positions-title" data-testid="positions">
        <header className="panel-header">
          <h2 id="positions-title">{t('grid.positionsTitle')}</h2>
          <span className="muted small">{f.intervalWithDate(start)} ICT</span>
        </header>
        <div className="panel-body table-wrap">
          <table className="data-table cr-table">
            <caption className="sr-only">{t('grid.positionsTitle')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('trade.zone')}</th>
                <th scope="col" className="num">
                  {t('grid.scheduled')}
                </th>
                <th scope="col" className="num">
                  {t('grid.metered')}
                </th>
                <th scope="col" className="num">
                  {t('grid.imbalance')}
                </th>
                <th scope="col" className="num hide-sm">
                  {t('grid.imbalancePrice')}
                </th>
              </tr>
            </thead>
            <tbody>
              {data.zones.map((z) => (
                <tr key={z.zone} data-testid={`position-${z.zone}`}>
                  <th scope="row" translate="no">
                    {z.zone}
                    {z.halted ? (
                      <span className="pill pill-bad">{t('grid.haltedCaps')}</span>
                    ) : null}
                  </th>
                  <td className="num">{f.energySigned(z.scheduledWh)}</td>
                  <td className="num">{f.energySigned(z.meteredWh)}</td>
                  <td
                    className={`num strong ${z.imbalanceWh < 0n ? 'down' : z.imbalanceWh > 0n ? 'up' : ''}`}
                  >
                    {f.energySigned(z.imbalanceWh)}
                  </td>
                  <td className="num hide-sm">
                    {f.priceUnit(z.priceTicks)}
                    <br />
                    <span className="muted small">{t(`grid.basis.${z.priceBasis}`)}</span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="muted small">{t('grid.positionsHelp')}</p>
        </div>
      </section>

      <section className="panel" aria-labelledby="flows-title" data-testid="flows">
        <header className="panel-header">
          <h2 id="flows-title">{t('grid.flowsTitle')}</h2>
          <span className="muted small">{f.intervalWithDate(start)} ICT</span>
        </header>
        <div className="panel-body table-wrap">
          <table className="data-table cr-table">
            <caption className="sr-only">{t('grid.flowsTitle')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('grid.link')}</th>
                <th scope="col" className="num">
                  {t('grid.flow')}
                </th>
                <th scope="col" className="num">
                  {t('grid.capacity')}
                </th>
                <th scope="col">{t('grid.used')}</th>
              </tr>
            </thead>
            <tbody>
              {data.links.map((l) => (
                <FlowLine key={`${l.from}>${l.to}`} flow={l} />
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </>
  );
}

function FlowLine({ flow }: { flow: FlowRow }) {
  const { t, f } = useI18n();
  const u = flow.utilizationPpm === null ? null : flow.utilizationPpm / 1_000_000;
  const tone = flow.overloaded ? 'bad' : u === null ? 'idle' : u >= 0.8 ? 'warn' : 'ok';
  return (
    <tr data-testid={`flow-${flow.from}-${flow.to}`}>
      <th scope="row" translate="no" className="nowrap">
        {flow.from} → {flow.to}
      </th>
      <td className="num">{f.mw(Number(flow.scheduledWh))}</td>
      <td className="num">{f.mw(Number(flow.capacityWh))}</td>
      <td>
        <span className={`util util-${tone}`}>
          <span className="util-bar" aria-hidden="true">
            <span style={{ width: `${Math.round(Math.min(1, u ?? 0) * 100)}%` }} />
          </span>
          <span>
            {u !== null ? f.percent(u) : '—'}
            {flow.overloaded ? ` · ${t('grid.overloaded')}` : ''}
          </span>
        </span>
      </td>
    </tr>
  );
}

const W = 640;
const H = 200;
const PAD_L = 56;
const PAD_R = 10;
const FREQ_H = 120;
const BAR_TOP = 140;
const BAR_H = 50;

/**
 * Frequency (line, with the alert band shaded) and system imbalance (bars) of the settled
 * intervals, oldest left. Drawn as SVG so it stays sharp on a wall display.
 */
function TrendChart({
  trend,
  bands,
}: {
  trend: GridImbalance['trend'];
  bands: GridImbalance['frequency'];
}) {
  const { t, f } = useI18n();
  if (trend.length < 2) {
    return <p className="muted small">{t('grid.trendEmpty')}</p>;
  }
  const mhz = trend.map((p) => p.frequencyMhz);
  const lo = Math.min(bands.alertBand.lowMhz - 50, ...mhz);
  const hi = Math.max(bands.alertBand.highMhz + 50, ...mhz);
  const x = (i: number) => PAD_L + ((W - PAD_L - PAD_R) * i) / (trend.length - 1);
  const y = (v: number) => 8 + (FREQ_H - 8) * (1 - (v - lo) / (hi - lo));
  const maxAbs = trend.reduce((m, p) => {
    const a = Math.abs(Number(p.imbalanceWh));
    return a > m ? a : m;
  }, 1);
  const barW = Math.max(1, (W - PAD_L - PAD_R) / trend.length - 1);
  const mid = BAR_TOP + BAR_H / 2;
  const line = trend
    .map((p, i) => `${i === 0 ? 'M' : 'L'}${x(i).toFixed(1)} ${y(p.frequencyMhz).toFixed(1)}`)
    .join(' ');
  const first = trend[0];
  const last = trend[trend.length - 1];
  const outside = trend.filter(
    (p) => p.frequencyMhz < bands.alertBand.lowMhz || p.frequencyMhz > bands.alertBand.highMhz,
  ).length;
  const summary = t('grid.trendSummary', {
    n: trend.length,
    from: first ? f.dateTime(first.at) : '',
    to: last ? f.dateTime(last.at) : '',
    min: f.hz(Math.min(...mhz)),
    max: f.hz(Math.max(...mhz)),
    outside,
  });
  return (
    <figure className="cr-trend" data-testid="trend">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={summary}>
        <rect
          x={PAD_L}
          width={W - PAD_L - PAD_R}
          y={y(bands.alertBand.highMhz)}
          height={y(bands.alertBand.lowMhz) - y(bands.alertBand.highMhz)}
          className="trend-band"
        />
        {[bands.alertBand.highMhz, bands.nominalMhz, bands.alertBand.lowMhz].map((v) => (
          <g key={v}>
            <line x1={PAD_L} x2={W - PAD_R} y1={y(v)} y2={y(v)} className="trend-grid" />
            <text x={PAD_L - 6} y={y(v) + 4} textAnchor="end" className="trend-axis">
              {(v / 1000).toFixed(1)}
            </text>
          </g>
        ))}
        <path d={line} className="trend-line" />
        <line x1={PAD_L} x2={W - PAD_R} y1={mid} y2={mid} className="trend-grid" />
        {trend.map((p, i) => {
          const v = Number(p.imbalanceWh);
          const h = (Math.abs(v) / maxAbs) * (BAR_H / 2);
          return (
            <rect
              key={toMs(p.at)}
              x={x(i) - barW / 2}
              y={v >= 0 ? mid - h : mid}
              width={barW}
              height={Math.max(0.5, h)}
              className={v < 0 ? 'trend-bar-short' : 'trend-bar-long'}
            />
          );
        })}
        <text x={PAD_L - 6} y={mid + 4} textAnchor="end" className="trend-axis">
          0
        </text>
      </svg>
      <figcaption className="muted small">
        <span>{t('grid.trendLegend')}</span>
      </figcaption>
    </figure>
  );
}
