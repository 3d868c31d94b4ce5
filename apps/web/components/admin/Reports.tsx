'use client';
// The regulator's daily reports (ERC's authority account or an admin): the days already built
// (reports.list), any settled day on request (reports.daily — built once, the same bytes ever
// after), each file downloadable as JSON or CSV with its SHA-256 and ed25519 signature, and a
// check of both in this browser against the separately published reporting key.
import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { keys, type DailyReport } from '../../lib/api';
import { useNow } from '../../lib/clock';
import { useI18n } from '../../lib/i18n';
import { checkReportFile, type ReportCheck } from '../../lib/reportVerify';
import { addDays, deliveryDayOf } from '../../lib/time';
import { trpc } from '../../lib/trpc';
import { TableShell } from '../TableShell';
import { CopyButton, ErrorNote, Hash, Loading, Panel } from '../ui';
import { AdminPage } from './AdminPage';

export function ReportsScreen() {
  const { t } = useI18n();
  return (
    <AdminPage
      title={t('reports.title')}
      subtitle={t('reports.subtitle')}
      roles={['ADMIN', 'AUTHORITY']}
    >
      <Reports />
    </AdminPage>
  );
}

function Reports() {
  const { t, f } = useI18n();
  const now = useNow();
  const yesterday = now > 0 ? addDays(deliveryDayOf(now), -1) : '';
  const [input, setInput] = useState('');
  const [day, setDay] = useState<string | null>(null);
  const list = useQuery({ queryKey: keys.reports, queryFn: () => trpc.reports.list.query({}) });
  const report = useQuery({
    queryKey: keys.report(day ?? ''),
    queryFn: () => trpc.reports.daily.query({ day: day ?? '' }),
    enabled: day !== null,
    retry: false,
    staleTime: Infinity,
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const chosen = input || yesterday;
    if (/^\d{4}-\d{2}-\d{2}$/.test(chosen)) setDay(chosen);
  };
  return (
    <>
      <Panel title={t('reports.open')} testId="report-open">
        <form className="row-gap" onSubmit={submit}>
          <div className="field field-inline">
            <label htmlFor="report-day">{t('reports.day')}</label>
            <input
              id="report-day"
              type="date"
              value={input || yesterday}
              max={yesterday || undefined}
              onChange={(e) => setInput(e.target.value)}
              data-testid="report-day"
            />
          </div>
          <button type="submit" className="btn btn-primary" data-testid="report-fetch">
            {t('reports.fetch')}
          </button>
        </form>
        <p className="muted small">{t('reports.openHelp')}</p>
        <ErrorNote error={report.error} testId="report-error" />
        {day !== null && report.isFetching ? <Loading /> : null}
        {report.data ? <ReportView report={report.data} /> : null}
      </Panel>
      <Panel title={t('reports.stored')} testId="report-list">
        <TableShell
          rows={list.data ?? []}
          loading={list.isPending}
          error={list.error}
          caption={t('reports.stored')}
          empty={t('reports.none')}
          columns={[
            { label: t('reports.day') },
            { label: t('reports.generated'), className: 'hide-sm' },
            { label: 'SHA-256 (JSON)' },
          ]}
          actions
        >
          {(rows) =>
            rows.map((r) => (
              <tr key={r.day}>
                <th scope="row">{f.day(r.day)}</th>
                <td className="hide-sm small muted">{f.dateTime(r.generatedAt)}</td>
                <td>
                  <Hash value={r.jsonSha256} length={8} />
                </td>
                <td>
                  <button
                    type="button"
                    className="btn btn-ghost btn-xs"
                    onClick={() => {
                      setInput(r.day);
                      setDay(r.day);
                    }}
                  >
                    {t('reports.show')}
                  </button>
                </td>
              </tr>
            ))
          }
        </TableShell>
      </Panel>
    </>
  );
}

function download(name: string, content: string, type: string) {
  const url = URL.createObjectURL(new Blob([content], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1_000);
}

function ReportView({ report }: { report: DailyReport }) {
  const { t, f } = useI18n();
  return (
    <div className="stack" data-testid="report">
      <p>{t('reports.header', { day: f.day(report.day), when: f.dateTime(report.generatedAt) })}</p>
      <p className="small">
        {t('reports.key')} <Hash value={report.publicKey} length={12} />{' '}
        <CopyButton text={report.publicKey} label={t('reports.copyKey')} />
      </p>
      <div className="two-col">
        <ReportFile report={report} format="json" />
        <ReportFile report={report} format="csv" />
      </div>
    </div>
  );
}

function ReportFile({ report, format }: { report: DailyReport; format: 'json' | 'csv' }) {
  const { t } = useI18n();
  const file = report[format];
  const [check, setCheck] = useState<ReportCheck | 'checking' | null>(null);
  const verify = async () => {
    setCheck('checking');
    try {
      const published = await trpc.reports.publicKey.query();
      setCheck(
        await checkReportFile({
          day: report.day,
          format,
          content: file.content,
          sha256: file.sha256,
          signature: file.signature,
          publicKey: report.publicKey,
          publishedKey: published.publicKey,
        }),
      );
    } catch {
      setCheck({ state: 'unavailable' });
    }
  };
  const name = `gridtokenx-report-${report.day}.${format}`;
  return (
    <div className="report-file" data-testid={`report-${format}`}>
      <strong>{format.toUpperCase()}</strong>
      <div className="small">
        SHA-256: <span className="mono">{file.sha256}</span>
      </div>
      <div className="small">
        {t('reports.signature')}: <span className="mono">{file.signature}</span>
      </div>
      <div className="row-gap">
        <button
          type="button"
          className="btn btn-primary btn-sm"
          onClick={() =>
            download(
              name,
              file.content,
              format === 'json' ? 'application/json' : 'text/csv;charset=utf-8',
            )
          }
          data-testid={`download-${format}`}
        >
          {t('reports.download', { name })}
        </button>
        <button
          type="button"
          className="btn btn-ghost btn-sm"
          onClick={() => download(`${name}.sig`, `${file.signature}\n`, 'text/plain;charset=utf-8')}
        >
          {t('reports.downloadSig')}
        </button>
        <button
          type="button"
          className="btn btn-ghost btn-sm"
          onClick={() => void verify()}
          disabled={check === 'checking'}
          data-testid={`verify-${format}`}
        >
          {t('reports.verify')}
        </button>
      </div>
      {check && check !== 'checking' ? (
        <p
          className={`note ${check.state === 'verified' ? 'note-ok' : check.state === 'failed' ? 'note-error' : 'note-warn'}`}
          role="status"
          data-testid={`verified-${format}`}
          data-state={check.state}
        >
          {check.state === 'verified'
            ? `✓ ${t('reports.verified')}`
            : check.state === 'failed'
              ? `✗ ${t(`reports.failed.${check.reason}`)}`
              : t('reports.unavailable')}
        </p>
      ) : null}
    </div>
  );
}
