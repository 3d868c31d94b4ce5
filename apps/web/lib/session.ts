'use client';
// Signing in, up and out. The engine sets or clears the HttpOnly session cookie; afterwards the
// cached account is replaced, private data dropped, and the live connection re-opened so the
// engine puts it in the right user room.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { keys } from './api';
import { useLive } from './live/hooks';
import { trpc } from './trpc';

export function useSignIn() {
  const qc = useQueryClient();
  const live = useLive();
  return useMutation({
    mutationFn: (input: { email: string; password: string }) => trpc.auth.login.mutate(input),
    onSuccess: (account) => {
      qc.removeQueries({ queryKey: keys.private });
      qc.setQueryData(keys.me, account);
      live.reconnect();
    },
  });
}

export function useSignUp() {
  const qc = useQueryClient();
  const live = useLive();
  return useMutation({
    mutationFn: (input: { email: string; password: string; name: string }) =>
      trpc.auth.register.mutate(input),
    onSuccess: (account) => {
      qc.removeQueries({ queryKey: keys.private });
      qc.setQueryData(keys.me, account);
      live.reconnect();
    },
  });
}

export function useSignOut() {
  const qc = useQueryClient();
  const live = useLive();
  return useMutation({
    mutationFn: () => trpc.auth.logout.mutate(),
    onSettled: () => {
      qc.removeQueries({ queryKey: keys.private });
      qc.setQueryData(keys.me, null);
      live.reconnect();
    },
  });
}
