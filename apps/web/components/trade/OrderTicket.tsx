'use client';
// The order ticket: buy or sell, limit or market (with a protection price), GTC / IOC / FOK and
// post-only, checked against the market's tick, lot and band before sending. The preview shows
// what the order costs or earns — notional, the wheeling a cross-zone match adds, the fee, and
// the most the engine will reserve — and what it would match now against this zone's book.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useMemo, useState, type FormEvent } from 'react';
import { isoOf, keys, type Balances, type DepthLevel, type MarketParams } from '../../lib/api';
import { useI18n } from '../../lib/i18n';
import type { BookView } from '../../lib/live/book';
import { trpc } from '../../lib/trpc';
import {
  ENERGY_SCALE,
  PRICE_SCALE,
  tradeFeeSatang,
  maxBuyCostSatang,
  notionalSatang,
  parseScaledInt,
  toInputText,
} from '../../lib/units';
import { ErrorNote, Segmented } from '../ui';

type Side = 'buy' | 'sell';
type Kind = 'limit' | 'market';
type Tif = 'GTC' | 'IOC' | 'FOK';

export interface PriceFill {
  priceTicks: number;
  side: Side;
  /** Changes on every pick, so picking the same price twice still applies. */
  nonce: number;
}

interface Estimate {
  matchedWh: number;
  notional: bigint;
  restWh: number;
}

/** What the order would match against this zone's visible book, at resting orders' prices. */
function estimate(
  levels: DepthLevel[],
  side: Side,
  priceTicks: number,
  quantityWh: number,
): Estimate {
  let left = quantityWh;
  let notional = 0n;
  for (const l of levels) {
    if (left === 0) break;
    if (side === 'buy' ? l.priceTicks > priceTicks : l.priceTicks < priceTicks) break;
    const take = Math.min(left, l.quantityWh);
    notional += notionalSatang(take, l.priceTicks);
    left -= take;
  }
  return { matchedWh: quantityWh - left, notional, restWh: left };
}

function roundToTick(ticks: number, tick: number, up: boolean): number {
  return (up ? Math.ceil(ticks / tick) : Math.floor(ticks / tick)) * tick;
}

export function OrderTicket({
  zone,
  intervalStart,
  book,
  params,
  maxWheelingTicks,
  balances,
  canTrade,
  haltReason,
  fill,
}: {
  zone: string;
  intervalStart: number;
  book: BookView | null;
  params: MarketParams;
  maxWheelingTicks: number;
  balances: Balances | undefined;
  canTrade: boolean;
  haltReason: string | null;
  fill: PriceFill | null;
}) {
  const { t, f, errorText } = useI18n();
  const qc = useQueryClient();
  const ids = useId();
  const [side, setSide] = useState<Side>('buy');
  const [kind, setKind] = useState<Kind>('limit');
  const [tif, setTif] = useState<Tif>('GTC');
  const [postOnly, setPostOnly] = useState(false);
  const [priceText, setPriceText] = useState('');
  const [qtyText, setQtyText] = useState('1');
  const [result, setResult] = useState<{ tone: 'ok' | 'error'; text: string } | null>(null);
  const [touched, setTouched] = useState(false);

  useEffect(() => {
    if (!fill) return;
    setSide(fill.side);
    setPriceText(toInputText(fill.priceTicks, PRICE_SCALE, 2));
  }, [fill]);

  // A sensible starting price: the best price on the other side, once the book is known.
  const bestAsk = book?.asks[0]?.priceTicks;
  const bestBid = book?.bids[0]?.priceTicks;
  useEffect(() => {
    if (priceText !== '' || !book) return;
    const start = side === 'buy' ? (bestAsk ?? bestBid) : (bestBid ?? bestAsk);
    if (start !== undefined) setPriceText(toInputText(start, PRICE_SCALE, 2));
  }, [book, bestAsk, bestBid, side, priceText]);

  // Market orders never rest; GTC would mean the same as IOC, so only IOC and FOK are offered.
  useEffect(() => {
    if (kind === 'market' && tif === 'GTC') setTif('IOC');
    if (kind === 'market' || tif !== 'GTC') setPostOnly(false);
  }, [kind, tif]);

  const priceTicks = parseScaledInt(priceText, PRICE_SCALE);
  const quantityWh = parseScaledInt(qtyText, ENERGY_SCALE);

  const priceProblem = useMemo(() => {
    if (priceText.trim() === '' || priceTicks === null) return t('ticket.priceInvalid');
    if (priceTicks % params.tickSizeTicks !== 0)
      return t('ticket.priceTick', { tick: f.price(params.tickSizeTicks) });
    if (priceTicks < params.priceFloorTicks || priceTicks > params.priceCapTicks)
      return t('ticket.priceBand', {
        min: f.price(params.priceFloorTicks),
        max: f.price(params.priceCapTicks),
      });
    return null;
  }, [priceText, priceTicks, params, t, f]);

  const qtyProblem = useMemo(() => {
    if (qtyText.trim() === '' || quantityWh === null || quantityWh <= 0)
      return t('ticket.qtyInvalid');
    if (quantityWh % params.lotSizeWh !== 0)
      return t('ticket.qtyLot', { lot: f.energy(params.lotSizeWh) });
    if (quantityWh < params.minQuantityWh || quantityWh > params.maxQuantityWh)
      return t('ticket.qtyRange', {
        min: f.energy(params.minQuantityWh),
        max: f.energy(params.maxQuantityWh),
      });
    return null;
  }, [qtyText, quantityWh, params, t, f]);

  const valid = priceProblem === null && qtyProblem === null;
  const price = priceTicks ?? 0;
  const qty = quantityWh ?? 0;
  const notional = valid ? notionalSatang(qty, price) : 0n;
  const fee = valid ? tradeFeeSatang(qty, price, params.feePpm) : 0n;
  const wheelingMax = valid ? notionalSatang(qty, maxWheelingTicks) : 0n;
  const reserve = valid
    ? maxBuyCostSatang(qty, price, maxWheelingTicks, params.feePpm, params.lotSizeWh)
    : 0n;
  const available = balances?.availableSatang ?? null;
  const match = valid
    ? estimate(side === 'buy' ? (book?.asks ?? []) : (book?.bids ?? []), side, price, qty)
    : null;
  const crosses = (match?.matchedWh ?? 0) > 0;
  const shortOfFunds = side === 'buy' && available !== null && valid && reserve > available;

  const place = useMutation({
    mutationFn: () =>
      trpc.orders.place.mutate({
        zone,
        intervalStart: isoOf(intervalStart),
        side,
        type: kind,
        priceTicks: price,
        quantityWh: qty,
        tif,
        ...(postOnly ? { postOnly: true } : {}),
        clientOrderId: `web-${crypto.randomUUID()}`,
      }),
    onSuccess: ({ order, trades }) => {
      const filled = trades.reduce((s, x) => s + x.quantityWh, 0);
      const parts = [t('ticket.placed', { id: order.id })];
      if (filled > 0) parts.push(t('ticket.filled', { qty: f.energy(filled) }));
      if (order.status === 'OPEN' || order.status === 'PARTIALLY_FILLED')
        parts.push(t('ticket.resting', { qty: f.energy(order.remainingWh) }));
      else if (order.status === 'CANCELLED' && order.remainingWh > 0)
        parts.push(t('ticket.cancelledRest', { qty: f.energy(order.remainingWh) }));
      setResult({ tone: 'ok', text: parts.join(' · ') });
      void qc.invalidateQueries({ queryKey: keys.openOrders });
      void qc.invalidateQueries({ queryKey: keys.balances });
    },
    onError: (error) => setResult({ tone: 'error', text: errorText(error) }),
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    if (!valid || !canTrade) return;
    setResult(null);
    place.mutate();
  };

  const submitLabel =
    valid || (kind === 'market' && qtyProblem === null)
      ? t(side === 'buy' ? 'ticket.submitBuy' : 'ticket.submitSell', {
          qty: f.energy(qty),
          price: kind === 'market' ? t('ticket.atMarket') : f.priceUnit(price),
        })
      : t(side === 'buy' ? 'side.buy' : 'side.sell');

  return (
    <form className={`ticket ticket-${side}`} onSubmit={submit} noValidate data-testid="ticket">
      <Segmented<Side>
        label={t('ticket.side')}
        value={side}
        onChange={setSide}
        className="ticket-side"
        tone={(v) => (v === 'buy' ? 'on-buy' : 'on-sell')}
        choices={[
          { value: 'buy', label: t('side.buy'), testId: 'side-buy' },
          { value: 'sell', label: t('side.sell'), testId: 'side-sell' },
        ]}
      />
      <Segmented<Kind>
        label={t('ticket.type')}
        value={kind}
        onChange={setKind}
        choices={[
          { value: 'limit', label: t('ticket.limit'), testId: 'type-limit' },
          { value: 'market', label: t('ticket.market'), testId: 'type-market' },
        ]}
      />
      <div className="field">
        <label htmlFor={`${ids}-price`}>
          {kind === 'market' ? t('ticket.protection') : t('ticket.limitPrice')}{' '}
          <span className="unit">({f.priceUnitLabel})</span>
        </label>
        <span className="stepper">
          <button
            type="button"
            tabIndex={-1}
            aria-hidden="true"
            onClick={() =>
              setPriceText(
                toInputText(
                  Math.max(
                    params.priceFloorTicks,
                    roundToTick(price, params.tickSizeTicks, false) - params.tickSizeTicks,
                  ),
                  PRICE_SCALE,
                  2,
                ),
              )
            }
          >
            −
          </button>
          <input
            inputMode="decimal"
            id={`${ids}-price`}
            name="price"
            value={priceText}
            onChange={(e) => setPriceText(e.target.value)}
            aria-invalid={touched && priceProblem !== null}
            aria-describedby={`${ids}-price-help`}
            data-testid="ticket-price"
          />
          <button
            type="button"
            tabIndex={-1}
            aria-hidden="true"
            onClick={() =>
              setPriceText(
                toInputText(
                  Math.min(
                    params.priceCapTicks,
                    roundToTick(price, params.tickSizeTicks, true) + params.tickSizeTicks,
                  ),
                  PRICE_SCALE,
                  2,
                ),
              )
            }
          >
            +
          </button>
        </span>
        <small
          id={`${ids}-price-help`}
          className={touched && priceProblem ? 'field-error' : 'muted'}
        >
          {touched && priceProblem
            ? priceProblem
            : kind === 'market'
              ? t('ticket.protectionHelp')
              : t('ticket.priceHelp', { tick: f.price(params.tickSizeTicks) })}
        </small>
      </div>
      <div className="field">
        <label htmlFor={`${ids}-qty`}>
          {t('ticket.quantity')} <span className="unit">(kWh)</span>
        </label>
        <input
          id={`${ids}-qty`}
          inputMode="decimal"
          name="quantity"
          value={qtyText}
          onChange={(e) => setQtyText(e.target.value)}
          aria-invalid={touched && qtyProblem !== null}
          aria-describedby={`${ids}-qty-help`}
          data-testid="ticket-qty"
        />
        <small id={`${ids}-qty-help`} className={touched && qtyProblem ? 'field-error' : 'muted'}>
          {touched && qtyProblem
            ? qtyProblem
            : t('ticket.qtyHelp', { lot: f.energy(params.lotSizeWh) })}
        </small>
      </div>
      <div className="ticket-row">
        <Segmented<Tif>
          label={t('ticket.tif')}
          value={tif}
          onChange={setTif}
          className="ticket-tif"
          choices={[
            { value: 'GTC', label: 'GTC', disabled: kind === 'market', testId: 'tif-gtc' },
            { value: 'IOC', label: 'IOC', testId: 'tif-ioc' },
            { value: 'FOK', label: 'FOK', testId: 'tif-fok' },
          ]}
        />
        <label className="check" title={t('ticket.postOnlyHelp')}>
          <input
            type="checkbox"
            checked={postOnly}
            disabled={kind !== 'limit' || tif !== 'GTC'}
            onChange={(e) => setPostOnly(e.target.checked)}
            data-testid="post-only"
          />
          <span>{t('ticket.postOnly')}</span>
        </label>
      </div>
      <p className="muted small">{t(`ticket.tifHelp.${tif}`)}</p>

      <dl className="preview" aria-label={t('ticket.preview')} data-testid="preview">
        <div>
          <dt>{t('ticket.notional')}</dt>
          <dd>{valid ? f.money(notional) : '—'}</dd>
        </div>
        {side === 'buy' ? (
          <div>
            <dt>{t('ticket.wheeling')}</dt>
            <dd>
              {valid
                ? maxWheelingTicks > 0
                  ? t('ticket.wheelingRange', {
                      max: f.money(wheelingMax),
                      rate: f.price(maxWheelingTicks),
                    })
                  : f.money(0n)
                : '—'}
            </dd>
          </div>
        ) : null}
        <div>
          <dt>{t('ticket.fee', { rate: f.percent(params.feePpm / 1_000_000, 2) })}</dt>
          <dd>{valid ? f.money(fee) : '—'}</dd>
        </div>
        {side === 'buy' ? (
          <div className="preview-total">
            <dt>{t('ticket.maxCost')}</dt>
            <dd data-testid="preview-total">{valid ? f.money(reserve) : '—'}</dd>
          </div>
        ) : (
          <div className="preview-total">
            <dt>{t('ticket.proceeds')}</dt>
            <dd data-testid="preview-total">{valid ? f.money(notional - fee) : '—'}</dd>
          </div>
        )}
        {side === 'buy' && available !== null ? (
          <div>
            <dt>{t('ticket.available')}</dt>
            <dd className={shortOfFunds ? 'bad' : undefined}>{f.money(available)}</dd>
          </div>
        ) : null}
      </dl>
      {match && valid ? (
        <p className="ticket-estimate muted small" data-testid="estimate">
          {crosses
            ? t('ticket.wouldMatch', {
                qty: f.energy(match.matchedWh),
                avg: f.priceUnit(Number((match.notional * 100_000n) / BigInt(match.matchedWh))),
              })
            : t('ticket.wouldNotMatch')}{' '}
          {match.restWh > 0
            ? kind === 'limit' && tif === 'GTC'
              ? t('ticket.wouldRest', { qty: f.energy(match.restWh) })
              : tif === 'FOK'
                ? t('ticket.fokWarn')
                : t('ticket.wouldCancel', { qty: f.energy(match.restWh) })
            : ''}
        </p>
      ) : null}
      {postOnly && crosses ? (
        <p className="note note-warn small">{t('ticket.postOnlyWarn')}</p>
      ) : null}
      {shortOfFunds ? <p className="note note-warn small">{t('ticket.shortOfFunds')}</p> : null}
      {haltReason !== null ? (
        <p className="note note-error small" data-testid="ticket-halt">
          {t('ticket.halted', { reason: haltReason })}
        </p>
      ) : null}
      <button
        type="submit"
        className={`btn btn-block btn-lg ${side === 'buy' ? 'btn-buy' : 'btn-sell'}`}
        disabled={!canTrade || place.isPending}
        data-testid="ticket-submit"
      >
        {place.isPending ? t('ticket.sending') : submitLabel}
      </button>
      <div aria-live="polite" className="ticket-result" data-testid="ticket-result">
        {result ? (
          <p
            className={`note ${result.tone === 'ok' ? 'note-ok' : 'note-error'}`}
            role={result.tone === 'error' ? 'alert' : undefined}
          >
            {result.text}
          </p>
        ) : null}
      </div>
      {!result && place.error ? <ErrorNote error={place.error} /> : null}
    </form>
  );
}
