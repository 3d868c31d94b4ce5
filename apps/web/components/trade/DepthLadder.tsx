'use client';
// The depth ladder: asks above the spread (best at the bottom), bids below (best at the top),
// each level with its quantity, running total and a bar for the running total. Choosing a price
// puts it in the order ticket, on the side that would trade against that level.
import type { DepthLevel } from '../../lib/api';
import type { BookView } from '../../lib/live/book';
import { useI18n } from '../../lib/i18n';

const SHOWN = 10;

export function DepthLadder({
  book,
  myPrices,
  onPick,
}: {
  book: BookView | null;
  /** Prices at which I have open orders, per side. */
  myPrices: { buy: Set<number>; sell: Set<number> };
  onPick: (priceTicks: number, side: 'buy' | 'sell') => void;
}) {
  const { t, f } = useI18n();
  const asks = (book?.asks ?? []).slice(0, SHOWN);
  const bids = (book?.bids ?? []).slice(0, SHOWN);
  const cumulative = (levels: DepthLevel[]) => {
    let sum = 0;
    return levels.map((l) => (sum += l.quantityWh));
  };
  const askCum = cumulative(asks);
  const bidCum = cumulative(bids);
  const max = Math.max(askCum[askCum.length - 1] ?? 0, bidCum[bidCum.length - 1] ?? 0, 1);
  const bestAsk = asks[0]?.priceTicks;
  const bestBid = bids[0]?.priceTicks;

  const row = (l: DepthLevel, cum: number, side: 'ask' | 'bid', index: number) => {
    const mine = side === 'ask' ? myPrices.sell.has(l.priceTicks) : myPrices.buy.has(l.priceTicks);
    return (
      <tr
        key={`${side}-${l.priceTicks}`}
        className={`ladder-row ${side}`}
        data-testid={`${side}-level`}
      >
        <td className="ladder-price">
          <button
            type="button"
            onClick={() => onPick(l.priceTicks, side === 'ask' ? 'buy' : 'sell')}
            aria-label={t(side === 'ask' ? 'trade.pickAsk' : 'trade.pickBid', {
              price: f.priceUnit(l.priceTicks),
              qty: f.energy(l.quantityWh),
            })}
          >
            {f.price(l.priceTicks)}
          </button>
          {mine ? (
            <span
              className="mine-dot"
              title={t('trade.mineHere')}
              aria-label={t('trade.mineHere')}
            />
          ) : null}
        </td>
        <td className="num" data-testid={`${side}-qty-${index}`}>
          {f.kwh(l.quantityWh)}
        </td>
        <td className="num muted">{f.kwh(cum)}</td>
        <td className="ladder-bar" aria-hidden="true">
          <span style={{ width: `${(cum / max) * 100}%` }} />
        </td>
      </tr>
    );
  };

  const spread = bestAsk !== undefined && bestBid !== undefined ? bestAsk - bestBid : null;
  return (
    <div
      className="ladder"
      data-testid="ladder"
      data-seq={book?.seq ?? ''}
      data-snapshots={book?.snapshots ?? 0}
    >
      {book?.halted ? (
        <p className="ladder-halt" role="status">
          {t('trade.haltedShort')}
        </p>
      ) : null}
      <table>
        <caption className="sr-only">{t('trade.ladderCaption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('trade.price')}</th>
            <th scope="col" className="num">
              kWh
            </th>
            <th scope="col" className="num">
              {t('trade.total')}
            </th>
            <th aria-hidden="true" />
          </tr>
        </thead>
        <tbody className="ladder-asks" aria-label={t('trade.asks')}>
          {asks.length === 0 ? (
            <tr>
              <td colSpan={4} className="ladder-none">
                {t('trade.noAsks')}
              </td>
            </tr>
          ) : (
            asks.map((l, i) => row(l, askCum[i] ?? 0, 'ask', i)).reverse()
          )}
        </tbody>
        <tbody>
          <tr className="ladder-spread">
            <td colSpan={4}>
              {spread !== null
                ? t('trade.spread', { spread: f.price(spread) })
                : t('trade.noSpread')}
            </td>
          </tr>
        </tbody>
        <tbody className="ladder-bids" aria-label={t('trade.bids')}>
          {bids.length === 0 ? (
            <tr>
              <td colSpan={4} className="ladder-none">
                {t('trade.noBids')}
              </td>
            </tr>
          ) : (
            bids.map((l, i) => row(l, bidCum[i] ?? 0, 'bid', i))
          )}
        </tbody>
      </table>
    </div>
  );
}
