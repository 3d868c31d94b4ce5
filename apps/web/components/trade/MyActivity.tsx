'use client';
// My open orders (cancel, or amend price and remaining quantity in place) and my fills with their
// settlement state on chain. Both refresh from the private user stream (see Providers).
import { useMutation, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useState, type FormEvent } from 'react';
import { keys, type Fill, type OpenOrder } from '../../lib/api';
import { useI18n } from '../../lib/i18n';
import { useFills, useOpenOrders } from '../../lib/queries';
import { toast } from '../../lib/toast';
import { trpc } from '../../lib/trpc';
import { ENERGY_SCALE, PRICE_SCALE, parseScaledInt, toInputText } from '../../lib/units';
import { ActionsHeader, ErrorNote, Hash, Loading, SideLabel } from '../ui';

type Tab = 'orders' | 'fills';

export function MyActivity({
  zone,
  intervalStart,
  enabled,
}: {
  zone: string;
  intervalStart: number;
  enabled: boolean;
}) {
  const { t } = useI18n();
  const [tab, setTab] = useState<Tab>('orders');
  const [onlyHere, setOnlyHere] = useState(true);
  const orders = useOpenOrders(enabled);
  const fills = useFills(enabled);
  const openHere = (orders.data ?? []).filter(
    (o) => !onlyHere || (o.zone === zone && o.intervalStart.getTime() === intervalStart),
  );
  const fillsHere = (fills.data ?? []).filter(
    (x) => !onlyHere || (x.zone === zone && x.intervalStart.getTime() === intervalStart),
  );
  const tabs: { id: Tab; label: string }[] = [
    { id: 'orders', label: t('activity.openOrders', { n: openHere.length }) },
    { id: 'fills', label: t('activity.fills', { n: fillsHere.length }) },
  ];

  return (
    <div className="activity">
      <div className="activity-head">
        <div role="tablist" aria-label={t('activity.title')} className="tabs">
          {tabs.map((item) => (
            <button
              key={item.id}
              id={`tab-${item.id}`}
              type="button"
              role="tab"
              aria-selected={tab === item.id}
              aria-controls={`tabpanel-${item.id}`}
              tabIndex={tab === item.id ? 0 : -1}
              onClick={() => setTab(item.id)}
              onKeyDown={(e) => {
                if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') {
                  const next = tab === 'orders' ? 'fills' : 'orders';
                  setTab(next);
                  document.getElementById(`tab-${next}`)?.focus();
                }
              }}
              data-testid={`tab-${item.id}`}
            >
              {item.label}
            </button>
          ))}
        </div>
        <label className="check small">
          <input
            type="checkbox"
            checked={onlyHere}
            onChange={(e) => setOnlyHere(e.target.checked)}
          />
          <span>{t('activity.onlyHere')}</span>
        </label>
      </div>
      <div
        id={`tabpanel-${tab}`}
        role="tabpanel"
        aria-labelledby={`tab-${tab}`}
        className="activity-body"
      >
        {!enabled ? (
          <p className="empty">{t('activity.signIn')}</p>
        ) : tab === 'orders' ? (
          orders.isPending ? (
            <Loading />
          ) : (
            <>
              <ErrorNote error={orders.error} />
              <OpenOrders orders={openHere} />
            </>
          )
        ) : fills.isPending ? (
          <Loading />
        ) : (
          <>
            <ErrorNote error={fills.error} />
            <Fills fills={fillsHere} />
          </>
        )}
      </div>
    </div>
  );
}

function OpenOrders({ orders }: { orders: OpenOrder[] }) {
  const { t } = useI18n();
  if (orders.length === 0) return <p className="empty">{t('activity.noOrders')}</p>;
  return (
    <table className="data-table" data-testid="open-orders">
      <caption className="sr-only">{t('activity.ordersCaption')}</caption>
      <thead>
        <tr>
          <th scope="col" className="hide-sm">
            {t('activity.placed')}
          </th>
          <th scope="col" className="hide-sm">
            {t('activity.interval')}
          </th>
          <th scope="col">{t('activity.side')}</th>
          <th scope="col" className="num">
            {t('trade.price')}
          </th>
          <th scope="col" className="num">
            {t('activity.remaining')}
          </th>
          <th scope="col" className="num hide-sm">
            {t('activity.filled')}
          </th>
          <th scope="col" className="hide-sm">
            {t('activity.type')}
          </th>
          <ActionsHeader />
        </tr>
      </thead>
      <tbody>
        {orders.map((o) => (
          <OrderRow key={o.id} order={o} />
        ))}
      </tbody>
    </table>
  );
}

function OrderRow({ order }: { order: OpenOrder }) {
  const { t, f, errorText } = useI18n();
  const qc = useQueryClient();
  const [editing, setEditing] = useState(false);
  const [priceText, setPriceText] = useState('');
  const [qtyText, setQtyText] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const done = () => {
    void qc.invalidateQueries({ queryKey: keys.openOrders });
    void qc.invalidateQueries({ queryKey: keys.balances });
  };
  const cancel = useMutation({
    mutationFn: () => trpc.orders.cancel.mutate({ orderId: order.id }),
    onSuccess: () => {
      toast(t('activity.cancelled', { id: order.id }));
      done();
    },
    onError: (e) => toast(errorText(e), 'error'),
  });
  const amend = useMutation({
    mutationFn: (change: { priceTicks?: number; quantityWh?: number }) =>
      trpc.orders.amend.mutate({ orderId: order.id, ...change }),
    onSuccess: () => {
      setEditing(false);
      toast(t('activity.amended', { id: order.id }));
      done();
    },
    onError: (e) => setProblem(errorText(e)),
  });

  const startEdit = () => {
    setPriceText(toInputText(order.priceTicks, PRICE_SCALE, 2));
    setQtyText(toInputText(order.remainingWh, ENERGY_SCALE, 1));
    setProblem(null);
    setEditing(true);
  };
  const save = (e: FormEvent) => {
    e.preventDefault();
    const priceTicks = parseScaledInt(priceText, PRICE_SCALE);
    const quantityWh = parseScaledInt(qtyText, ENERGY_SCALE);
    if (priceTicks === null || quantityWh === null || quantityWh <= 0) {
      setProblem(t('activity.amendInvalid'));
      return;
    }
    const change = {
      ...(priceTicks !== order.priceTicks ? { priceTicks } : {}),
      ...(quantityWh !== order.remainingWh ? { quantityWh } : {}),
    };
    if (Object.keys(change).length === 0) {
      setEditing(false);
      return;
    }
    amend.mutate(change);
  };
  const label = `${t(order.side === 'buy' ? 'side.buy' : 'side.sell')} ${f.energy(order.remainingWh)} @ ${f.priceUnit(order.priceTicks)}`;

  return (
    <>
      <tr data-testid="open-order" data-order-id={order.id}>
        <td className="muted hide-sm">{f.time(order.createdAt)}</td>
        <td className="hide-sm">
          <span className="nowrap">{f.interval(order.intervalStart.getTime())}</span>{' '}
          <span className="muted small" translate="no">
            {order.zone}
          </span>
        </td>
        <td>
          <SideLabel side={order.side} />
        </td>
        <td className="num">{f.price(order.priceTicks)}</td>
        <td className="num">{f.kwh(order.remainingWh)}</td>
        <td className="num hide-sm">{f.kwh(order.filledWh)}</td>
        <td className="hide-sm muted">
          <span translate="no">{order.tif}</span>
          {order.postOnly ? ` · ${t('ticket.postOnly')}` : ''}
        </td>
        <td className="row-actions">
          <button
            type="button"
            className="btn btn-ghost btn-xs"
            onClick={() => (editing ? setEditing(false) : startEdit())}
            aria-expanded={editing}
            aria-label={t('activity.amendLabel', { order: label })}
            data-testid="amend"
          >
            {t('activity.amend')}
          </button>
          <button
            type="button"
            className="btn btn-ghost btn-xs btn-danger-text"
            onClick={() => cancel.mutate()}
            disabled={cancel.isPending}
            aria-label={t('activity.cancelLabel', { order: label })}
            data-testid="cancel"
          >
            {t('activity.cancel')}
          </button>
        </td>
      </tr>
      {editing ? (
        <tr className="amend-row">
          <td colSpan={8}>
            <form className="amend-form" onSubmit={save}>
              <label className="field field-inline">
                <span>{t('ticket.limitPrice')}</span>
                <input
                  inputMode="decimal"
                  value={priceText}
                  onChange={(e) => setPriceText(e.target.value)}
                  autoFocus
                  data-testid="amend-price"
                />
              </label>
              <label className="field field-inline">
                <span>{t('activity.remaining')} (kWh)</span>
                <input
                  inputMode="decimal"
                  value={qtyText}
                  onChange={(e) => setQtyText(e.target.value)}
                  data-testid="amend-qty"
                />
              </label>
              <button type="submit" className="btn btn-primary btn-sm" disabled={amend.isPending}>
                {t('activity.save')}
              </button>
              <button
                type="button"
                className="btn btn-ghost btn-sm"
                onClick={() => setEditing(false)}
              >
                {t('common.close')}
              </button>
              <p className="muted small amend-hint">{t('activity.amendHint')}</p>
              {problem ? (
                <p className="note note-error small" role="alert">
                  {problem}
                </p>
              ) : null}
            </form>
          </td>
        </tr>
      ) : null}
    </>
  );
}

function Fills({ fills }: { fills: Fill[] }) {
  const { t, f } = useI18n();
  if (fills.length === 0) return <p className="empty">{t('activity.noFills')}</p>;
  return (
    <table className="data-table" data-testid="fills">
      <caption className="sr-only">{t('activity.fillsCaption')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('trade.time')}</th>
          <th scope="col" className="hide-sm">
            {t('activity.interval')}
          </th>
          <th scope="col">{t('activity.side')}</th>
          <th scope="col" className="num">
            {t('trade.price')}
          </th>
          <th scope="col" className="num">
            kWh
          </th>
          <th scope="col" className="num hide-sm">
            {t('activity.fee')}
          </th>
          <th scope="col">{t('activity.settlement')}</th>
        </tr>
      </thead>
      <tbody>
        {fills.map((x) => (
          <tr key={x.id} data-testid="fill-row">
            <td className="muted">{f.time(x.time)}</td>
            <td className="hide-sm">
              <span className="nowrap">{f.interval(x.intervalStart.getTime())}</span>{' '}
              <span className="muted small" translate="no">
                {x.zone}
                {x.counterZone !== x.zone ? ` ← ${x.counterZone}` : ''}
              </span>
            </td>
            <td>
              <SideLabel side={x.side} />
              {x.market === 'DAY_AHEAD' ? (
                <span className="pill pill-muted small">{t('activity.dayAhead')}</span>
              ) : null}
            </td>
            <td className="num">{f.price(x.priceTicks)}</td>
            <td className="num">{f.kwh(x.quantityWh)}</td>
            <td className="num hide-sm">{f.thb(x.feeSatang)}</td>
            <td>
              <SettlementStatus status={x.settlementStatus} txHash={x.chainTxHash} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function SettlementStatus({ status, txHash }: { status: string; txHash: string | null }) {
  const { t } = useI18n();
  const known = ['PENDING', 'SUBMITTED', 'FINAL', 'FAILED'] as const;
  const label = (known as readonly string[]).includes(status)
    ? t(`settlement.${status as (typeof known)[number]}`)
    : status;
  const tone = status === 'FINAL' ? 'pill-ok' : status === 'FAILED' ? 'pill-bad' : 'pill-warn';
  return (
    <span className="settlement">
      <span className={`pill ${tone}`}>{label}</span>
      {txHash ? (
        <Link href={`/explorer/tx/${txHash}`} className="tx-link" aria-label={t('wallet.txLink')}>
          <Hash value={txHash} length={6} />
        </Link>
      ) : null}
    </span>
  );
}
