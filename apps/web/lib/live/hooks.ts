'use client';
// React bindings of the live connection: the shared client from context, the link state, and a
// room subscription whose handlers may change on every render without re-joining the room.
import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useRef,
  useSyncExternalStore,
} from 'react';
import type { LiveClient, LinkState, RoomListener, StreamMessage } from './client';

export const LiveContext = createContext<LiveClient | null>(null);

export function useLive(): LiveClient {
  const client = useContext(LiveContext);
  if (!client) throw new Error('useLive needs <LiveContext.Provider>');
  return client;
}

const serverLinkState = (): LinkState => 'connecting';

export function useLinkState(): LinkState {
  const client = useLive();
  const subscribe = useCallback((notify: () => void) => client.onLinkState(notify), [client]);
  const snapshot = useCallback(() => client.linkState, [client]);
  return useSyncExternalStore(subscribe, snapshot, serverLinkState);
}

/**
 * Joins `room` (none when null) while the component is mounted. `onMessage` sees every message;
 * `onResync` runs when the room is joined and whenever continuity was lost.
 */
export function useRoom(
  room: string | null,
  handlers: {
    onMessage?: (message: StreamMessage) => void;
    onResync?: () => void;
  },
): void {
  const client = useLive();
  const ref = useRef(handlers);
  useEffect(() => {
    ref.current = handlers;
  });
  useEffect(() => {
    if (!room) return;
    const listener: RoomListener = {
      onMessage: (m) => ref.current.onMessage?.(m),
      onResync: () => ref.current.onResync?.(),
    };
    return client.subscribe(room, listener);
  }, [client, room]);
}
