'use client';
// The wallet: balances as the chain holds them (GT energy tokens, THB, RECs) with what the
// exchange has reserved for open orders or escrowed for delivery (bought and sold), the account's
// identifiers, renewable energy certificates (hold, transfer, retire, request) with the carbon
// they avoided, and the settlement history with links to each chain transaction. Live from the
// user stream.
import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useState } from 'react';
import { keys, type HistoryRow } from '../lib/api';
import { useI18n } from '../lib/i18n';
import { useBalances, useMe } from '../lib/queries';
import { trpc } from '../lib/trpc';
import { SettlementStatus } from './trade/MyActivity';
import { CarbonPanel, RecHoldings, RequestRec } from './wallet/Certificates';
import { TableShell } from './TableShell';
import {
  CopyButton,
  ErrorNote,
  Hash,
  Loading,
  PageHeader,
  Panel,
  RequireRole,
  SideLabel,
} from './ui';

export function WalletScreen() {
  const { t } = useI18n();
  return (
    <div className="page">
      <PageHeader title={t('wallet.title')} subtitle={t('wallet.subtitle')} />
      <RequireRole roles={['TRADER']}>
        <Wallet />
      </RequireRole>
    </div>
  );
}

function Wallet() {
  const { t, f } = useI18n();
  const { me } = useMe();
  const balances = useBalances(true);
  const history = useQuery({
    queryKey: keys.history,
    queryFn: () => trpc.wallet.history.query({ limit: 200 }),
  });
  const b = balances.data;
  const [rows, setRows] = useState(25);
  const historyRows = history.data ?? [];

  return (
    <>
      <ErrorNote error={balances.error} />
      {!b && !balances.error ? <Loading /> : null}
      {b ? (
        <div className="balance-grid" data-testid="balances">
          <div className="balance-card balance-main">
            <span className="balance-label">{t('wallet.available')}</span>
            <span className="balance-value" data-testid="wallet-available">
              {f.money(b.availableSatang)}
            </span>
            <span className="muted small">{t('wallet.availableHelp')}</span>
          </div>
          <div className="balance-card">
            <span className="balance-label">{t('wallet.thb')}</span>
            <span className="balance-value" data-testid="wallet-thb">
              {f.money(b.thbSatang)}
            </span>
            <span className="muted small">{t('wallet.thbHelp')}</span>
          </div>
          <div className="balance-card">
            <span className="balance-label">{t('wallet.reserved')}</span>
            <span className="balance-value">{f.money(b.reservedSatang)}</span>
            <span className="muted small">{t('wallet.reservedHelp')}</span>
          </div>
          <div className="balance-card">
            <span className="balance-label">{t('wallet.escrowed')}</span>
            <span className="balance-value">{f.money(b.escrowedSatang)}</span>
            <span className="muted small">{t('wallet.escrowedHelp')}</span>
          </div>
          <div className="balance-card" data-testid="wallet-selling">
            <span className="balance-label">{t('wallet.selling')}</span>
            <span className="balance-value">{f.money(b.sellingEscrowSatang)}</span>
            <span className="muted small">
              {t('wallet.sellingHelp', { energy: f.energy(b.sellingEscrowWh) })}
            </span>
          </div>
          <div className="balance-card">
            <span className="balance-label">{t('wallet.unsettled')}</span>
            <span className="balance-value">{f.money(b.unsettledSatang)}</span>
            <span className="muted small">{t('wallet.unsettledHelp')}</span>
          </div>
          <div className="balance-card">
            <span className="balance-label">{t('wallet.energy')}</span>
            <span className="balance-value">{f.energy(b.gtWh)}</span>
            <span className="muted small">{t('wallet.energyHelp')}</span>
          </div>
          <div className="balance-card">
            <span className="balance-label">{t('wallet.recs')}</span>
            <span className="balance-value">
              {b.recs.filter((r) => r.status === 'ACTIVE').length}
            </span>
            <span className="muted small">{t('wallet.recsHelp')}</span>
          </div>
          {b.bondedSatang > 0n ? (
            <div className="balance-card">
              <span className="balance-label">{t('wallet.bonded')}</span>
              <span className="balance-value">{f.money(b.bondedSatang)}</span>
            </div>
          ) : null}
        </div>
      ) : null}

      <div className="two-col">
        <Panel title={t('wallet.identity')}>
          <dl className="kv kv-wide">
            <div>
              <dt>{t('wallet.accountId')}</dt>
              <dd>
                <span className="mono" translate="no" data-testid="account-id">
                  {me?.id}
                </span>{' '}
                {me ? <CopyButton text={me.id} label={t('wallet.copyAccountId')} /> : null}
              </dd>
            </div>
            <div>
              <dt>{t('wallet.address')}</dt>
              <dd>
                {b ? (
                  <>
                    <Hash value={b.address} length={12} />{' '}
                    <CopyButton text={b.address} label={t('wallet.copyAddress')} />
                  </>
                ) : (
                  '—'
                )}
              </dd>
            </div>
            <div>
              <dt>{t('wallet.height')}</dt>
              <dd>
                {b ? <Link href={`/explorer/block/${b.height}`}>#{f.integer(b.height)}</Link> : '—'}
              </dd>
            </div>
          </dl>
          <p className="muted small">{t('wallet.depositHelp')}</p>
        </Panel>
        <CarbonPanel />
      </div>

      <RecHoldings />
      <RequestRec />

      <Panel title={t('wallet.history')} testId="history">
        <TableShell
          rows={historyRows}
          loading={history.isPending}
          error={history.error}
          caption={t('wallet.history')}
          empty={t('wallet.noHistory')}
          columns={[
            { label: t('trade.time') },
            { label: t('wallet.what') },
            { label: t('wallet.amount'), className: 'num' },
            { label: t('activity.settlement') },
            { label: t('wallet.block'), className: 'num hide-sm' },
          ]}
        >
          {(lines) => lines.slice(0, rows).map((row) => <HistoryLine key={row.key} row={row} />)}
        </TableShell>
        {historyRows.length > rows ? (
          <button
            type="button"
            className="btn btn-ghost btn-sm"
            onClick={() => setRows((n) => n + 50)}
          >
            {t('wallet.more', { n: historyRows.length - rows })}
          </button>
        ) : null}
        <p className="muted small">{t('wallet.deliveryNote')}</p>
      </Panel>
    </>
  );
}

function HistoryLine({ row }: { row: HistoryRow }) {
  const { t, f } = useI18n();
  const kind = row.kind;
  return (
    <tr data-testid="history-row">
      <td className="muted nowrap">{f.dateTime(row.time)}</td>
      <td>
        {kind === 'trade' && row.side ? (
          <>
            <SideLabel side={row.side} />{' '}
            {row.quantityWh !== null && row.priceTicks !== null
              ? `${f.energy(row.quantityWh)} @ ${f.priceUnit(row.priceTicks)}`
              : ''}
          </>
        ) : kind === 'delivery' && row.side ? (
          <>
            {t(row.side === 'buy' ? 'wallet.kindDeliveryIn' : 'wallet.kindDeliveryOut', {
              interval: row.intervalStart ? f.intervalWithDate(row.intervalStart.getTime()) : '',
            })}
            {row.delivery ? (
              <span className="muted small">
                {' · '}
                {t('wallet.delivered', { energy: f.energy(Number(row.delivery.deliveredWh)) })}
                {row.delivery.shortfallWh > 0n
                  ? ` · ${t('wallet.shortfall', {
                      energy: f.energy(Number(row.delivery.shortfallWh)),
                      price: f.priceUnit(row.delivery.imbalancePriceTicks),
                    })}`
                  : ''}
                {row.delivery.imbalanceChargeSatang > 0n
                  ? ` · ${t('wallet.imbalanceCharge', {
                      amount: f.money(row.delivery.imbalanceChargeSatang),
                    })}`
                  : ''}
              </span>
            ) : null}
          </>
        ) : kind === 'delivery.charges' ? (
          t('wallet.kindCharges', {
            interval: row.intervalStart ? f.intervalWithDate(row.intervalStart.getTime()) : '',
          })
        ) : kind === 'meter.mint' || kind === 'meter.burn' ? (
          t(kind === 'meter.mint' ? 'wallet.kindMint' : 'wallet.kindBurn', {
            energy: f.energy(Math.abs(Number(row.energyWh ?? 0n))),
            interval: row.intervalStart ? f.intervalWithDate(row.intervalStart.getTime()) : '',
          })
        ) : kind === 'reserve.payment' ? (
          t('wallet.kindReserve', {
            interval: row.intervalStart ? f.intervalWithDate(row.intervalStart.getTime()) : '',
          })
        ) : kind === 'deposit' ? (
          t('wallet.kindDeposit')
        ) : kind === 'mandate' ? (
          t('wallet.kindMandate')
        ) : (
          <span translate="no">{kind}</span>
        )}
        {row.error ? <span className="field-error small"> · {row.error}</span> : null}
      </td>
      <td className={`num ${row.amountSatang > 0n ? 'up' : row.amountSatang < 0n ? 'down' : ''}`}>
        {row.amountSatang === 0n ? '—' : f.moneySigned(row.amountSatang)}
      </td>
      <td>
        <SettlementStatus status={row.status} txHash={row.txHash} />
      </td>
      <td className="num hide-sm">
        {row.height !== null ? (
          <Link href={`/explorer/block/${row.height}`}>#{f.integer(row.height)}</Link>
        ) : (
          '—'
        )}
      </td>
    </tr>
  );
}
