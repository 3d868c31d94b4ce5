'use client';
// Live engine status: the `health` procedure (polled, and refetched on every reconnect) and the
// Socket.IO heartbeat of the shared live connection, whose sequence numbers reveal missed beats.
import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useI18n } from '../lib/i18n';
import type { Heartbeat } from '../lib/live/client';
import { useLinkState, useLive } from '../lib/live/hooks';
import { trpc } from '../lib/trpc';
import { Panel } from './ui';

export function EngineStatus() {
  const { t, f, errorText } = useI18n();
  const live = useLive();
  const link = useLinkState();
  const [beat, setBeat] = useState<Heartbeat | null>(null);
  const [missed, setMissed] = useState(0);
  const health = useQuery({
    queryKey: ['health'],
    queryFn: () => trpc.health.query(),
    refetchInterval: 5_000,
    retry: false,
  });
  const { refetch } = health;

  useEffect(() => {
    let lastSeq: number | null = null;
    setBeat(live.lastHeartbeat);
    return live.onHeartbeat((hb) => {
      if (lastSeq !== null && hb.seq > lastSeq + 1) setMissed((m) => m + hb.seq - lastSeq! - 1);
      lastSeq = hb.seq;
      setBeat(hb);
    });
  }, [live]);

  useEffect(() => {
    if (link === 'live') void refetch();
  }, [link, refetch]);

  const h = health.data;
  const db = h?.database;
  const overall = link === 'down' || health.isError ? 'down' : (h?.status ?? 'unknown');
  const duration = (seconds: number) => {
    const s = Math.max(0, Math.floor(seconds));
    return t('status.duration', {
      h: Math.floor(s / 3600),
      m: Math.floor((s % 3600) / 60),
      s: s % 60,
    });
  };

  return (
    <Panel
      title={t('status.engine')}
      testId="engine-status"
      actions={
        <span className={`badge badge-${overall}`} data-testid="engine-overall" role="status">
          {overall === 'ok'
            ? t('status.ok')
            : overall === 'degraded'
              ? t('status.degraded')
              : overall === 'down'
                ? t('status.down')
                : t('status.checking')}
        </span>
      }
    >
      <dl className="facts">
        <div>
          <dt>{t('status.stream')}</dt>
          <dd data-testid="stream-state" data-state={link}>
            <span className={`dot dot-${link}`} aria-hidden="true" />
            {link === 'live'
              ? t('status.streamLive')
              : link === 'down'
                ? t('status.streamDown')
                : t('status.streamConnecting')}
          </dd>
        </div>
        <div>
          <dt>{t('status.heartbeat')}</dt>
          <dd data-testid="heartbeat" data-seq={beat?.seq ?? ''}>
            {beat ? t('status.beat', { seq: beat.seq, time: f.dateTime(beat.time) }) : '—'}
            {missed > 0 ? ` ${t('status.missed', { n: missed })}` : ''}
          </dd>
        </div>
        <div>
          <dt>{t('status.uptime')}</dt>
          <dd data-testid="uptime">
            {beat ? duration(beat.uptimeSeconds) : h ? duration(h.uptimeSeconds) : '—'}
          </dd>
        </div>
        <div>
          <dt>{t('status.database')}</dt>
          <dd data-testid="db-kind">
            {db
              ? `${db.kind === 'embedded' ? t('status.dbEmbedded') : t('status.dbPostgres')} — ${
                  db.reachable
                    ? t('status.dbReachable', { ms: db.latencyMs ?? 0 })
                    : t('status.dbUnreachable', { error: db.error ?? '' })
                }`
              : '—'}
          </dd>
        </div>
        <div>
          <dt>{t('status.schema')}</dt>
          <dd data-testid="migrations">
            {db?.migrations
              ? `${t('status.migrations', { n: db.migrations.applied })}, ${
                  db.migrations.pending.length
                    ? t('status.pending', { n: db.migrations.pending.length })
                    : t('status.upToDate')
                }`
              : '—'}
          </dd>
        </div>
        <div>
          <dt>{t('status.version')}</dt>
          <dd translate="no">{h?.version ?? '—'}</dd>
        </div>
      </dl>
      {health.isError ? (
        <p className="note note-error" role="alert">
          {t('status.failed', { reason: errorText(health.error) })}
        </p>
      ) : null}
    </Panel>
  );
}
