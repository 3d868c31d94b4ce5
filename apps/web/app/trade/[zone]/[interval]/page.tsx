'use client';
// The trading screen for the zone and delivery interval (epoch ms) in the address.
import { useParams } from 'next/navigation';
import { TradeScreen } from '../../../../components/trade/TradeScreen';
import { useI18n } from '../../../../lib/i18n';
import { INTERVAL_MS } from '../../../../lib/time';

export default function TradePage() {
  const { t } = useI18n();
  const params = useParams<{ zone: string; interval: string }>();
  const zone = decodeURIComponent(params.zone);
  const intervalStart = Number(params.interval);
  if (
    !/^[A-Z]{2,4}(-[A-Z]{1,4})?$/.test(zone) ||
    !Number.isSafeInteger(intervalStart) ||
    intervalStart % INTERVAL_MS !== 0
  ) {
    return (
      <div className="page">
        <p className="note note-error" role="alert">
          {t('trade.badAddress')}
        </p>
      </div>
    );
  }
  return <TradeScreen key={`${zone}-${intervalStart}`} zone={zone} intervalStart={intervalStart} />;
}
