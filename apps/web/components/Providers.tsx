'use client';
// Everything a page needs around it: the query cache, the language, the engine clock and the one
// live connection, plus the signed-in account's private stream, which refreshes orders, fills and
// balances wherever they are shown and announces fills and settlements.
import { QueryClient, QueryClientProvider, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState, type ReactNode } from 'react';
import { keys, type FillMessage } from '../lib/api';
import { ClockContext, EngineClock } from '../lib/clock';
import { errorCodeOf } from '../lib/errors';
import { I18nProvider, useI18n, type Locale } from '../lib/i18n';
import { LiveClient } from '../lib/live/client';
import { LiveContext, useRoom } from '../lib/live/hooks';
import { useMe } from '../lib/queries';
import { toast } from '../lib/toast';

function makeQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        // Domain answers (not found, forbidden…) will not change on retry; a dropped engine may.
        retry: (count, error) => count < 3 && errorCodeOf(error) === 'ENGINE_UNREACHABLE',
        refetchOnWindowFocus: false,
        staleTime: 2_000,
      },
    },
  });
}

declare global {
  interface Window {
    /** The live connection, for the browser tests (they drop and restore it). */
    gtxLive?: LiveClient;
  }
}

export function Providers({ locale, children }: { locale: Locale; children: ReactNode }) {
  const [queryClient] = useState(makeQueryClient);
  const [live] = useState(() => new LiveClient());
  const [clock] = useState(() => new EngineClock());
  useEffect(() => {
    live.start();
    window.gtxLive = live;
    return () => live.stop();
  }, [live]);
  return (
    <QueryClientProvider client={queryClient}>
      <I18nProvider initialLocale={locale}>
        <ClockContext.Provider value={clock}>
          <LiveContext.Provider value={live}>
            <UserStream />
            {children}
          </LiveContext.Provider>
        </ClockContext.Provider>
      </I18nProvider>
    </QueryClientProvider>
  );
}

interface SettlementMessage {
  tradeId: string;
  status: 'FINAL' | 'FAILED';
  height: number | null;
}

function UserStream() {
  const { me } = useMe();
  const qc = useQueryClient();
  const { t, f } = useI18n();
  const refresh = (...which: (readonly unknown[])[]) => {
    for (const queryKey of which) void qc.invalidateQueries({ queryKey });
  };
  useRoom(me ? `user:${me.id}` : null, {
    onResync: () => refresh(keys.private),
    onMessage: (m) => {
      switch (m.type) {
        case 'order':
          refresh(keys.openOrders, keys.balances);
          break;
        case 'fill': {
          const fill = m.data as FillMessage;
          refresh(keys.openOrders, keys.fills, keys.balances, keys.history);
          toast(
            t(fill.side === 'buy' ? 'toast.fillBuy' : 'toast.fillSell', {
              qty: f.energy(fill.quantityWh),
              price: f.priceUnit(fill.priceTicks),
              interval: f.intervalWithDate(fill.intervalStart),
            }),
            fill.side,
          );
          break;
        }
        case 'settlement': {
          const s = m.data as SettlementMessage;
          refresh(keys.fills, keys.balances, keys.history);
          if (s.status === 'FAILED') toast(t('toast.settlementFailed', { id: s.tradeId }), 'error');
          break;
        }
        case 'deposit': {
          const failed = (m.data as { status?: string }).status === 'FAILED';
          refresh(keys.balances, keys.history);
          toast(t(failed ? 'toast.depositFailed' : 'toast.deposit'), failed ? 'error' : 'success');
          break;
        }
        case 'rec': {
          // A certificate changed state on chain (issued, rejected, moved, retired).
          const rec = m.data as { id: string; status?: string };
          refresh(keys.myRecs, keys.balances, keys.carbon);
          if (rec.status === 'ISSUED') toast(t('toast.recIssued', { id: rec.id }), 'success');
          else if (rec.status === 'REJECTED')
            toast(t('toast.recRejected', { id: rec.id }), 'error');
          break;
        }
        default:
          refresh(keys.private);
      }
    },
  });
  return null;
}
