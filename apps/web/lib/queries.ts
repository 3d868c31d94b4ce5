'use client';
// Queries several pages share: the signed-in account, zones and market parameters, the open
// intervals (which also keep the engine clock in step), balances and my open orders.
import { useQuery } from '@tanstack/react-query';
import { keys, type Me, type Role } from './api';
import { useEngineClock } from './clock';
import { trpc } from './trpc';

export function useMe(): { me: Me | null; loading: boolean } {
  const q = useQuery({ queryKey: keys.me, queryFn: () => trpc.auth.me.query(), staleTime: 60_000 });
  return { me: q.data ?? null, loading: q.isPending };
}

export function hasRole(me: Me | null, ...roles: Role[]): boolean {
  return me !== null && roles.includes(me.role);
}

export function useZones() {
  return useQuery({
    queryKey: keys.zones,
    queryFn: () => trpc.market.zones.query(),
    staleTime: 30_000,
  });
}

/** Open intervals; every answer also samples the engine's clock. */
export function useIntervals() {
  const clock = useEngineClock();
  return useQuery({
    queryKey: keys.intervals,
    queryFn: async () => {
      const sentAt = performance.now();
      const data = await trpc.market.intervals.query();
      clock.sample(data.now.getTime(), sentAt);
      return data;
    },
    refetchInterval: 5_000,
  });
}

export function useBalances(enabled: boolean) {
  return useQuery({
    queryKey: keys.balances,
    queryFn: () => trpc.wallet.balances.query(),
    enabled,
    refetchInterval: 15_000,
  });
}

export function useOpenOrders(enabled: boolean) {
  return useQuery({
    queryKey: keys.openOrders,
    queryFn: () => trpc.orders.mine.query({ status: 'open', limit: 200 }),
    enabled,
  });
}

export function useFills(enabled: boolean) {
  return useQuery({
    queryKey: keys.fills,
    queryFn: () => trpc.orders.fills.query({ limit: 200 }),
    enabled,
  });
}

/** The zone's name in the reader's language. */
export function zoneName(
  zones: { code: string; nameEn: string; nameTh: string }[] | undefined,
  code: string,
  locale: 'en' | 'th',
): string {
  const z = zones?.find((x) => x.code === code);
  if (!z) return code;
  return locale === 'th' ? z.nameTh : z.nameEn;
}
