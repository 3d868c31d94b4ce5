'use client';
// Governance by the grid authorities: every proposal with its votes, quorum progress, status and
// heights (gov.list, public), the governed values in force (gov.parameters), and — for an
// authority account — voting and a proposal form for market and consensus parameters. The
// engine checks bounds and heights and answers with a code the page turns into a sentence.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useState, type FormEvent } from 'react';
import { keys, type GovAction, type GovParameters, type Proposal } from '../../lib/api';
import { useI18n } from '../../lib/i18n';
import { useRoom } from '../../lib/live/hooks';
import { hasRole, useMe } from '../../lib/queries';
import { toast } from '../../lib/toast';
import { trpc } from '../../lib/trpc';
import { ErrorNote, Loading, PageHeader, Panel } from '../ui';

export function GovernanceScreen() {
  const { t } = useI18n();
  const qc = useQueryClient();
  const { me } = useMe();
  const authority = hasRole(me, 'AUTHORITY');
  const list = useQuery({
    queryKey: keys.proposals,
    queryFn: () => trpc.gov.list.query({ limit: 100 }),
    refetchInterval: 10_000,
  });
  const params = useQuery({
    queryKey: keys.govParameters,
    queryFn: () => trpc.gov.parameters.query(),
    refetchInterval: 60_000,
  });
  useRoom('grid', {
    onMessage: (m) => {
      if (m.type === 'proposal') void qc.invalidateQueries({ queryKey: keys.proposals });
    },
  });
  useRoom('market', {
    onMessage: (m) => {
      if (m.type === 'parameters') void qc.invalidateQueries({ queryKey: keys.govParameters });
    },
  });
  const head = list.data?.head ?? null;
  return (
    <div className="page page-wide">
      <PageHeader
        title={t('gov.title')}
        subtitle={t('gov.subtitle', {
          head: head === null ? '—' : `#${head}`,
          quorum:
            list.data?.quorumBps === null || list.data?.quorumBps === undefined
              ? '—'
              : `${(list.data.quorumBps / 100).toFixed(2)} %`,
        })}
      />
      {authority && params.data && head !== null ? (
        <ProposeForm params={params.data} head={head} />
      ) : null}
      <Panel title={t('gov.proposals')} testId="proposals">
        <ErrorNote error={list.error} />
        {list.isPending ? (
          <Loading />
        ) : (list.data?.proposals.length ?? 0) === 0 ? (
          <p className="empty">{t('gov.none')}</p>
        ) : (
          <ul className="activation-list">
            {list.data?.proposals.map((p) => (
              <ProposalCard key={p.id} p={p} canVote={authority} />
            ))}
          </ul>
        )}
      </Panel>
      <ParametersPanel params={params.data} error={params.error} />
    </div>
  );
}

function actionText(t: ReturnType<typeof useI18n>['t'], action: unknown): string {
  const a = action as { type?: string; name?: string; value?: unknown; address?: string };
  if (a.type === 'MARKET_PARAM_SET' || a.type === 'PARAM_SET') {
    return t('gov.setAction', { name: a.name ?? '', value: String(a.value) });
  }
  return `${a.type ?? ''} ${a.address ? a.address.slice(0, 12) + '…' : ''}`;
}

function ProposalCard({ p, canVote }: { p: Proposal; canVote: boolean }) {
  const { t, f } = useI18n();
  const qc = useQueryClient();
  const vote = useMutation({
    mutationFn: (approve: boolean) => trpc.gov.vote.mutate({ proposalId: p.id, approve }),
    onSuccess: (_r, approve) => {
      toast(t(approve ? 'gov.votedYes' : 'gov.votedNo', { title: p.title }), 'success');
      void qc.invalidateQueries({ queryKey: keys.proposals });
    },
  });
  const open = p.status === 'OPEN';
  const tone =
    p.status === 'EXECUTED' || p.status === 'PASSED'
      ? 'pill-ok'
      : p.status === 'OPEN'
        ? 'pill-warn'
        : 'pill-bad';
  const progress = p.progressBps === null ? null : p.progressBps / 10_000;
  return (
    <li className="activation" data-testid="proposal">
      <div className="row-gap">
        <strong>{p.title}</strong>
        <span className={`pill ${tone}`}>{t(`gov.status.${p.status}`)}</span>
        {p.pending ? <span className="pill pill-muted">{t('gov.settling')}</span> : null}
      </div>
      <p className="small">
        <span className="mono">{actionText(t, p.action)}</span> ·{' '}
        {t('gov.by', { authority: p.proposer.authority ?? '', when: f.dateTime(p.createdAt) })}
      </p>
      <p className="small muted">
        {t('gov.heights', {
          deadline: f.integer(p.deadlineHeight),
          effective: f.integer(p.effectiveHeight),
        })}
        {p.appliedHeight !== null
          ? ` · ${t('gov.applied', { height: f.integer(p.appliedHeight) })}`
          : ''}
      </p>
      <div className="util util-ok" aria-hidden="true">
        <span className="util-bar">
          <span style={{ width: `${Math.round((progress ?? 0) * 100)}%` }} />
        </span>
      </div>
      <p className="small">
        {t('gov.power', {
          yes: p.yesPower,
          no: p.noPower,
          required: p.requiredPower ?? '—',
          total: p.totalPower,
        })}
      </p>
      {p.votes.length > 0 ? (
        <ul className="small muted">
          {p.votes.map((v) => (
            <li key={`${v.authority}-${v.status}`}>
              {t(v.approve ? 'gov.voteYesLine' : 'gov.voteNoLine', {
                authority: v.authority,
                power: v.power ?? '—',
              })}{' '}
              {v.status !== 'COUNTED' ? `(${t(`gov.voteStatus.${v.status}`)})` : ''}
            </li>
          ))}
        </ul>
      ) : null}
      {p.chainTxHash ? (
        <Link className="small" href={`/explorer/tx/${p.chainTxHash}`}>
          {t('rec.onChain')}
        </Link>
      ) : null}
      {canVote && open && !p.pending ? (
        <div className="row-gap">
          <button
            type="button"
            className="btn btn-primary btn-sm"
            disabled={vote.isPending}
            onClick={() => vote.mutate(true)}
            aria-label={t('gov.voteYesLabel', { title: p.title })}
          >
            {t('gov.voteYes')}
          </button>
          <button
            type="button"
            className="btn btn-danger-outline btn-sm"
            disabled={vote.isPending}
            onClick={() => vote.mutate(false)}
            aria-label={t('gov.voteNoLabel', { title: p.title })}
          >
            {t('gov.voteNo')}
          </button>
        </div>
      ) : null}
      <ErrorNote error={vote.error} />
    </li>
  );
}

function ProposeForm({ params, head }: { params: GovParameters; head: number }) {
  const { t } = useI18n();
  const qc = useQueryClient();
  const marketNames = [
    ...params.market.map((m) => m.name),
    ...params.links.flatMap((l) => [l.names.wheeling, l.names.capacity]),
  ];
  const consensusNames = params.consensus
    ? Object.entries(params.consensus)
        .filter(([, v]) => typeof v === 'number' || typeof v === 'bigint')
        .map(([k]) => k)
    : [];
  const [title, setTitle] = useState('');
  const [type, setType] = useState<'MARKET_PARAM_SET' | 'PARAM_SET'>('MARKET_PARAM_SET');
  const [name, setName] = useState(marketNames[0] ?? '');
  const [value, setValue] = useState('');
  const [deadline, setDeadline] = useState(String(head + 20));
  const [effective, setEffective] = useState(String(head + 40));
  const [problem, setProblem] = useState<string | null>(null);
  const names = type === 'MARKET_PARAM_SET' ? marketNames : consensusNames;
  const mutation = useMutation({
    mutationFn: (action: GovAction) =>
      trpc.gov.propose.mutate({
        title: title.trim(),
        action,
        deadlineHeight: Number(deadline),
        effectiveHeight: Number(effective),
      }),
    onSuccess: () => {
      toast(t('gov.proposed', { title: title.trim() }), 'success');
      setTitle('');
      setValue('');
      void qc.invalidateQueries({ queryKey: keys.proposals });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const v = Number(value);
    if (title.trim().length < 3) return setProblem(t('gov.titleShort'));
    if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(v)) {
      return setProblem(t('gov.valueInvalid'));
    }
    if (!/^\d+$/.test(deadline) || !/^\d+$/.test(effective)) {
      return setProblem(t('error.GOV_BAD_HEIGHTS'));
    }
    setProblem(null);
    const chosen = names.includes(name) ? name : (names[0] ?? '');
    mutation.mutate(
      type === 'MARKET_PARAM_SET'
        ? { type, name: chosen, value: v }
        : ({ type, name: chosen, value: v } as GovAction),
    );
  };
  return (
    <Panel title={t('gov.propose')} testId="propose">
      <form className="stack" onSubmit={submit} noValidate>
        <div className="field">
          <label htmlFor="gov-title">{t('gov.proposalTitle')}</label>
          <input
            id="gov-title"
            value={title}
            maxLength={200}
            onChange={(e) => setTitle(e.target.value)}
          />
        </div>
        <div className="row-gap">
          <div className="field">
            <label htmlFor="gov-type">{t('gov.kind')}</label>
            <select
              id="gov-type"
              value={type}
              onChange={(e) => {
                const next = e.target.value as typeof type;
                setType(next);
                setName((next === 'MARKET_PARAM_SET' ? marketNames : consensusNames)[0] ?? '');
              }}
            >
              <option value="MARKET_PARAM_SET">{t('gov.kindMarket')}</option>
              <option value="PARAM_SET">{t('gov.kindConsensus')}</option>
            </select>
          </div>
          <div className="field">
            <label htmlFor="gov-name">{t('gov.parameter')}</label>
            <select id="gov-name" value={name} onChange={(e) => setName(e.target.value)}>
              {names.map((n) => (
                <option key={n} value={n}>
                  {n}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="gov-value">{t('gov.value')}</label>
            <input
              id="gov-value"
              inputMode="numeric"
              value={value}
              onChange={(e) => setValue(e.target.value)}
            />
          </div>
          <div className="field">
            <label htmlFor="gov-deadline">{t('gov.deadline')}</label>
            <input
              id="gov-deadline"
              inputMode="numeric"
              value={deadline}
              onChange={(e) => setDeadline(e.target.value)}
            />
          </div>
          <div className="field">
            <label htmlFor="gov-effective">{t('gov.effective')}</label>
            <input
              id="gov-effective"
              inputMode="numeric"
              value={effective}
              onChange={(e) => setEffective(e.target.value)}
            />
          </div>
        </div>
        <p className="muted small">{t('gov.heightsHelp', { head })}</p>
        {problem ? (
          <p className="note note-error" role="alert">
            {problem}
          </p>
        ) : (
          <ErrorNote error={mutation.error} />
        )}
        <div>
          <button type="submit" className="btn btn-primary" disabled={mutation.isPending}>
            {t('gov.submit')}
          </button>
        </div>
      </form>
    </Panel>
  );
}

function ParametersPanel({ params, error }: { params: GovParameters | undefined; error: unknown }) {
  const { t, f } = useI18n();
  return (
    <Panel title={t('gov.inForce')} testId="gov-parameters">
      <ErrorNote error={error} />
      {!params ? (
        error ? null : (
          <Loading />
        )
      ) : (
        <div className="two-col">
          <div className="table-wrap">
            <table className="data-table compact">
              <caption>{t('gov.marketParams')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('gov.parameter')}</th>
                  <th scope="col" className="num">
                    {t('gov.value')}
                  </th>
                  <th scope="col" className="num hide-sm">
                    {t('gov.bounds')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {params.market.map((m) => (
                  <tr key={m.name}>
                    <th scope="row" className="mono small">
                      {m.name}
                    </th>
                    <td className="num">{m.value === null ? '—' : String(m.value)}</td>
                    <td className="num hide-sm small muted">
                      {String(m.min)}–{String(m.max)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            <p className="muted small">
              {t('gov.emission', {
                factor: (Number(params.emissionFactor.mgPerKwh) / 1_000_000).toFixed(4),
              })}{' '}
              <cite translate="no" lang="en">
                {params.emissionFactor.source}
              </cite>
            </p>
          </div>
          <div className="table-wrap">
            <table className="data-table compact">
              <caption>{t('gov.validators')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('gov.validator')}</th>
                  <th scope="col" className="num">
                    {t('gov.votingPower')}
                  </th>
                  <th scope="col">{t('trade.status')}</th>
                </tr>
              </thead>
              <tbody>
                {params.validators.map((v) => (
                  <tr key={v.address}>
                    <th scope="row">{v.name}</th>
                    <td className="num">{f.integer(v.votingPower)}</td>
                    <td>{v.active ? t('gov.active') : t('gov.inactive')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      )}
    </Panel>
  );
}
