'use client';
// Block orders in the draft: one price and a flat quantity over a run of quarter-hours, accepted
// in full or not at all unless a minimum acceptance share is given.
import { useState, type FormEvent } from 'react';
import type { MarketParams } from '../../lib/api';
import {
  checkPrice,
  checkQuantity,
  checkRatio,
  newId,
  type Draft,
  type Side,
} from '../../lib/dayahead';
import { useI18n } from '../../lib/i18n';
import { clockOfIndex } from '../../lib/time';
import { ENERGY_SCALE, PRICE_SCALE, parseScaledInt } from '../../lib/units';
import { SideLabel } from '../ui';

const INDEXES = Array.from({ length: 96 }, (_, i) => i);

export function BlockEditor({
  draft,
  setDraft,
  zone,
  side,
  params,
}: {
  draft: Draft;
  setDraft: (d: Draft) => void;
  zone: string;
  side: Side;
  params: MarketParams;
}) {
  const { t, f } = useI18n();
  const [price, setPrice] = useState('');
  const [quantity, setQuantity] = useState('');
  const [fromIndex, setFromIndex] = useState(32);
  const [toIndex, setToIndex] = useState(39);
  const [minPercent, setMinPercent] = useState('');
  const [problem, setProblem] = useState<string | null>(null);

  const add = (e: FormEvent) => {
    e.preventDefault();
    if (typeof checkPrice(price, params) !== 'number') {
      setProblem(
        `${t('ticket.priceBand', { min: f.price(params.priceFloorTicks), max: f.price(params.priceCapTicks) })} ${t('ticket.priceHelp', { tick: f.price(params.tickSizeTicks) })}`,
      );
      return;
    }
    if (typeof checkQuantity(quantity, params) !== 'number') {
      setProblem(t('ticket.qtyLot', { lot: f.energy(params.lotSizeWh) }));
      return;
    }
    if (typeof checkRatio(minPercent) === 'object') {
      setProblem(t('da.ratioInvalid'));
      return;
    }
    if (toIndex < fromIndex) {
      setProblem(t('da.rangeInvalid'));
      return;
    }
    setProblem(null);
    setDraft({
      ...draft,
      blocks: [
        ...draft.blocks,
        { id: newId('b'), zone, side, price, quantity, fromIndex, toIndex, minPercent },
      ],
    });
  };

  return (
    <div className="block-editor">
      <form className="block-form" onSubmit={add} noValidate data-testid="block-form">
        <label className="field">
          <span>
            {t('trade.price')} <span className="unit">({f.priceUnitLabel})</span>
          </span>
          <input
            inputMode="decimal"
            value={price}
            onChange={(e) => setPrice(e.target.value)}
            data-testid="block-price"
          />
        </label>
        <label className="field">
          <span>
            {t('da.perInterval')} <span className="unit">(kWh)</span>
          </span>
          <input
            inputMode="decimal"
            value={quantity}
            onChange={(e) => setQuantity(e.target.value)}
            data-testid="block-qty"
          />
        </label>
        <label className="field">
          <span>{t('da.from')}</span>
          <select
            value={fromIndex}
            onChange={(e) => setFromIndex(Number(e.target.value))}
            data-testid="block-from"
          >
            {INDEXES.map((i) => (
              <option key={i} value={i}>
                {clockOfIndex(i)}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{t('da.until')}</span>
          <select
            value={toIndex}
            onChange={(e) => setToIndex(Number(e.target.value))}
            data-testid="block-to"
          >
            {INDEXES.map((i) => (
              <option key={i} value={i}>
                {clockOfIndex(i + 1)}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{t('da.minAccept')}</span>
          <input
            inputMode="decimal"
            placeholder="100"
            value={minPercent}
            onChange={(e) => setMinPercent(e.target.value)}
            aria-describedby="block-ratio-help"
          />
        </label>
        <button type="submit" className="btn btn-primary btn-sm" data-testid="block-add">
          + {t('da.addBlock')}
        </button>
        <p id="block-ratio-help" className="muted small block-help">
          {t('da.blockHelp')}
        </p>
        {problem ? (
          <p className="note note-error small" role="alert">
            {problem}
          </p>
        ) : null}
      </form>
      {draft.blocks.length > 0 ? (
        <ul className="block-list" data-testid="block-list">
          {draft.blocks.map((b) => {
            const wh = parseScaledInt(b.quantity, ENERGY_SCALE) ?? 0;
            const ticks = parseScaledInt(b.price, PRICE_SCALE) ?? 0;
            return (
              <li key={b.id}>
                <SideLabel side={b.side} />
                <span translate="no">{b.zone}</span>
                <span>
                  {clockOfIndex(b.fromIndex)}–{clockOfIndex(b.toIndex + 1)}
                </span>
                <span>
                  {f.energy(wh)} × {b.toIndex - b.fromIndex + 1} @ {f.priceUnit(ticks)}
                </span>
                <span className="muted">
                  {t('da.minShort', { pct: b.minPercent.trim() === '' ? '100' : b.minPercent })}
                </span>
                <button
                  type="button"
                  className="btn btn-ghost btn-xs btn-danger-text"
                  aria-label={t('da.removeBlock')}
                  onClick={() =>
                    setDraft({ ...draft, blocks: draft.blocks.filter((x) => x.id !== b.id) })
                  }
                >
                  ✕
                </button>
              </li>
            );
          })}
        </ul>
      ) : null}
    </div>
  );
}
