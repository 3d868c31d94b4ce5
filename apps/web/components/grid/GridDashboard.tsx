'use client';
// The grid operator's balancing dashboard, built to be read from across a control room: the zone
// map coloured by each zone's last price and outlined by halts and congestion, zone cards with
// halt / resume (confirmed, with a reason), the links with capacity against what the next
// interval has left (updated from `linkUse` messages as cross-zone trades consume it), frequency
// and imbalance with their trend, scheduled vs metered per zone, scheduled flows vs capacity, and
// reserve offers and activation — all live over the `grid` and `market` rooms — and the chain's
// consensus, so a settlement waiting for finality has a visible reason.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { keys, type GridLink, type GridState, type TradeMessage } from '../../lib/api';
import { useNow } from '../../lib/clock';
import { useI18n } from '../../lib/i18n';
import { useRoom } from '../../lib/live/hooks';
import { hasRole, useMe } from '../../lib/queries';
import { toast } from '../../lib/toast';
import { trpc } from '../../lib/trpc';
import { capacityMw, mwToWh } from '../../lib/units';
import { LiveIndicator } from '../AppShell';
import { ActionsHeader, Dialog, DialogActions, ErrorNote, Loading, RequireRole } from '../ui';
import { BalancingPanels } from './Balancing';
import { ConsensusPanel } from './Consensus';
import { GridMap, utilization, utilizationTone } from './GridMap';
import { ReservesPanel } from './Reserves';

interface LinkUseMessage {
  intervalStart: number;
  from: string;
  to: string;
  remainingWh: number;
}

export function GridDashboard() {
  return (
    <div className="page page-wide control-room">
      <RequireRole roles={['OPERATOR', 'AUTHORITY', 'ADMIN']}>
        <Dashboard />
      </RequireRole>
    </div>
  );
}

type Action =
  | { kind: 'halt'; zone: string }
  | { kind: 'resume'; zone: string }
  | { kind: 'capacity'; link: GridLink }
  | null;

function Dashboard() {
  const { t, f, locale } = useI18n();
  const qc = useQueryClient();
  const now = useNow();
  const { me } = useMe();
  const operator = hasRole(me, 'OPERATOR');
  const [action, setAction] = useState<Action>(null);
  const grid = useQuery({
    queryKey: keys.grid,
    queryFn: () => trpc.grid.state.query(),
    refetchInterval: 30_000,
  });
  const imbalance = useQuery({
    queryKey: keys.gridImbalance(null),
    queryFn: () => trpc.grid.imbalance.query({}),
    refetchInterval: 60_000,
  });
  const reserves = useQuery({
    queryKey: keys.reserves,
    queryFn: () => trpc.grid.reserves.query({}),
    refetchInterval: 60_000,
  });
  const refreshGrid = () => void qc.invalidateQueries({ queryKey: keys.grid, exact: true });
  useRoom('grid', {
    onResync: () => void qc.invalidateQueries({ queryKey: keys.grid }),
    onMessage: (m) => {
      if (m.type === 'linkUse') {
        // A cross-zone trade consumed capacity: patch the one link instead of refetching.
        const use = m.data as LinkUseMessage;
        qc.setQueryData<GridState>(keys.grid, (old) =>
          old && old.nextInterval && old.nextInterval.getTime() === use.intervalStart
            ? {
                ...old,
                links: old.links.map((l) =>
                  l.from === use.from && l.to === use.to
                    ? {
                        ...l,
                        remainingWh: use.remainingWh,
                        congested: use.remainingWh <= l.capacityWh * 0.05,
                      }
                    : l,
                ),
              }
            : old,
        );
      } else if (m.type === 'interval') {
        void qc.invalidateQueries({ queryKey: ['grid', 'imbalance'] });
      } else if (m.type === 'reserve' || m.type === 'reserveOffer') {
        void qc.invalidateQueries({ queryKey: keys.reserves });
      } else refreshGrid();
    },
  });
  useRoom('market', {
    onMessage: (m) => {
      if (m.type === 'trade') {
        // The map colours zones by their last price: take it from the print itself.
        const trade = m.data as TradeMessage;
        qc.setQueryData<GridState>(keys.grid, (old) =>
          old
            ? {
                ...old,
                zones: old.zones.map((z) =>
                  z.code === trade.buyZone || z.code === trade.sellZone
                    ? {
                        ...z,
                        lastPriceTicks: trade.priceTicks,
                        lastTradeAt: new Date(trade.time),
                      }
                    : z,
                ),
              }
            : old,
        );
      } else if (m.type === 'linkCapacity' || m.type === 'parameters') refreshGrid();
    },
  });

  const state = grid.data;
  const next = state?.nextInterval ? state.nextInterval.getTime() : null;
  const prices = new Map<string, number>();
  for (const z of state?.zones ?? []) {
    if (z.lastPriceTicks !== null) prices.set(z.code, z.lastPriceTicks);
  }
  const congestedZones = new Set(
    (state?.links ?? []).filter((l) => l.congested).flatMap((l) => [l.from, l.to]),
  );

  return (
    <>
      <header className="cr-header">
        <div>
          <h1>{t('grid.title')}</h1>
          <p className="page-subtitle">{t('grid.subtitle')}</p>
        </div>
        <div className="cr-clock" aria-live="off">
          <span className="cr-time" data-testid="cr-time">
            {now > 0 ? f.time(now) : '—'}
          </span>
          <span className="muted">ICT · {now > 0 ? f.dateLong(now) : ''}</span>
        </div>
        <div className="cr-next">
          <span className="muted">{t('grid.nextInterval')}</span>
          <strong>{next !== null ? f.interval(next) : '—'}</strong>
          <LiveIndicator />
        </div>
      </header>
      <ErrorNote error={grid.error} />
      {!state ? (
        <Loading />
      ) : (
        <>
          <div className="cr-top">
            <section className="panel cr-map" aria-labelledby="map-title">
              <header className="panel-header">
                <h2 id="map-title">{t('grid.mapTitle')}</h2>
                <span className="muted small">{t('grid.schematic')}</span>
              </header>
              <GridMap state={state} prices={prices} />
            </section>
            <div className="cr-right">
              <section className="cr-zones" aria-labelledby="zones-title">
                <h2 id="zones-title" className="sr-only">
                  {t('grid.zonesTitle')}
                </h2>
                {state.zones.map((z) => (
                  <article
                    key={z.code}
                    className={`zone-card${z.halted ? ' halted' : ''}`}
                    data-testid={`zone-card-${z.code}`}
                    data-halted={z.halted}
                  >
                    <div className="zone-card-head">
                      <div>
                        <h3 translate="no">{z.code}</h3>
                        <span className="muted">
                          {locale === 'th' ? z.nameTh : z.nameEn} ·{' '}
                          <span translate="no">{z.authority}</span>
                        </span>
                      </div>
                      <span
                        className={`state-badge ${z.halted ? 'bad' : 'ok'}`}
                        data-testid="zone-state"
                      >
                        {z.halted ? t('grid.haltedCaps') : t('grid.tradingCaps')}
                      </span>
                    </div>
                    <dl className="zone-card-facts">
                      <div>
                        <dt>{t('grid.lastPrice')}</dt>
                        <dd className="big-num">
                          {prices.has(z.code) ? f.price(prices.get(z.code) ?? 0) : '—'}
                        </dd>
                      </div>
                      <div>
                        <dt>{t('grid.congestion')}</dt>
                        <dd className={congestedZones.has(z.code) ? 'bad strong' : 'ok'}>
                          {congestedZones.has(z.code) ? t('grid.congested') : t('grid.clear')}
                        </dd>
                      </div>
                    </dl>
                    {z.halted && z.haltReason ? (
                      <p className="halt-reason">
                        {t('grid.reasonLabel')}: {z.haltReason}
                      </p>
                    ) : null}
                    {operator ? (
                      <button
                        type="button"
                        className={`btn btn-block ${z.halted ? 'btn-primary' : 'btn-danger-outline'}`}
                        onClick={() =>
                          setAction(
                            z.halted
                              ? { kind: 'resume', zone: z.code }
                              : { kind: 'halt', zone: z.code },
                          )
                        }
                        data-testid={`${z.halted ? 'resume' : 'halt'}-${z.code}`}
                      >
                        {z.halted
                          ? t('grid.resume', { zone: z.code })
                          : t('grid.halt', { zone: z.code })}
                      </button>
                    ) : null}
                  </article>
                ))}
              </section>
              <section className="panel" aria-labelledby="links-title">
                <header className="panel-header">
                  <h2 id="links-title">{t('grid.linksTitle')}</h2>
                  <span className="muted small">
                    {next !== null ? t('grid.linksFor', { interval: f.interval(next) }) : ''}
                  </span>
                </header>
                <div className="table-wrap">
                  <table className="data-table cr-links" data-testid="links">
                    <caption className="sr-only">{t('grid.linksTitle')}</caption>
                    <thead>
                      <tr>
                        <th scope="col">{t('grid.link')}</th>
                        <th scope="col" className="num">
                          {t('grid.capacity')}
                        </th>
                        <th scope="col" className="num">
                          {t('grid.remaining')}
                        </th>
                        <th scope="col">{t('grid.used')}</th>
                        <th scope="col" className="num hide-sm">
                          {t('grid.wheeling')}
                        </th>
                        {operator ? <ActionsHeader /> : null}
                      </tr>
                    </thead>
                    <tbody>
                      {state.links.map((l) => {
                        const u = utilization(l);
                        const tone = utilizationTone(u, l.congested);
                        return (
                          <tr key={`${l.from}>${l.to}`} data-testid={`link-${l.from}-${l.to}`}>
                            <th scope="row" translate="no" className="nowrap">
                              {l.from} → {l.to}
                            </th>
                            <td className="num" data-testid="link-capacity">
                              {f.mw(l.capacityWh)}
                            </td>
                            <td className="num">
                              {l.remainingWh !== null ? f.mw(l.remainingWh) : '—'}
                            </td>
                            <td>
                              <span className={`util util-${tone}`}>
                                <span className="util-bar" aria-hidden="true">
                                  <span style={{ width: `${Math.round((u ?? 0) * 100)}%` }} />
                                </span>
                                <span>
                                  {u !== null ? f.percent(u) : '—'}
                                  {l.congested ? ` · ${t('grid.congested')}` : ''}
                                </span>
                              </span>
                            </td>
                            <td className="num hide-sm">{f.priceUnit(l.wheelingTicks)}</td>
                            {operator ? (
                              <td>
                                <button
                                  type="button"
                                  className="btn btn-ghost btn-sm"
                                  onClick={() => setAction({ kind: 'capacity', link: l })}
                                  aria-label={t('grid.setCapacityLabel', {
                                    from: l.from,
                                    to: l.to,
                                  })}
                                  data-testid={`set-capacity-${l.from}-${l.to}`}
                                >
                                  {t('grid.setCapacity')}
                                </button>
                              </td>
                            ) : null}
                          </tr>
                        );
                      })}
                    </tbody>
                  </table>
                </div>
              </section>
            </div>
          </div>

          <div className="cr-lower">
            <BalancingPanels
              data={imbalance.data}
              error={imbalance.error}
              pending={imbalance.isPending}
            />
            <ReservesPanel
              data={reserves.data}
              error={reserves.error}
              zones={state.zones.map((z) => z.code)}
              operator={operator}
            />
            <ConsensusPanel />
          </div>
        </>
      )}
      {operator && state ? (
        <ActionDialog action={action} state={state} onClose={() => setAction(null)} />
      ) : null}
    </>
  );
}

function ActionDialog({
  action,
  state,
  onClose,
}: {
  action: Action;
  state: GridState;
  onClose: () => void;
}) {
  const { t, f, locale } = useI18n();
  const qc = useQueryClient();
  const [reason, setReason] = useState('');
  const [capacity, setCapacity] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const mutation = useMutation({
    mutationFn: async (a: NonNullable<Action>) => {
      if (a.kind === 'halt') return trpc.grid.halt.mutate({ zone: a.zone, reason: reason.trim() });
      if (a.kind === 'resume')
        return trpc.grid.resume.mutate({ zone: a.zone, reason: reason.trim() });
      const capacityWh = mwToWh(capacity);
      return trpc.grid.setLinkCapacity.mutate({
        from: a.link.from,
        to: a.link.to,
        capacityWh: capacityWh ?? -1,
        reason: reason.trim(),
      });
    },
    onSuccess: (_r, a) => {
      toast(
        a.kind === 'capacity'
          ? t('grid.capacitySet', { from: a.link.from, to: a.link.to })
          : a.kind === 'halt'
            ? t('grid.halted', { zone: a.zone })
            : t('grid.resumed', { zone: a.zone }),
        'success',
      );
      void qc.invalidateQueries({ queryKey: keys.grid });
      void qc.invalidateQueries({ queryKey: keys.zones });
      close();
    },
  });
  const close = () => {
    setReason('');
    setCapacity('');
    setProblem(null);
    mutation.reset();
    onClose();
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!action) return;
    if (reason.trim().length < 3) {
      setProblem(t('grid.reasonShort'));
      return;
    }
    if (action.kind === 'capacity' && mwToWh(capacity) === null) {
      setProblem(t('grid.capacityInvalid'));
      return;
    }
    setProblem(null);
    mutation.mutate(action);
  };
  const zone =
    action && action.kind !== 'capacity' ? state.zones.find((z) => z.code === action.zone) : null;
  const title = !action
    ? ''
    : action.kind === 'halt'
      ? t('grid.haltTitle', { zone: action.zone })
      : action.kind === 'resume'
        ? t('grid.resumeTitle', { zone: action.zone })
        : t('grid.capacityTitle', { from: action.link.from, to: action.link.to });

  return (
    <Dialog
      open={action !== null}
      title={title}
      onClose={close}
      tone={action?.kind === 'halt' ? 'danger' : undefined}
      testId="grid-dialog"
    >
      {action ? (
        <form onSubmit={submit} className="dialog-form" noValidate>
          {action.kind === 'halt' ? (
            <p>
              {t('grid.haltWarning', {
                zone: action.zone,
                name: zone ? (locale === 'th' ? zone.nameTh : zone.nameEn) : '',
              })}
            </p>
          ) : action.kind === 'resume' ? (
            <p>
              {t('grid.resumeWarning', { zone: action.zone })}
              {zone?.haltReason ? ` ${t('grid.haltedBecause', { reason: zone.haltReason })}` : ''}
            </p>
          ) : (
            <>
              <p>
                {t('grid.capacityNow', {
                  capacity: f.mw(action.link.capacityWh),
                  remaining: action.link.remainingWh !== null ? f.mw(action.link.remainingWh) : '—',
                })}
              </p>
              <div className="field">
                <label htmlFor="capacity-input">{t('grid.newCapacity')}</label>
                <input
                  id="capacity-input"
                  aria-describedby="capacity-help"
                  inputMode="decimal"
                  value={capacity}
                  placeholder={capacityMw(action.link.capacityWh)}
                  onChange={(e) => setCapacity(e.target.value)}
                  autoFocus
                  data-testid="capacity-input"
                />
                <small id="capacity-help" className="muted">
                  {t('grid.capacityHelp')}
                </small>
              </div>
            </>
          )}
          <div className="field">
            <label htmlFor="reason-input">{t('grid.reason')}</label>
            <textarea
              id="reason-input"
              aria-describedby="reason-help"
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              rows={3}
              required
              autoFocus={action.kind !== 'capacity'}
              data-testid="reason-input"
            />
            <small id="reason-help" className="muted">
              {t('grid.reasonHelp')}
            </small>
          </div>
          <DialogActions
            problem={problem}
            error={mutation.error}
            pending={mutation.isPending}
            onCancel={close}
            danger={action.kind === 'halt'}
            testId="confirm-action"
          >
            {action.kind === 'halt'
              ? t('grid.halt', { zone: action.zone })
              : action.kind === 'resume'
                ? t('grid.resume', { zone: action.zone })
                : t('grid.applyCapacity')}
          </DialogActions>
        </form>
      ) : null}
    </Dialog>
  );
}
