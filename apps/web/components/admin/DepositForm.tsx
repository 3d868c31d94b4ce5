'use client';
// Admin: credit THB to a participant against a fiat deposit. The settlement bank issues it on
// chain through the outbox; a reference can be used once, so a retried submission never credits
// twice. The participant is found by name or email; deposits made here are listed for this
// session with their chain status.
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useI18n } from '../../lib/i18n';
import { trpc } from '../../lib/trpc';
import { MONEY_SCALE, parseScaled } from '../../lib/units';
import { TableShell } from '../TableShell';
import { ErrorNote, Panel } from '../ui';
import { AdminPage } from './AdminPage';

function newReference(): string {
  const stamp = new Date().toISOString().slice(0, 10).replaceAll('-', '');
  return `DEP-${stamp}-${crypto.randomUUID().slice(0, 6).toUpperCase()}`;
}

interface Done {
  accountId: string;
  amountSatang: bigint;
  reference: string;
  status: string;
  duplicate: boolean;
}

export function DepositScreen() {
  const { t } = useI18n();
  return (
    <AdminPage title={t('deposit.title')} subtitle={t('deposit.subtitle')} roles={['ADMIN']} narrow>
      <DepositForm />
    </AdminPage>
  );
}

/** Finds traders by name or email (admin.accounts) and hands the chosen one's id back. */
export function ParticipantSearch({ onPick }: { onPick: (id: string, label: string) => void }) {
  const { t } = useI18n();
  const [search, setSearch] = useState('');
  const term = search.trim();
  const found = useQuery({
    queryKey: ['admin', 'accounts', term],
    queryFn: () => trpc.admin.accounts.query({ role: 'TRADER', search: term, limit: 6 }),
    enabled: term.length >= 2,
  });
  return (
    <div className="field">
      <label htmlFor="participant-search">{t('deposit.find')}</label>
      <input
        id="participant-search"
        type="search"
        value={search}
        onChange={(e) => setSearch(e.target.value)}
        placeholder={t('deposit.findPlaceholder')}
        autoComplete="off"
        data-testid="participant-search"
      />
      {term.length >= 2 && found.data ? (
        found.data.length === 0 ? (
          <small className="muted">{t('deposit.noMatch')}</small>
        ) : (
          <ul className="pick-list" aria-label={t('deposit.matches')}>
            {found.data.map((a) => (
              <li key={a.id}>
                <button
                  type="button"
                  className="btn btn-ghost btn-sm"
                  onClick={() => {
                    onPick(a.id, `${a.name} · ${a.email}`);
                    setSearch('');
                  }}
                  data-testid="participant-option"
                >
                  <span translate="no">{a.name}</span>
                  <span className="muted small" translate="no">
                    {a.email}
                  </span>
                </button>
              </li>
            ))}
          </ul>
        )
      ) : null}
      <ErrorNote error={found.error} />
    </div>
  );
}

function DepositForm() {
  const { t, f } = useI18n();
  const [accountId, setAccountId] = useState('');
  const [picked, setPicked] = useState<string | null>(null);
  const [amount, setAmount] = useState('');
  const [reference, setReference] = useState(newReference);
  const [problem, setProblem] = useState<string | null>(null);
  const [done, setDone] = useState<Done[]>([]);
  const deposit = useMutation({
    mutationFn: (input: { accountId: string; amountSatang: bigint; reference: string }) =>
      trpc.wallet.deposit.mutate(input),
    onSuccess: (r, input) => {
      setDone((list) => [{ ...input, status: r.status, duplicate: r.duplicate }, ...list]);
      setAmount('');
      setReference(newReference());
    },
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const id = accountId.trim().toLowerCase();
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(id)) {
      setProblem(t('deposit.badAccount'));
      return;
    }
    const satang = parseScaled(amount, MONEY_SCALE);
    if (satang === null || satang <= 0n || satang > 10n ** 12n) {
      setProblem(t('deposit.badAmount'));
      return;
    }
    if (!/^[\w.:/-]{3,64}$/.test(reference.trim())) {
      setProblem(t('deposit.badReference'));
      return;
    }
    setProblem(null);
    deposit.mutate({ accountId: id, amountSatang: satang, reference: reference.trim() });
  };

  return (
    <>
      <Panel title={t('deposit.form')}>
        <form className="stack" onSubmit={submit} noValidate data-testid="deposit-form">
          <ParticipantSearch
            onPick={(id, label) => {
              setAccountId(id);
              setPicked(label);
            }}
          />
          <div className="field">
            <label htmlFor="deposit-account">{t('deposit.accountId')}</label>
            <input
              id="deposit-account"
              value={accountId}
              onChange={(e) => {
                setAccountId(e.target.value);
                setPicked(null);
              }}
              spellCheck={false}
              autoComplete="off"
              aria-describedby="deposit-account-help"
              className="mono"
              data-testid="deposit-account"
            />
            <small id="deposit-account-help" className="muted">
              {picked ? <span translate="no">{picked}</span> : t('deposit.accountHelp')}
            </small>
          </div>
          <label className="field">
            <span>
              {t('deposit.amount')} <span className="unit">({f.currency})</span>
            </span>
            <input
              inputMode="decimal"
              value={amount}
              onChange={(e) => setAmount(e.target.value)}
              data-testid="deposit-amount"
            />
          </label>
          <div className="field">
            <label htmlFor="deposit-reference">{t('deposit.reference')}</label>
            <input
              id="deposit-reference"
              value={reference}
              onChange={(e) => setReference(e.target.value)}
              className="mono"
              aria-describedby="deposit-ref-help"
              data-testid="deposit-reference"
            />
            <small id="deposit-ref-help" className="muted">
              {t('deposit.referenceHelp')}
            </small>
          </div>
          {problem ? (
            <p className="note note-error" role="alert">
              {problem}
            </p>
          ) : (
            <ErrorNote error={deposit.error} />
          )}
          <button
            type="submit"
            className="btn btn-primary"
            disabled={deposit.isPending}
            data-testid="deposit-submit"
          >
            {deposit.isPending ? t('ticket.sending') : t('deposit.submit')}
          </button>
        </form>
      </Panel>
      <Panel title={t('deposit.recent')}>
        <TableShell
          rows={done}
          caption={t('deposit.recent')}
          empty={t('deposit.none')}
          testId="deposits-done"
          columns={[
            { label: t('deposit.reference') },
            { label: t('deposit.accountId') },
            { label: t('deposit.amount'), className: 'num' },
            { label: t('trade.status') },
          ]}
        >
          {(rows) =>
            rows.map((d) => (
              <tr key={d.reference}>
                <td className="mono" translate="no">
                  {d.reference}
                </td>
                <td className="mono small" translate="no">
                  {d.accountId.slice(0, 8)}…
                </td>
                <td className="num">{f.money(d.amountSatang)}</td>
                <td>
                  <span className="pill pill-warn">
                    {d.duplicate ? t('deposit.duplicate') : t('deposit.queued')}
                  </span>
                </td>
              </tr>
            ))
          }
        </TableShell>
        <p className="muted small">{t('deposit.queuedHelp')}</p>
      </Panel>
    </>
  );
}
