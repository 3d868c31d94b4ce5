'use client';
// Live engine status for the home page: the `health` procedure (polled, and refetched on every
// reconnect) and the Socket.IO heartbeat, whose sequence numbers reveal missed beats.
import type { Heartbeat } from '@gridtokenx/engine';
import { useEffect, useState } from 'react';
import { io } from 'socket.io-client';
import { trpc } from '../lib/trpc';
import { formatDuration, formatIct } from '../lib/time';

type Health = Awaited<ReturnType<typeof trpc.health.query>>;

type Link = 'connecting' | 'live' | 'down';

export function EngineStatus() {
  const [health, setHealth] = useState<Health | null>(null);
  const [healthError, setHealthError] = useState<string | null>(null);
  const [link, setLink] = useState<Link>('connecting');
  const [beat, setBeat] = useState<Heartbeat | null>(null);
  const [missed, setMissed] = useState(0);

  useEffect(() => {
    let cancelled = false;
    const refresh = () => {
      trpc.health.query().then(
        (h) => {
          if (cancelled) return;
          setHealth(h);
          setHealthError(null);
        },
        (err: unknown) => {
          if (cancelled) return;
          // A proxy error page or a dropped connection is not a tRPC answer: say so plainly.
          const message = err instanceof Error ? err.message : String(err);
          setHealthError(
            /transform response|fetch|network/i.test(message)
              ? 'the engine did not answer'
              : message,
          );
        },
      );
    };
    refresh();
    const poll = setInterval(refresh, 5_000);

    const socket = io({ path: '/socket.io', transports: ['websocket', 'polling'] });
    let lastSeq: number | null = null;
    socket.on('connect', () => {
      setLink('live');
      lastSeq = null;
      refresh();
    });
    socket.on('disconnect', () => setLink('down'));
    socket.on('connect_error', () => setLink('down'));
    socket.on('heartbeat', (hb: Heartbeat) => {
      if (lastSeq !== null && hb.seq > lastSeq + 1) setMissed((m) => m + hb.seq - lastSeq! - 1);
      lastSeq = hb.seq;
      setBeat(hb);
    });
    return () => {
      cancelled = true;
      clearInterval(poll);
      socket.close();
    };
  }, []);

  const db = health?.database;
  const overall = link === 'down' || healthError ? 'down' : (health?.status ?? 'unknown');

  return (
    <section className="card" aria-labelledby="engine-status-title" data-testid="engine-status">
      <header className="card-header">
        <h2 id="engine-status-title">Engine status</h2>
        <span className={`badge badge-${overall}`} data-testid="engine-overall" role="status">
          {overall === 'ok'
            ? 'Operational'
            : overall === 'degraded'
              ? 'Degraded'
              : overall === 'down'
                ? 'Unreachable'
                : 'Checking…'}
        </span>
      </header>
      <dl className="facts">
        <div>
          <dt>Live stream</dt>
          <dd data-testid="stream-state" data-state={link}>
            <span className={`dot dot-${link}`} aria-hidden="true" />
            {link === 'live'
              ? 'Connected'
              : link === 'down'
                ? 'Disconnected — retrying'
                : 'Connecting…'}
          </dd>
        </div>
        <div>
          <dt>Last heartbeat</dt>
          <dd data-testid="heartbeat" data-seq={beat?.seq ?? ''}>
            {beat ? `#${beat.seq} at ${formatIct(beat.time)}` : '—'}
            {missed > 0 ? ` (${missed} missed)` : ''}
          </dd>
        </div>
        <div>
          <dt>Engine uptime</dt>
          <dd data-testid="uptime">
            {beat
              ? formatDuration(beat.uptimeSeconds)
              : health
                ? formatDuration(health.uptimeSeconds)
                : '—'}
          </dd>
        </div>
        <div>
          <dt>Database</dt>
          <dd data-testid="db-kind">
            {db
              ? `${db.kind === 'embedded' ? 'Embedded PGlite' : 'PostgreSQL'} — ${db.reachable ? `reachable (${db.latencyMs} ms)` : `unreachable: ${db.error}`}`
              : '—'}
          </dd>
        </div>
        <div>
          <dt>Schema</dt>
          <dd data-testid="migrations">
            {db?.migrations
              ? `${db.migrations.applied} migrations applied${db.migrations.pending.length ? `, ${db.migrations.pending.length} pending` : ', up to date'} (${db.migrations.latest ?? 'none'})`
              : '—'}
          </dd>
        </div>
        <div>
          <dt>Version</dt>
          <dd>{health?.version ?? '—'}</dd>
        </div>
      </dl>
      {healthError ? (
        <p className="error" role="alert">
          Health check failed: {healthError}
        </p>
      ) : null}
    </section>
  );
}
