'use client';
// Recent trades of one market, newest first: time, price (coloured by the taker's side), energy,
// and where a cross-zone trade came from. New prints flash briefly.
import type { PublicTrade } from '../../lib/api';
import { useI18n } from '../../lib/i18n';

export function TradesTape({ trades, zone }: { trades: PublicTrade[]; zone: string }) {
  const { t, f } = useI18n();
  if (trades.length === 0) return <p className="empty">{t('trade.noTradesYet')}</p>;
  return (
    <div className="tape-wrap">
      <table className="tape" data-testid="tape">
        <caption className="sr-only">{t('trade.tapeCaption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('trade.time')}</th>
            <th scope="col" className="num">
              {t('trade.price')}
            </th>
            <th scope="col" className="num">
              kWh
            </th>
            <th scope="col" className="tape-route">
              {t('trade.route')}
            </th>
          </tr>
        </thead>
        <tbody>
          {trades.slice(0, 60).map((trade) => {
            const cross = trade.buyZone !== trade.sellZone;
            return (
              <tr key={trade.id} className="tape-row" data-testid="tape-row">
                <td className="muted">{f.time(trade.time)}</td>
                <td className={`num ${trade.takerSide === 'buy' ? 'up' : 'down'}`}>
                  {f.price(trade.priceTicks)}
                  <span className="sr-only">
                    {' '}
                    {t(trade.takerSide === 'buy' ? 'trade.takerBuy' : 'trade.takerSell')}
                  </span>
                </td>
                <td className="num">{f.kwh(trade.quantityWh)}</td>
                <td className="tape-route muted">
                  {cross ? (
                    <span translate="no">
                      {trade.sellZone === zone ? '→' : '←'}{' '}
                      {trade.sellZone === zone ? trade.buyZone : trade.sellZone}
                    </span>
                  ) : (
                    t('trade.inZone')
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
