'use client';
// /trade without a market: opens Bangkok's nearest interval that still has time to trade.
import { useRouter } from 'next/navigation';
import { useEffect } from 'react';
import { Loading } from '../../components/ui';
import { useIntervals } from '../../lib/queries';
import { continuousCloseMs } from '../../lib/time';

export default function TradeIndexPage() {
  const router = useRouter();
  const intervals = useIntervals();
  useEffect(() => {
    const data = intervals.data;
    if (!data) return;
    const now = data.now.getTime();
    const open = data.intervals.filter((i) => i.trading);
    const roomy = open.find((i) => continuousCloseMs(i.start.getTime()) - now > 10 * 60_000);
    const pick = roomy ?? open[0];
    if (pick) router.replace(`/trade/MEA-BKK/${pick.start.getTime()}`);
  }, [intervals.data, router]);
  return (
    <div className="page">
      <Loading />
    </div>
  );
}
