'use client';
// Short notices (a fill, a settlement, a failed action) shown in a polite live region, so a
// screen reader announces them too. Each fades after a few seconds; errors stay a little longer.
import { useSyncExternalStore } from 'react';

export interface Toast {
  id: number;
  tone: 'info' | 'success' | 'error' | 'buy' | 'sell';
  text: string;
}

let toasts: Toast[] = [];
let nextId = 1;
const listeners = new Set<() => void>();

function emit(): void {
  for (const l of listeners) l();
}

export function toast(text: string, tone: Toast['tone'] = 'info'): void {
  const id = nextId++;
  toasts = [...toasts.slice(-4), { id, text, tone }];
  emit();
  setTimeout(() => dismiss(id), tone === 'error' ? 9000 : 6000);
}

export function dismiss(id: number): void {
  toasts = toasts.filter((t) => t.id !== id);
  emit();
}

const EMPTY: Toast[] = [];

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useToasts(): Toast[] {
  return useSyncExternalStore(
    subscribe,
    () => toasts,
    () => EMPTY,
  );
}
