'use client';
// A live order book for one zone and interval: the `market.book` snapshot (which names the room
// sequence number it is consistent with) plus the `book:` room's changed levels. Messages at or
// below the snapshot's seq are already in it; a jump past seq+1 or a new epoch means something
// was missed, so the snapshot is fetched again while newer messages wait in a buffer.
import { useCallback, useEffect, useRef, useState } from 'react';
import { isoOf, type BookSnapshot, type DepthLevel } from '../api';
import { toAppError, type AppError } from '../errors';
import { trpc } from '../trpc';
import type { StreamMessage } from './client';
import { useRoom } from './hooks';

export interface BookDelta {
  bids: DepthLevel[];
  asks: DepthLevel[];
  halted: boolean;
}

export interface BookView {
  bids: DepthLevel[];
  asks: DepthLevel[];
  halted: boolean;
  open: boolean;
  seq: number;
  epoch: string;
  /** How many times the view was rebuilt from a snapshot (tests and the status line read it). */
  snapshots: number;
}

/** Pure state of a book: levels by price, and the room position they reflect. */
export class BookState {
  bids = new Map<number, DepthLevel>();
  asks = new Map<number, DepthLevel>();
  halted = false;
  open = true;
  seq = 0;
  epoch = '';

  static fromSnapshot(
    s: Pick<BookSnapshot, 'bids' | 'asks' | 'halted' | 'open' | 'seq' | 'epoch'>,
  ) {
    const b = new BookState();
    for (const l of s.bids) b.bids.set(l.priceTicks, { ...l });
    for (const l of s.asks) b.asks.set(l.priceTicks, { ...l });
    b.halted = s.halted;
    b.open = s.open;
    b.seq = s.seq;
    b.epoch = s.epoch;
    return b;
  }

  /** 'applied', 'stale' (already in the snapshot) or 'gap' (resync needed). */
  apply(message: StreamMessage<BookDelta>): 'applied' | 'stale' | 'gap' {
    if (message.epoch !== this.epoch) return 'gap';
    if (message.seq <= this.seq) return 'stale';
    if (message.seq !== this.seq + 1) return 'gap';
    for (const l of message.data.bids) setLevel(this.bids, l);
    for (const l of message.data.asks) setLevel(this.asks, l);
    this.halted = message.data.halted;
    this.seq = message.seq;
    return 'applied';
  }

  view(snapshots: number): BookView {
    return {
      bids: [...this.bids.values()].sort((a, b) => b.priceTicks - a.priceTicks),
      asks: [...this.asks.values()].sort((a, b) => a.priceTicks - b.priceTicks),
      halted: this.halted,
      open: this.open,
      seq: this.seq,
      epoch: this.epoch,
      snapshots,
    };
  }
}

function setLevel(side: Map<number, DepthLevel>, level: DepthLevel): void {
  if (level.quantityWh === 0) side.delete(level.priceTicks);
  else side.set(level.priceTicks, { ...level });
}

/** Levels kept on each side: the engine's deltas describe its top 20. */
export const BOOK_LEVELS = 20;

export function useLiveBook(
  zone: string,
  intervalStart: number,
): { book: BookView | null; error: AppError | null } {
  const [book, setBook] = useState<BookView | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const state = useRef<BookState | null>(null);
  const buffer = useRef<StreamMessage<BookDelta>[]>([]);
  const fetching = useRef(0);
  const snapshots = useRef(0);
  const key = `${zone}|${intervalStart}`;

  const resync = useCallback(() => {
    const ticket = ++fetching.current;
    trpc.market.book.query({ zone, intervalStart: isoOf(intervalStart), levels: BOOK_LEVELS }).then(
      (snapshot) => {
        if (ticket !== fetching.current) return;
        fetching.current = 0;
        const next = BookState.fromSnapshot(snapshot);
        const waiting = buffer.current;
        buffer.current = [];
        snapshots.current += 1;
        for (const m of waiting) {
          if (next.apply(m) === 'gap') {
            state.current = next;
            resync();
            return;
          }
        }
        state.current = next;
        setError(null);
        setBook(next.view(snapshots.current));
      },
      (err: unknown) => {
        if (ticket !== fetching.current) return;
        fetching.current = 0;
        setError(toAppError(err));
      },
    );
  }, [zone, intervalStart]);

  useEffect(() => {
    state.current = null;
    buffer.current = [];
    snapshots.current = 0;
    setBook(null);
    setError(null);
    // Fetch at once, without waiting for the stream: the page works while the socket is down.
    resync();
  }, [key, resync]);

  useRoom(`book:${intervalStart}:${zone}`, {
    onResync: resync,
    onMessage: (message) => {
      if (message.type !== 'book') return;
      const m = message as StreamMessage<BookDelta>;
      if (fetching.current !== 0 || !state.current) {
        buffer.current.push(m);
        return;
      }
      const outcome = state.current.apply(m);
      if (outcome === 'applied') setBook(state.current.view(snapshots.current));
      else if (outcome === 'gap') {
        buffer.current.push(m);
        resync();
      }
    },
  });

  return { book, error };
}
