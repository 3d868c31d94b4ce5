'use client';
// A trader's renewable energy certificates (1 REC = 1 MWh): every certificate in every state
// (rec.mine) with transfer and retire for the active ones, the request form for owners of
// renewable meters (whole MWh of minted generation in an ended period), and the emissions the
// trader's renewable energy avoided (rec.carbon) with the emission factor's source named.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useState, type FormEvent } from 'react';
import { keys, type MyCertificate } from '../../lib/api';
import { useNow } from '../../lib/clock';
import { useI18n } from '../../lib/i18n';
import { toast } from '../../lib/toast';
import { trpc } from '../../lib/trpc';
import { TableShell } from '../TableShell';
import { Dialog, DialogActions, ErrorNote, Hash, Loading, Panel } from '../ui';

const RENEWABLE = new Set(['SOLAR', 'WIND', 'HYDRO', 'BIOMASS']);
const ICT_OFFSET_MS = 7 * 3_600_000;

/** `datetime-local` text read as Bangkok time → epoch ms (null when incomplete). */
export function ictInputToMs(text: string): number | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(text)) return null;
  const ms = Date.parse(`${text}:00+07:00`);
  return Number.isNaN(ms) ? null : ms;
}

/** Epoch ms → `datetime-local` text in Bangkok time. */
export function msToIctInput(ms: number): string {
  return new Date(ms + ICT_OFFSET_MS).toISOString().slice(0, 16);
}

export function CertificateStatus({ c }: { c: Pick<MyCertificate, 'status' | 'pendingAction'> }) {
  const { t } = useI18n();
  const tone =
    c.status === 'ISSUED'
      ? 'pill-ok'
      : c.status === 'REJECTED' || c.status === 'FAILED' || c.status === 'REVOKED'
        ? 'pill-bad'
        : c.status === 'RETIRED'
          ? 'pill-muted'
          : 'pill-warn';
  return (
    <span className={`pill ${tone}`} data-testid="rec-status" data-status={c.status}>
      {t(`certStatus.${c.status}`)}
      {c.pendingAction ? ` · ${t(`certPending.${c.pendingAction as 'ISSUE'}`)}` : ''}
    </span>
  );
}

type Action = { kind: 'transfer' | 'retire'; rec: MyCertificate } | null;

export function RecHoldings() {
  const { t, f } = useI18n();
  const recs = useQuery({
    queryKey: keys.myRecs,
    queryFn: () => trpc.rec.mine.query({ limit: 200 }),
  });
  const [action, setAction] = useState<Action>(null);
  const rows = recs.data ?? [];
  const activeMwh = rows
    .filter((c) => c.status === 'ISSUED')
    .reduce((s, c) => s + BigInt(c.amountWh), 0n);
  return (
    <Panel
      title={t('wallet.recList')}
      testId="my-recs"
      actions={
        <span className="muted small">{t('rec.activeTotal', { mwh: f.mwh(activeMwh) })}</span>
      }
    >
      <TableShell
        rows={rows}
        loading={recs.isPending}
        error={recs.error}
        caption={t('wallet.recList')}
        empty={t('wallet.noRecs')}
        columns={[
          { label: t('wallet.recId') },
          { label: 'MWh', className: 'num' },
          { label: t('rec.source') },
          { label: t('rec.period'), className: 'hide-sm' },
          { label: t('trade.status') },
        ]}
        actions
      >
        {(rows) =>
          rows.map((c) => (
            <tr key={c.id} data-testid="rec-row" data-rec={c.id}>
              <td>
                <Hash value={c.id} length={8} />
                {c.chainTxHash ? (
                  <>
                    {' '}
                    <Link href={`/explorer/tx/${c.chainTxHash}`} className="small">
                      {t('rec.onChain')}
                    </Link>
                  </>
                ) : null}
              </td>
              <td className="num">{f.mwh(c.amountWh)}</td>
              <td>
                {t(`tech.${c.technology as 'SOLAR'}`)} · <span translate="no">{c.zone}</span>
              </td>
              <td className="hide-sm small">
                {f.dateTime(c.periodStart)} – {f.hm(c.periodEnd)}
              </td>
              <td>
                <CertificateStatus c={c} />
                {c.status === 'REJECTED' && c.rejectionReason ? (
                  <div className="small muted">{c.rejectionReason}</div>
                ) : null}
                {c.status === 'RETIRED' && c.beneficiary ? (
                  <div className="small muted" data-testid="rec-beneficiary">
                    {t('rec.retiredFor', {
                      beneficiary: c.beneficiary,
                      period: c.claimPeriod ?? '',
                    })}
                  </div>
                ) : null}
                {c.chainError ? (
                  <div className="small field-error">
                    {t('rec.chainRefused', { code: c.chainError })}
                  </div>
                ) : null}
              </td>
              <td className="nowrap">
                {c.status === 'ISSUED' && !c.pendingAction ? (
                  <div className="row-actions">
                    <button
                      type="button"
                      className="btn btn-ghost btn-xs"
                      onClick={() => setAction({ kind: 'transfer', rec: c })}
                      aria-label={t('rec.transferLabel', { id: c.id })}
                      data-testid="rec-transfer"
                    >
                      {t('rec.transfer')}
                    </button>
                    <button
                      type="button"
                      className="btn btn-primary btn-xs"
                      onClick={() => setAction({ kind: 'retire', rec: c })}
                      aria-label={t('rec.retireLabel', { id: c.id })}
                      data-testid="rec-retire"
                    >
                      {t('rec.retire')}
                    </button>
                  </div>
                ) : null}
              </td>
            </tr>
          ))
        }
      </TableShell>
      <RecActionDialog action={action} onClose={() => setAction(null)} />
    </Panel>
  );
}

function RecActionDialog({ action, onClose }: { action: Action; onClose: () => void }) {
  const { t, f } = useI18n();
  const qc = useQueryClient();
  const [email, setEmail] = useState('');
  const [beneficiary, setBeneficiary] = useState('');
  const [period, setPeriod] = useState(() => String(new Date().getFullYear()));
  const [problem, setProblem] = useState<string | null>(null);
  const mutation = useMutation({
    mutationFn: async (a: NonNullable<Action>) => {
      if (a.kind === 'transfer') {
        await trpc.rec.transfer.mutate({ certificateId: a.rec.id, toEmail: email.trim() });
      } else {
        await trpc.rec.retire.mutate({
          certificateId: a.rec.id,
          beneficiary: beneficiary.trim(),
          claimPeriod: period.trim(),
        });
      }
    },
    onSuccess: (_r, a) => {
      toast(
        t(a.kind === 'transfer' ? 'rec.transferSent' : 'rec.retireSent', { id: a.rec.id }),
        'success',
      );
      void qc.invalidateQueries({ queryKey: keys.myRecs });
      void qc.invalidateQueries({ queryKey: keys.balances });
      void qc.invalidateQueries({ queryKey: keys.carbon });
      close();
    },
  });
  const close = () => {
    setEmail('');
    setBeneficiary('');
    setProblem(null);
    mutation.reset();
    onClose();
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!action) return;
    if (action.kind === 'transfer' && !/^\S+@\S+\.\S+$/.test(email.trim())) {
      return setProblem(t('rec.emailInvalid'));
    }
    if (action.kind === 'retire' && (!beneficiary.trim() || !period.trim())) {
      return setProblem(t('rec.retireMissing'));
    }
    setProblem(null);
    mutation.mutate(action);
  };
  return (
    <Dialog
      open={action !== null}
      title={
        action
          ? t(action.kind === 'transfer' ? 'rec.transferTitle' : 'rec.retireTitle', {
              mwh: f.mwh(action.rec.amountWh),
            })
          : ''
      }
      onClose={close}
      testId="rec-dialog"
    >
      {action ? (
        <form className="dialog-form" onSubmit={submit} noValidate>
          <p className="muted">
            {t('rec.certificateLine', {
              id: action.rec.id,
              tech: t(`tech.${action.rec.technology as 'SOLAR'}`),
              zone: action.rec.zone,
            })}
          </p>
          {action.kind === 'transfer' ? (
            <div className="field">
              <label htmlFor="rec-to">{t('rec.toEmail')}</label>
              <input
                id="rec-to"
                type="email"
                value={email}
                onChange={(e) => setEmail(e.target.value)}
                autoComplete="off"
                required
                data-testid="rec-to"
              />
            </div>
          ) : (
            <>
              <p>{t('rec.retireWarning')}</p>
              <div className="field">
                <label htmlFor="rec-beneficiary">{t('rec.beneficiary')}</label>
                <input
                  id="rec-beneficiary"
                  value={beneficiary}
                  onChange={(e) => setBeneficiary(e.target.value)}
                  maxLength={160}
                  required
                  aria-describedby="rec-beneficiary-help"
                  data-testid="rec-beneficiary-input"
                />
                <small id="rec-beneficiary-help" className="muted">
                  {t('rec.beneficiaryHelp')}
                </small>
              </div>
              <div className="field">
                <label htmlFor="rec-period">{t('rec.claimPeriod')}</label>
                <input
                  id="rec-period"
                  value={period}
                  onChange={(e) => setPeriod(e.target.value)}
                  maxLength={64}
                  required
                  aria-describedby="rec-period-help"
                  data-testid="rec-period-input"
                />
                <small id="rec-period-help" className="muted">
                  {t('rec.claimPeriodHelp')}
                </small>
              </div>
            </>
          )}
          <DialogActions
            problem={problem}
            error={mutation.error}
            pending={mutation.isPending}
            onCancel={close}
            testId="rec-confirm"
          >
            {t(action.kind === 'transfer' ? 'rec.transfer' : 'rec.retireConfirm')}
          </DialogActions>
        </form>
      ) : null}
    </Dialog>
  );
}

/** Owners of renewable meters request whole MWh of certificates for an ended period. */
export function RequestRec() {
  const { t } = useI18n();
  const qc = useQueryClient();
  const now = useNow();
  const meters = useQuery({ queryKey: keys.myMeters, queryFn: () => trpc.meter.mine.query() });
  const renewable = (meters.data ?? []).filter((m) => RENEWABLE.has(m.kind) && !m.retiredAt);
  const [meterId, setMeterId] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [mwh, setMwh] = useState('1');
  const [problem, setProblem] = useState<string | null>(null);
  const chosen = meterId || renewable[0]?.id || '';
  const mutation = useMutation({
    mutationFn: (input: { meterId: string; start: number; end: number; mwh: number }) =>
      trpc.rec.request.mutate({
        meterId: input.meterId,
        periodStart: new Date(input.start).toISOString(),
        periodEnd: new Date(input.end).toISOString(),
        mwh: input.mwh,
      }),
    onSuccess: (r) => {
      toast(t('rec.requested', { n: r.certificates.length }), 'success');
      void qc.invalidateQueries({ queryKey: keys.myRecs });
    },
  });
  if (meters.isPending) return null;
  if (renewable.length === 0) return null;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const start = ictInputToMs(from);
    const end = ictInputToMs(to);
    const n = Number(mwh);
    if (start === null || end === null || end <= start) return setProblem(t('rec.periodInvalid'));
    if (!Number.isInteger(n) || n < 1) return setProblem(t('rec.mwhInvalid'));
    setProblem(null);
    mutation.mutate({ meterId: chosen, start, end, mwh: n });
  };
  const dayAgo = now > 0 ? msToIctInput(Math.floor((now - 86_400_000) / 900_000) * 900_000) : '';
  const lastEnded = now > 0 ? msToIctInput(Math.floor(now / 900_000) * 900_000) : '';
  return (
    <Panel title={t('rec.requestTitle')} testId="rec-request">
      <form className="stack" onSubmit={submit} noValidate>
        <p className="muted small">{t('rec.requestHelp')}</p>
        <div className="field">
          <label htmlFor="rec-meter">{t('rec.meter')}</label>
          <select
            id="rec-meter"
            value={chosen}
            onChange={(e) => setMeterId(e.target.value)}
            data-testid="rec-meter"
          >
            {renewable.map((m) => (
              <option key={m.id} value={m.id}>
                {m.label ? `${m.label} · ` : ''}
                {m.id} · {t(`tech.${m.kind as 'SOLAR'}`)} · {m.zone}
              </option>
            ))}
          </select>
        </div>
        <div className="row-gap">
          <div className="field">
            <label htmlFor="rec-from">{t('rec.from')}</label>
            <input
              id="rec-from"
              type="datetime-local"
              step={900}
              value={from}
              placeholder={dayAgo}
              onChange={(e) => setFrom(e.target.value)}
              data-testid="rec-from"
            />
          </div>
          <div className="field">
            <label htmlFor="rec-until">{t('rec.until')}</label>
            <input
              id="rec-until"
              type="datetime-local"
              step={900}
              value={to}
              placeholder={lastEnded}
              onChange={(e) => setTo(e.target.value)}
              data-testid="rec-until"
            />
          </div>
          <div className="field field-compact">
            <label htmlFor="rec-mwh">{t('rec.mwh')}</label>
            <input
              id="rec-mwh"
              inputMode="numeric"
              value={mwh}
              onChange={(e) => setMwh(e.target.value)}
              data-testid="rec-mwh"
            />
          </div>
        </div>
        {problem ? (
          <p className="note note-error" role="alert">
            {problem}
          </p>
        ) : (
          <ErrorNote error={mutation.error} />
        )}
        <div>
          <button
            type="submit"
            className="btn btn-primary"
            disabled={mutation.isPending}
            data-testid="rec-request-submit"
          >
            {t('rec.requestSubmit')}
          </button>
        </div>
      </form>
    </Panel>
  );
}

export function CarbonPanel() {
  const { t, f } = useI18n();
  const carbon = useQuery({ queryKey: keys.carbon, queryFn: () => trpc.rec.carbon.query() });
  const c = carbon.data;
  return (
    <Panel title={t('carbon.title')} testId="carbon">
      <ErrorNote error={carbon.error} />
      {!c ? (
        carbon.error ? null : (
          <Loading />
        )
      ) : (
        <>
          <p className="big-num" data-testid="carbon-total">
            {f.co2(c.totalAvoidedGrams)}
          </p>
          <dl className="kv">
            <div>
              <dt>{t('carbon.purchases')}</dt>
              <dd>
                {f.energy(c.purchases.renewableWh)} → {f.co2(c.purchases.avoidedGrams)}
              </dd>
            </div>
            <div>
              <dt>{t('carbon.retired', { n: c.retired.certificates })}</dt>
              <dd>
                {f.mwh(c.retired.wh)} → {f.co2(c.retired.avoidedGrams)}
              </dd>
            </div>
          </dl>
          <p className="muted small">
            {t('carbon.factor', { factor: (Number(c.factor.mgPerKwh) / 1_000_000).toFixed(4) })}{' '}
            {/* The source is the publisher's own title (or the proposal that set it). */}
            <cite translate="no" lang="en">
              {c.factor.source}
            </cite>
          </p>
        </>
      )}
    </Panel>
  );
}
