'use client';
// The day-ahead auction for one delivery day. Until gate closure (D-1 12:00 ICT): the bid-curve
// editor, block orders, a review of the draft and my submitted orders (cancellable). After it:
// the published results. The engine's clock decides which, so a simulated clock works too; the
// `dayahead` room says when results are out.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import { keys, type DayAheadOrder, type MarketParams } from '../../lib/api';
import { useEngineClock, useNow } from '../../lib/clock';
import { compile, emptyDraft, type Draft, type Side } from '../../lib/dayahead';
import { useI18n } from '../../lib/i18n';
import { useRoom } from '../../lib/live/hooks';
import { hasRole, useMe, useZones } from '../../lib/queries';
import { toast } from '../../lib/toast';
import { addDays, dayStartMs, formatCountdown, toMs } from '../../lib/time';
import { trpc } from '../../lib/trpc';
import { ActionsHeader, ErrorNote, Loading, PageHeader, Panel, Segmented, SideLabel } from '../ui';
import { BlockEditor } from './BlockEditor';
import { CurveEditor } from './CurveEditor';
import { Results } from './Results';

export function DayAheadScreen() {
  const { t, f, locale } = useI18n();
  const qc = useQueryClient();
  const clock = useEngineClock();
  const now = useNow();
  const { me } = useMe();
  const trader = hasRole(me, 'TRADER');
  const zones = useZones();
  const [day, setDay] = useState<string | null>(null);

  const calendar = useQuery({
    queryKey: keys.dayAheadCalendar(day),
    queryFn: async () => {
      const sentAt = performance.now();
      const c = await trpc.dayAhead.calendar.query(day ? { day } : {});
      clock.sample(c.now.getTime(), sentAt);
      return c;
    },
    refetchInterval: 5_000,
  });
  useEffect(() => {
    if (day === null && calendar.data) setDay(calendar.data.day);
  }, [day, calendar.data]);

  const gate = calendar.data?.gateClosure.getTime() ?? null;
  const engineNow = now > 0 ? now : (calendar.data?.now.getTime() ?? 0);
  const gateOpen = gate !== null && engineNow < gate;

  const results = useQuery({
    queryKey: keys.dayAheadResults(day ?? ''),
    queryFn: () => trpc.dayAhead.results.query({ day: day ?? '' }),
    enabled: day !== null && !gateOpen,
    refetchInterval: (q) => (q.state.data?.published ? false : 3_000),
  });
  const mine = useQuery({
    queryKey: keys.dayAheadMine(day ?? ''),
    queryFn: () => trpc.dayAhead.mine.query({ day: day ?? '' }),
    enabled: day !== null && trader,
  });
  useRoom('dayahead', {
    onMessage: (m) => {
      const cleared = (m.data as { day?: string }).day;
      if (cleared) {
        void qc.invalidateQueries({ queryKey: keys.dayAheadResults(cleared) });
        void qc.invalidateQueries({ queryKey: keys.dayAheadMine(cleared) });
      }
    },
    onResync: () => void qc.invalidateQueries({ queryKey: ['dayAhead'] }),
  });
  // When the gate passes while the page is open, fetch the day's orders again (their status).
  useEffect(() => {
    if (!gateOpen && day) void qc.invalidateQueries({ queryKey: keys.dayAheadMine(day) });
  }, [gateOpen, day, qc]);

  const openDay = calendar.data && day === calendar.data.day && gateOpen;
  const zoneCodes = useMemo(() => (zones.data?.zones ?? []).map((z) => z.code), [zones.data]);
  const params = zones.data?.params;

  return (
    <div className="page">
      <PageHeader
        title={t('da.title')}
        subtitle={day ? t('da.subtitle', { day: f.day(day) }) : t('da.subtitleLoading')}
      >
        <div className="day-nav" role="group" aria-label={t('da.dayNav')}>
          <button
            type="button"
            className="btn btn-ghost btn-sm"
            disabled={!day}
            onClick={() => day && setDay(addDays(day, -1))}
          >
            ← {t('da.prevDay')}
          </button>
          <button
            type="button"
            className="btn btn-ghost btn-sm"
            disabled={!day}
            onClick={() => day && setDay(addDays(day, 1))}
          >
            {t('da.nextDay')} →
          </button>
        </div>
      </PageHeader>
      <ErrorNote error={calendar.error ?? zones.error} />
      {gate !== null && day ? (
        <div
          className={`gate-bar ${gateOpen ? 'open' : 'closed'}`}
          data-testid="gate-bar"
          data-state={gateOpen ? 'open' : 'closed'}
        >
          <span>
            {gateOpen
              ? t('da.gateOpen', { time: f.dateTime(gate) })
              : t('da.gateClosed', { time: f.dateTime(gate) })}
          </span>
          {gateOpen && now > 0 ? (
            <strong data-testid="gate-countdown">
              {t('da.closesIn', { time: formatCountdown(gate - engineNow) })}
            </strong>
          ) : null}
          {clock.simulated ? <span className="pill pill-warn">{t('da.simulated')}</span> : null}
        </div>
      ) : null}

      {!day || !params ? (
        <Loading />
      ) : gateOpen ? (
        <Bidding
          day={day}
          params={params}
          zoneCodes={zoneCodes}
          zoneLabel={(code) => {
            const z = zones.data?.zones.find((x) => x.code === code);
            return z ? `${code} · ${locale === 'th' ? z.nameTh : z.nameEn}` : code;
          }}
          maxWheelingInto={(zone) =>
            (zones.data?.links ?? [])
              .filter((l) => l.to === zone)
              .reduce((m, l) => Math.max(m, l.wheelingTicks), 0)
          }
          trader={trader}
          signedIn={me !== null}
          mine={mine.data?.orders ?? null}
          mineError={mine.error}
          isOpenDay={Boolean(openDay)}
        />
      ) : results.data?.published ? (
        <Results
          results={results.data}
          zones={zoneCodes}
          mine={trader ? (mine.data?.orders ?? null) : null}
        />
      ) : results.isError ? (
        <ErrorNote error={results.error} />
      ) : (
        <Panel title={t('da.resultsTitle')}>
          <p className="loading" aria-busy="true" data-testid="da-clearing">
            <span className="spinner" aria-hidden="true" />
            {t('da.clearing')}
          </p>
          {trader && mine.data ? <MyOrders orders={mine.data.orders} canCancel={false} /> : null}
        </Panel>
      )}
    </div>
  );
}

function Bidding({
  day,
  params,
  zoneCodes,
  zoneLabel,
  maxWheelingInto,
  trader,
  signedIn,
  mine,
  mineError,
  isOpenDay,
}: {
  day: string;
  params: MarketParams;
  zoneCodes: string[];
  zoneLabel: (code: string) => string;
  maxWheelingInto: (zone: string) => number;
  trader: boolean;
  signedIn: boolean;
  mine: DayAheadOrder[] | null;
  mineError: unknown;
  isOpenDay: boolean;
}) {
  const { t, f, errorText } = useI18n();
  const qc = useQueryClient();
  const [draft, setDraft] = useState<Draft>(emptyDraft);
  const [zone, setZone] = useState(zoneCodes[0] ?? 'MEA-BKK');
  const [side, setSide] = useState<Side>('sell');
  const [selected, setSelected] = useState(32);
  const [tab, setTab] = useState<'curves' | 'blocks'>('curves');
  const compiled = useMemo(
    () => compile(draft, day, params, maxWheelingInto),
    [draft, day, params, maxWheelingInto],
  );
  const submit = useMutation({
    mutationFn: () => trpc.dayAhead.submit.mutate({ orders: compiled.orders }),
    onSuccess: ({ orderIds }) => {
      toast(t('da.submitted', { n: orderIds.length }), 'success');
      setDraft(emptyDraft());
      void qc.invalidateQueries({ queryKey: keys.dayAheadMine(day) });
      void qc.invalidateQueries({ queryKey: keys.balances });
    },
  });

  if (!signedIn || !trader) {
    return (
      <Panel title={t('da.bidTitle')}>
        <p className="gate">{signedIn ? t('trade.tradersOnly') : t('da.signIn')}</p>
      </Panel>
    );
  }

  return (
    <div className="da-grid">
      <Panel
        title={t('da.bidTitle')}
        className="da-editor"
        actions={
          <div className="row-gap">
            <label className="field field-compact">
              <span>{t('trade.zone')}</span>
              <select value={zone} onChange={(e) => setZone(e.target.value)} data-testid="da-zone">
                {zoneCodes.map((z) => (
                  <option key={z} value={z}>
                    {zoneLabel(z)}
                  </option>
                ))}
              </select>
            </label>
            <Segmented<Side>
              label={t('ticket.side')}
              value={side}
              onChange={setSide}
              tone={(v) => (v === 'buy' ? 'on-buy' : 'on-sell')}
              choices={[
                { value: 'buy', label: t('side.buy'), testId: 'da-side-buy' },
                { value: 'sell', label: t('side.sell'), testId: 'da-side-sell' },
              ]}
            />
          </div>
        }
      >
        {!isOpenDay ? <p className="note note-warn small">{t('da.futureDay')}</p> : null}
        <div role="tablist" className="tabs" aria-label={t('da.bidTitle')}>
          <button
            type="button"
            role="tab"
            id="da-tab-curves"
            aria-selected={tab === 'curves'}
            aria-controls="da-panel"
            tabIndex={tab === 'curves' ? 0 : -1}
            onClick={() => setTab('curves')}
          >
            {t('da.curves')}
          </button>
          <button
            type="button"
            role="tab"
            id="da-tab-blocks"
            aria-selected={tab === 'blocks'}
            aria-controls="da-panel"
            tabIndex={tab === 'blocks' ? 0 : -1}
            onClick={() => setTab('blocks')}
            data-testid="da-tab-blocks"
          >
            {t('da.blocks', { n: draft.blocks.length })}
          </button>
        </div>
        <div id="da-panel" role="tabpanel" aria-labelledby={`da-tab-${tab}`}>
          {tab === 'curves' ? (
            <CurveEditor
              draft={draft}
              setDraft={setDraft}
              zone={zone}
              side={side}
              selected={selected}
              setSelected={setSelected}
              params={params}
              dayStart={dayStartMs(day)}
            />
          ) : (
            <BlockEditor
              draft={draft}
              setDraft={setDraft}
              zone={zone}
              side={side}
              params={params}
            />
          )}
        </div>
      </Panel>

      <div className="da-side">
        <Panel title={t('da.review')} testId="da-review">
          <dl className="kv">
            <div>
              <dt>{t('da.orderCount')}</dt>
              <dd data-testid="da-order-count">{compiled.orders.length}</dd>
            </div>
            <div>
              <dt>{t('da.intervalsCovered')}</dt>
              <dd>{compiled.intervals}</dd>
            </div>
            <div>
              <dt>{t('da.totalSell')}</dt>
              <dd>{f.energy(compiled.sellWh)}</dd>
            </div>
            <div>
              <dt>{t('da.totalBuy')}</dt>
              <dd>{f.energy(compiled.buyWh)}</dd>
            </div>
            <div>
              <dt>{t('da.maxReserve')}</dt>
              <dd>{f.money(compiled.maxBuySatang)}</dd>
            </div>
          </dl>
          {compiled.problems.length > 0 ? (
            <p className="note note-warn small" role="status">
              {t('da.problems', { n: compiled.problems.length })}
            </p>
          ) : null}
          {submit.error ? (
            <p className="note note-error small" role="alert" data-testid="da-submit-error">
              {errorText(submit.error)}
            </p>
          ) : null}
          <button
            type="button"
            className="btn btn-primary btn-block"
            disabled={
              compiled.orders.length === 0 || compiled.problems.length > 0 || submit.isPending
            }
            onClick={() => submit.mutate()}
            data-testid="da-submit"
          >
            {submit.isPending ? t('ticket.sending') : t('da.submit', { n: compiled.orders.length })}
          </button>
          <p className="muted small">{t('da.sealed')}</p>
        </Panel>
        <Panel title={t('da.myOrders', { day: f.day(day) })} testId="da-mine">
          <ErrorNote error={mineError} />
          {mine === null ? <Loading /> : <MyOrders orders={mine} canCancel />}
        </Panel>
      </div>
    </div>
  );
}

function MyOrders({ orders, canCancel }: { orders: DayAheadOrder[]; canCancel: boolean }) {
  const { t, f, errorText } = useI18n();
  const qc = useQueryClient();
  const cancel = useMutation({
    mutationFn: (orderId: string) => trpc.dayAhead.cancel.mutate({ orderId }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['private', 'dayAhead'] }),
    onError: (e) => toast(errorText(e), 'error'),
  });
  if (orders.length === 0) return <p className="empty">{t('da.noOrders')}</p>;
  return (
    <table className="data-table compact" data-testid="da-my-orders">
      <caption className="sr-only">{t('da.myOrdersCaption')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('da.when')}</th>
          <th scope="col">{t('activity.side')}</th>
          <th scope="col" className="num">
            {t('trade.price')}
          </th>
          <th scope="col" className="num">
            kWh
          </th>
          <th scope="col">{t('trade.status')}</th>
          {canCancel ? <ActionsHeader /> : null}
        </tr>
      </thead>
      <tbody>
        {orders.map((o) => {
          const last = o.profile[o.profile.length - 1]?.intervalStart;
          return (
            <tr key={o.id} data-testid="da-order">
              <td className="nowrap">
                {o.kind === 'block' && last
                  ? `${f.hm(o.intervalStart)}–${f.interval(toMs(last)).split('–')[1] ?? ''}`
                  : f.interval(toMs(o.intervalStart))}{' '}
                <span className="muted small" translate="no">
                  {o.zone}
                </span>
                {o.kind === 'block' ? (
                  <span className="pill pill-muted small">{t('da.block')}</span>
                ) : null}
              </td>
              <td>
                <SideLabel side={o.side} />
              </td>
              <td className="num">{f.price(o.priceTicks)}</td>
              <td className="num">{f.kwh(o.quantityWh)}</td>
              <td>
                <span
                  className={`pill ${o.status === 'OPEN' ? 'pill-ok' : o.status === 'CANCELLED' || o.status === 'EXPIRED' ? 'pill-muted' : 'pill-warn'}`}
                >
                  {t(`orderStatus.${o.status}`)}
                </span>
              </td>
              {canCancel ? (
                <td>
                  {o.status === 'OPEN' ? (
                    <button
                      type="button"
                      className="btn btn-ghost btn-xs btn-danger-text"
                      onClick={() => cancel.mutate(o.id)}
                      disabled={cancel.isPending}
                      aria-label={t('da.cancelOrder')}
                    >
                      {t('activity.cancel')}
                    </button>
                  ) : null}
                </td>
              ) : null}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
