'use client';
// Certificates for the issuer and for everyone: the issuance queue (rec.requests — EGAT's
// authority account or an admin approves with rec.issue, or rejects with a required reason via
// rec.reject), with each request's backing intervals; and the public REC registry (rec.registry)
// of issued, retired and revoked certificates, filterable by status, zone and technology.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useState, type FormEvent } from 'react';
import { keys, type CertificateRequest } from '../../lib/api';
import { useI18n } from '../../lib/i18n';
import { toast } from '../../lib/toast';
import { trpc } from '../../lib/trpc';
import { useZones } from '../../lib/queries';
import { TableShell } from '../TableShell';
import { Dialog, DialogActions, Hash, PageHeader, Panel, Segmented } from '../ui';
import { CertificateStatus } from '../wallet/Certificates';
import { AdminPage } from './AdminPage';

type QueueStatus = 'REQUESTED' | 'ISSUED' | 'REJECTED' | 'FAILED';

export function RecQueueScreen() {
  const { t } = useI18n();
  return (
    <AdminPage title={t('recq.title')} subtitle={t('recq.subtitle')} roles={['ADMIN', 'AUTHORITY']}>
      <Queue />
    </AdminPage>
  );
}

function Queue() {
  const { t, f } = useI18n();
  const qc = useQueryClient();
  const [status, setStatus] = useState<QueueStatus>('REQUESTED');
  const [rejecting, setRejecting] = useState<CertificateRequest | null>(null);
  const queue = useQuery({
    queryKey: keys.recRequests(status),
    queryFn: () => trpc.rec.requests.query({ status, limit: 200 }),
    refetchInterval: 10_000,
  });
  const issue = useMutation({
    mutationFn: (id: string) => trpc.rec.issue.mutate({ certificateIds: [id] }),
    onSuccess: (_r, id) => {
      toast(t('recq.issued', { id }), 'success');
      void qc.invalidateQueries({ queryKey: ['private', 'staff', 'recRequests'] });
    },
  });
  return (
    <Panel
      title={t('recq.queue')}
      testId="rec-queue"
      actions={
        <Segmented
          label={t('recq.show')}
          value={status}
          onChange={setStatus}
          choices={(['REQUESTED', 'ISSUED', 'REJECTED', 'FAILED'] as const).map((s) => ({
            value: s,
            label: t(`certStatus.${s}`),
          }))}
        />
      }
    >
      <TableShell
        rows={queue.data ?? []}
        loading={queue.isPending}
        error={queue.error ?? issue.error}
        caption={t('recq.queue')}
        empty={t('recq.empty')}
        columns={[
          { label: t('wallet.recId') },
          { label: t('recq.owner') },
          { label: t('rec.source') },
          { label: 'MWh', className: 'num' },
          { label: t('recq.backing'), className: 'hide-sm' },
          { label: t('trade.status') },
        ]}
        actions
      >
        {(rows) =>
          rows.map((c) => (
            <tr key={c.id} data-testid="rec-request-row" data-rec={c.id}>
              <td>
                <Hash value={c.id} length={8} />
                <div className="small muted">{f.dateTime(c.createdAt)}</div>
              </td>
              <td>
                <span translate="no">{c.owner.name}</span>
                <div className="small muted" translate="no">
                  {c.owner.email}
                </div>
              </td>
              <td>
                {t(`tech.${c.technology as 'SOLAR'}`)} · <span translate="no">{c.zone}</span>
                <div className="small muted" translate="no">
                  {c.meter.label ? `${c.meter.label} · ` : ''}
                  {c.meterId} · {f.power(c.meter.capacityW)}
                </div>
              </td>
              <td className="num">{f.mwh(c.amountWh)}</td>
              <td className="hide-sm small">
                {t('recq.backingLine', {
                  n: c.backing.length,
                  from: f.dateTime(c.periodStart),
                  to: f.hm(c.periodEnd),
                })}
              </td>
              <td>
                <CertificateStatus c={c} />
                {c.rejectionReason ? <div className="small muted">{c.rejectionReason}</div> : null}
                {c.chainError ? (
                  <div className="small field-error">
                    {t('rec.chainRefused', { code: c.chainError })}
                  </div>
                ) : null}
              </td>
              <td className="nowrap">
                {c.status === 'REQUESTED' && !c.pendingAction ? (
                  <div className="row-actions">
                    <button
                      type="button"
                      className="btn btn-primary btn-xs"
                      disabled={issue.isPending}
                      onClick={() => issue.mutate(c.id)}
                      aria-label={t('recq.approveLabel', { id: c.id })}
                      data-testid="rec-approve"
                    >
                      {t('recq.approve')}
                    </button>
                    <button
                      type="button"
                      className="btn btn-danger-outline btn-xs"
                      onClick={() => setRejecting(c)}
                      aria-label={t('recq.rejectLabel', { id: c.id })}
                      data-testid="rec-reject"
                    >
                      {t('recq.reject')}
                    </button>
                  </div>
                ) : null}
              </td>
            </tr>
          ))
        }
      </TableShell>
      <RejectDialog rec={rejecting} onClose={() => setRejecting(null)} />
    </Panel>
  );
}

function RejectDialog({ rec, onClose }: { rec: CertificateRequest | null; onClose: () => void }) {
  const { t, f } = useI18n();
  const qc = useQueryClient();
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const mutation = useMutation({
    mutationFn: (id: string) =>
      trpc.rec.reject.mutate({ certificateIds: [id], reason: reason.trim() }),
    onSuccess: (_r, id) => {
      toast(t('recq.rejected', { id }), 'success');
      void qc.invalidateQueries({ queryKey: ['private', 'staff', 'recRequests'] });
      close();
    },
  });
  const close = () => {
    setReason('');
    setProblem(null);
    mutation.reset();
    onClose();
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!rec) return;
    if (reason.trim().length < 3) return setProblem(t('grid.reasonShort'));
    setProblem(null);
    mutation.mutate(rec.id);
  };
  return (
    <Dialog
      open={rec !== null}
      title={rec ? t('recq.rejectTitle', { mwh: f.mwh(rec.amountWh), owner: rec.owner.name }) : ''}
      onClose={close}
      tone="danger"
      testId="rec-reject-dialog"
    >
      {rec ? (
        <form className="dialog-form" onSubmit={submit} noValidate>
          <p>{t('recq.rejectWarning')}</p>
          <div className="field">
            <label htmlFor="reject-reason">{t('grid.reason')}</label>
            <textarea
              id="reject-reason"
              rows={3}
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              required
              aria-describedby="reject-reason-help"
              data-testid="reject-reason"
            />
            <small id="reject-reason-help" className="muted">
              {t('recq.reasonHelp')}
            </small>
          </div>
          <DialogActions
            problem={problem}
            error={mutation.error}
            pending={mutation.isPending}
            onCancel={close}
            danger
            testId="reject-confirm"
          >
            {t('recq.reject')}
          </DialogActions>
        </form>
      ) : null}
    </Dialog>
  );
}

type RegistryStatus = 'ALL' | 'ISSUED' | 'RETIRED' | 'REVOKED';
const TECHS = ['SOLAR', 'WIND', 'HYDRO', 'BIOMASS'] as const;

export function RegistryScreen() {
  const { t, f, locale } = useI18n();
  const zones = useZones();
  const [status, setStatus] = useState<RegistryStatus>('ALL');
  const [zone, setZone] = useState('');
  const [tech, setTech] = useState('');
  const filter = `${status}|${zone}|${tech}`;
  const registry = useQuery({
    queryKey: keys.recRegistry(filter),
    queryFn: () =>
      trpc.rec.registry.query({
        limit: 200,
        ...(status === 'ALL' ? {} : { status }),
        ...(zone ? { zone } : {}),
        ...(tech ? { technology: tech as (typeof TECHS)[number] } : {}),
      }),
    refetchInterval: 30_000,
  });
  const rows = registry.data ?? [];
  const total = rows.reduce((s, c) => s + BigInt(c.amountWh), 0n);
  return (
    <div className="page page-wide">
      <PageHeader title={t('registry.title')} subtitle={t('registry.subtitle')} />
      <Panel
        title={t('registry.list')}
        testId="rec-registry"
        actions={<span className="muted small">{t('registry.total', { mwh: f.mwh(total) })}</span>}
      >
        <div className="row-gap">
          <Segmented
            label={t('trade.status')}
            value={status}
            onChange={setStatus}
            choices={(['ALL', 'ISSUED', 'RETIRED', 'REVOKED'] as const).map((s) => ({
              value: s,
              label: s === 'ALL' ? t('registry.all') : t(`certStatus.${s}`),
            }))}
          />
          <div className="field field-inline">
            <label htmlFor="registry-zone">{t('trade.zone')}</label>
            <select id="registry-zone" value={zone} onChange={(e) => setZone(e.target.value)}>
              <option value="">{t('registry.all')}</option>
              {(zones.data?.zones ?? []).map((z) => (
                <option key={z.code} value={z.code}>
                  {z.code} · {locale === 'th' ? z.nameTh : z.nameEn}
                </option>
              ))}
            </select>
          </div>
          <div className="field field-inline">
            <label htmlFor="registry-tech">{t('wallet.technology')}</label>
            <select id="registry-tech" value={tech} onChange={(e) => setTech(e.target.value)}>
              <option value="">{t('registry.all')}</option>
              {TECHS.map((x) => (
                <option key={x} value={x}>
                  {t(`tech.${x}`)}
                </option>
              ))}
            </select>
          </div>
        </div>
        <TableShell
          rows={rows}
          loading={registry.isPending}
          error={registry.error}
          caption={t('registry.list')}
          empty={t('registry.empty')}
          columns={[
            { label: t('wallet.recId') },
            { label: t('rec.source') },
            { label: 'MWh', className: 'num' },
            { label: t('rec.period'), className: 'hide-sm' },
            { label: t('trade.status') },
            { label: t('registry.holder'), className: 'hide-sm' },
          ]}
        >
          {(rows) =>
            rows.map((c) => (
              <tr key={c.id} data-testid="registry-row" data-rec={c.id}>
                <td>
                  <Hash value={c.id} length={8} />
                  {c.chainTxHash ? (
                    <div className="small">
                      <Link href={`/explorer/tx/${c.chainTxHash}`}>
                        {c.issuedHeight !== null
                          ? t('registry.issuedAt', { height: f.integer(c.issuedHeight) })
                          : t('rec.onChain')}
                      </Link>
                    </div>
                  ) : null}
                </td>
                <td>
                  {t(`tech.${c.technology as 'SOLAR'}`)} · <span translate="no">{c.zone}</span>
                  <div className="small muted" translate="no">
                    {c.meterId}
                  </div>
                </td>
                <td className="num">{f.mwh(c.amountWh)}</td>
                <td className="hide-sm small">
                  {f.dateTime(c.periodStart)} – {f.hm(c.periodEnd)}
                </td>
                <td>
                  <CertificateStatus c={{ status: c.status, pendingAction: null }} />
                  {c.status === 'RETIRED' && c.beneficiary ? (
                    <div className="small muted">
                      {t('rec.retiredFor', {
                        beneficiary: c.beneficiary,
                        period: c.claimPeriod ?? '',
                      })}
                    </div>
                  ) : null}
                </td>
                <td className="hide-sm">
                  {c.ownerAddress ? <Hash value={c.ownerAddress} length={8} /> : '—'}
                </td>
              </tr>
            ))
          }
        </TableShell>
      </Panel>
    </div>
  );
}
