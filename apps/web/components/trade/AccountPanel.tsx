'use client';
// The trader's money next to the ticket: THB available to trade, reserved by open buys, escrowed
// for delivery and not yet on chain, energy tokens, and the position taken in this interval
// (my fills in this zone and interval: energy bought and sold, and what it costs or earns).
import Link from 'next/link';
import type { Balances, Fill } from '../../lib/api';
import { useI18n } from '../../lib/i18n';
import { ErrorNote, Loading } from '../ui';

export function AccountPanel({
  balances,
  error,
  fills,
  zone,
  intervalStart,
}: {
  balances: Balances | undefined;
  error: unknown;
  fills: Fill[] | undefined;
  zone: string;
  intervalStart: number;
}) {
  const { t, f } = useI18n();
  const here = (fills ?? []).filter(
    (x) =>
      x.zone === zone && x.intervalStart.getTime() === intervalStart && x.market === 'CONTINUOUS',
  );
  let boughtWh = 0;
  let soldWh = 0;
  let net = 0n;
  for (const x of here) {
    if (x.side === 'buy') {
      boughtWh += x.quantityWh;
      net -= x.notionalSatang + x.wheelingSatang + x.feeSatang;
    } else {
      soldWh += x.quantityWh;
      net += x.notionalSatang - x.feeSatang;
    }
  }
  return (
    <div className="account-panel" data-testid="account-panel">
      <ErrorNote error={error} />
      {!balances && !error ? <Loading /> : null}
      {balances ? (
        <dl className="kv">
          <div className="kv-main">
            <dt>{t('wallet.available')}</dt>
            <dd data-testid="available">{f.money(balances.availableSatang)}</dd>
          </div>
          <div>
            <dt>{t('wallet.reserved')}</dt>
            <dd data-testid="reserved">{f.money(balances.reservedSatang)}</dd>
          </div>
          <div>
            <dt>{t('wallet.escrowed')}</dt>
            <dd data-testid="escrowed">
              {f.money(balances.escrowedSatang + balances.unsettledSatang)}
            </dd>
          </div>
          <div>
            <dt>{t('wallet.energy')}</dt>
            <dd>{f.energy(Number(balances.gtWh))}</dd>
          </div>
        </dl>
      ) : null}
      <div className="position" data-testid="position">
        <h3>{t('trade.position')}</h3>
        <dl className="kv">
          <div>
            <dt>{t('trade.bought')}</dt>
            <dd data-testid="bought">{f.energy(boughtWh)}</dd>
          </div>
          <div>
            <dt>{t('trade.sold')}</dt>
            <dd data-testid="sold">{f.energy(soldWh)}</dd>
          </div>
          <div>
            <dt>{t('trade.netCash')}</dt>
            <dd data-testid="net" className={net > 0n ? 'up' : net < 0n ? 'down' : undefined}>
              {f.moneySigned(net)}
            </dd>
          </div>
        </dl>
      </div>
      <Link href="/wallet" className="small">
        {t('trade.toWallet')}
      </Link>
    </div>
  );
}
