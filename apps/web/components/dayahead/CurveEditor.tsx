'use client';
// The bid-curve editor for one zone and side: a day of 96 quarter-hours (by hour), the steps of
// the selected quarter-hour's curve with a drawing of it, and copying that curve across hours.
import { useEffect, useState } from 'react';
import type { MarketParams } from '../../lib/api';
import {
  checkPrice,
  checkQuantity,
  checkRatio,
  copyCurve,
  curveKey,
  newStep,
  type Draft,
  type Side,
  type Step,
} from '../../lib/dayahead';
import { useI18n } from '../../lib/i18n';
import { clockOfIndex } from '../../lib/time';
import { ENERGY_SCALE, PRICE_SCALE, parseScaledInt } from '../../lib/units';
import { ActionsHeader } from '../ui';

const HOURS = Array.from({ length: 24 }, (_, h) => h);

function curveTotalWh(steps: Step[] | undefined): number {
  return (steps ?? []).reduce((s, x) => s + (parseScaledInt(x.quantity, ENERGY_SCALE) ?? 0), 0);
}

export function CurveEditor({
  draft,
  setDraft,
  zone,
  side,
  selected,
  setSelected,
  params,
  dayStart,
}: {
  draft: Draft;
  setDraft: (d: Draft) => void;
  zone: string;
  side: Side;
  selected: number;
  setSelected: (i: number) => void;
  params: MarketParams;
  dayStart: number;
}) {
  const { t, f } = useI18n();
  const key = curveKey(zone, side, selected);
  const steps = draft.curves[key] ?? [];
  // An empty curve shows one blank step to type into; it joins the draft on the first key.
  const shown =
    steps.length > 0 ? steps : [{ id: `${key}-first`, price: '', quantity: '', minPercent: '' }];
  const [copyFrom, setCopyFrom] = useState(Math.floor(selected / 4));
  const [copyTo, setCopyTo] = useState(Math.min(23, Math.floor(selected / 4) + 3));
  const [copied, setCopied] = useState<string | null>(null);

  const setSteps = (next: Step[]) =>
    setDraft({ ...draft, curves: { ...draft.curves, [key]: next } });
  const update = (id: string, patch: Partial<Step>) =>
    setSteps(shown.map((s) => (s.id === id ? { ...s, ...patch } : s)));

  const label = (index: number) => `${clockOfIndex(index)}–${clockOfIndex(index + 1)}`;
  const hour = Math.floor(selected / 4);
  useEffect(() => {
    setCopyFrom(hour);
    setCopyTo((to) => Math.max(to, hour));
  }, [hour]);

  return (
    <div className="curve-editor">
      <div className="day-grid" role="group" aria-label={t('da.timeline')} data-testid="day-grid">
        {[0, 12].map((h) => (
          <div
            key={`head-${h}`}
            className="day-hour day-head"
            aria-hidden="true"
            style={{ gridColumn: h === 0 ? 1 : 2 }}
          >
            <span />
            <span>:00</span>
            <span>:15</span>
            <span>:30</span>
            <span>:45</span>
          </div>
        ))}
        {HOURS.map((h) => (
          <div key={h} className="day-hour" style={{ gridColumn: h < 12 ? 1 : 2 }}>
            <span className="day-hour-label">{clockOfIndex(h * 4)}</span>
            {[0, 1, 2, 3].map((q) => {
              const index = h * 4 + q;
              const wh = curveTotalWh(draft.curves[curveKey(zone, side, index)]);
              const isSel = index === selected;
              return (
                <button
                  key={q}
                  type="button"
                  className={`qh${wh > 0 ? ` has-${side}` : ''}${isSel ? ' selected' : ''}`}
                  aria-pressed={isSel}
                  aria-label={t('da.qhLabel', {
                    time: label(index),
                    qty: wh > 0 ? f.energy(wh) : t('da.noBids'),
                  })}
                  onClick={() => {
                    setSelected(index);
                    setCopied(null);
                  }}
                  data-testid={`qh-${index}`}
                >
                  {wh > 0 ? f.kwh(wh) : ''}
                </button>
              );
            })}
          </div>
        ))}
      </div>

      <div className="curve-detail">
        <h3>
          {t('da.curveFor', {
            side: t(side === 'buy' ? 'da.demand' : 'da.supply'),
            time: `${f.interval(dayStart + selected * 15 * 60_000)}`,
          })}
        </h3>
        <table className="steps">
          <caption className="sr-only">{t('da.stepsCaption')}</caption>
          <thead>
            <tr>
              <th scope="col">
                {t('trade.price')} <span className="unit">({f.priceUnitLabel})</span>
              </th>
              <th scope="col">
                {t('ticket.quantity')} <span className="unit">(kWh)</span>
              </th>
              <th scope="col">{t('da.minAccept')}</th>
              <ActionsHeader />
            </tr>
          </thead>
          <tbody>
            {shown.map((s, i) => {
              const badPrice = s.price !== '' && typeof checkPrice(s.price, params) !== 'number';
              const badQty =
                s.quantity !== '' && typeof checkQuantity(s.quantity, params) !== 'number';
              const r = checkRatio(s.minPercent);
              const badRatio = typeof r === 'object';
              return (
                <tr key={s.id}>
                  <td>
                    <input
                      inputMode="decimal"
                      aria-label={t('da.stepPrice', { n: i + 1 })}
                      aria-invalid={badPrice}
                      value={s.price}
                      onChange={(e) => update(s.id, { price: e.target.value })}
                      data-testid={`step-price-${i}`}
                    />
                  </td>
                  <td>
                    <input
                      inputMode="decimal"
                      aria-label={t('da.stepQty', { n: i + 1 })}
                      aria-invalid={badQty}
                      value={s.quantity}
                      onChange={(e) => update(s.id, { quantity: e.target.value })}
                      data-testid={`step-qty-${i}`}
                    />
                  </td>
                  <td>
                    <input
                      inputMode="decimal"
                      aria-label={t('da.stepRatio', { n: i + 1 })}
                      aria-invalid={badRatio}
                      placeholder="—"
                      value={s.minPercent}
                      onChange={(e) => update(s.id, { minPercent: e.target.value })}
                    />
                  </td>
                  <td>
                    <button
                      type="button"
                      className="btn btn-ghost btn-xs btn-danger-text"
                      aria-label={t('da.removeStep', { n: i + 1 })}
                      onClick={() => setSteps(shown.filter((x) => x.id !== s.id))}
                    >
                      ✕
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
        {steps.some((s) => s.price !== '' && typeof checkPrice(s.price, params) !== 'number') ? (
          <p className="field-error small">
            {t('ticket.priceBand', {
              min: f.price(params.priceFloorTicks),
              max: f.price(params.priceCapTicks),
            })}{' '}
            {t('ticket.priceHelp', { tick: f.price(params.tickSizeTicks) })}
          </p>
        ) : null}
        <div className="row-gap">
          <button
            type="button"
            className="btn btn-ghost btn-sm"
            onClick={() => setSteps([...shown, newStep()])}
            data-testid="add-step"
          >
            + {t('da.addStep')}
          </button>
          {steps.length > 0 ? (
            <button type="button" className="btn btn-ghost btn-sm" onClick={() => setSteps([])}>
              {t('da.clearCurve')}
            </button>
          ) : null}
        </div>
        <CurveDrawing steps={steps} side={side} />
        <fieldset className="copy-box">
          <legend>{t('da.copyTitle')}</legend>
          <label className="field field-inline">
            <span>{t('da.fromHour')}</span>
            <select
              value={copyFrom}
              onChange={(e) => setCopyFrom(Number(e.target.value))}
              data-testid="copy-from"
            >
              {HOURS.map((h) => (
                <option key={h} value={h}>
                  {clockOfIndex(h * 4)}
                </option>
              ))}
            </select>
          </label>
          <label className="field field-inline">
            <span>{t('da.toHour')}</span>
            <select
              value={copyTo}
              onChange={(e) => setCopyTo(Number(e.target.value))}
              data-testid="copy-to"
            >
              {HOURS.map((h) => (
                <option key={h} value={h}>
                  {clockOfIndex(h * 4 + 3)}–{clockOfIndex(h * 4 + 4)}
                </option>
              ))}
            </select>
          </label>
          <button
            type="button"
            className="btn btn-primary btn-sm"
            disabled={steps.length === 0}
            onClick={() => {
              setDraft(copyCurve(draft, zone, side, selected, copyFrom, copyTo));
              setCopied(
                t('da.copied', {
                  from: clockOfIndex(Math.min(copyFrom, copyTo) * 4),
                  to: clockOfIndex(Math.max(copyFrom, copyTo) * 4 + 4),
                }),
              );
            }}
            data-testid="copy-apply"
          >
            {t('da.copyApply')}
          </button>
          <p className="muted small" aria-live="polite">
            {copied ?? t('da.copyHelp')}
          </p>
        </fieldset>
      </div>
    </div>
  );
}

/** The curve as a step line: cumulative kWh across, price up. */
function CurveDrawing({ steps, side }: { steps: Step[]; side: Side }) {
  const { t, f } = useI18n();
  const points = steps
    .map((s) => ({
      price: parseScaledInt(s.price, PRICE_SCALE),
      wh: parseScaledInt(s.quantity, ENERGY_SCALE),
    }))
    .filter(
      (p): p is { price: number; wh: number } => p.price !== null && p.wh !== null && p.wh > 0,
    )
    .sort((a, b) => (side === 'sell' ? a.price - b.price : b.price - a.price));
  if (points.length === 0) return null;
  const total = points.reduce((s, p) => s + p.wh, 0);
  const maxP = Math.max(...points.map((p) => p.price));
  const minP = Math.min(...points.map((p) => p.price));
  const span = Math.max(1, maxP - minP);
  const W = 300;
  const H = 120;
  const y = (p: number) => 10 + (H - 20) * (1 - (p - minP + span * 0.1) / (span * 1.2));
  let x = 0;
  let d = '';
  for (const p of points) {
    const x0 = (x / total) * W;
    x += p.wh;
    const x1 = (x / total) * W;
    d += `${d ? 'L' : 'M'}${x0.toFixed(1)},${y(p.price).toFixed(1)}L${x1.toFixed(1)},${y(p.price).toFixed(1)}`;
  }
  return (
    <figure className="curve-drawing">
      <svg
        viewBox={`0 0 ${W} ${H}`}
        role="img"
        aria-label={t('da.curveDrawing', {
          qty: f.energy(total),
          low: f.price(minP),
          high: f.price(maxP),
        })}
      >
        <path
          d={d}
          fill="none"
          stroke={side === 'buy' ? 'var(--buy)' : 'var(--sell)'}
          strokeWidth="2.5"
        />
      </svg>
      <figcaption className="muted small">
        {t('da.curveCaption', { qty: f.energy(total), low: f.price(minP), high: f.price(maxP) })}
      </figcaption>
    </figure>
  );
}
