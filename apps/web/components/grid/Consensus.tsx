'use client';
// The control room's consensus panel: where each authority's validator stands in the height it
// is deciding (round and step, its lock, the voting power behind the leading block in its latest
// round, transactions waiting and signatures waiting for the store). A validator that is stopped,
// or a height spinning through rounds, is what explains settlements waiting for finality.
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { keys, type ConsensusView } from '../../lib/api';
import { useI18n } from '../../lib/i18n';
import { useRoom } from '../../lib/live/hooks';
import { trpc } from '../../lib/trpc';
import { TableShell } from '../TableShell';

type Row = ConsensusView['validators'][number];
type Tally = Row['rounds'][number]['prevotes'];

/** The block (or nil) with the most power behind it, as a share of all voting power. */
function leading(tally: Tally, total: number): { hash: string | null; share: number } | null {
  let best: Tally[number] | null = null;
  for (const entry of tally) if (best === null || entry.power > best.power) best = entry;
  return best === null || total <= 0 ? null : { hash: best.hash, share: best.power / total };
}

export function ConsensusPanel() {
  const { t, f } = useI18n();
  const qc = useQueryClient();
  const view = useQuery({
    queryKey: keys.consensus,
    queryFn: () => trpc.chain.consensus.query(),
    refetchInterval: 2_000,
  });
  useRoom('blocks', {
    onMessage: () => void qc.invalidateQueries({ queryKey: keys.consensus }),
  });
  const total = view.data?.totalPower ?? 0;
  const votes = (tally: Tally) => {
    const lead = leading(tally, total);
    if (lead === null) return t('consensus.none');
    return `${lead.hash === null ? 'nil' : lead.hash.slice(0, 8)} ${f.percent(lead.share)}`;
  };
  return (
    <section className="panel" aria-labelledby="consensus-title" data-testid="consensus">
      <header className="panel-header">
        <h2 id="consensus-title">{t('consensus.title')}</h2>
      </header>
      <div className="panel-body">
        {view.data?.mode === 'devnet' ? (
          <p className="muted small">{t('consensus.devnet')}</p>
        ) : (
          <TableShell
            rows={view.data?.validators ?? []}
            loading={view.isPending}
            error={view.error}
            caption={t('consensus.caption')}
            columns={[
              { label: t('consensus.validator') },
              { label: t('consensus.head'), className: 'num' },
              { label: t('consensus.at') },
              { label: t('consensus.lock'), className: 'hide-sm' },
              { label: t('consensus.votes'), className: 'hide-sm' },
              { label: t('consensus.mempool'), className: 'num' },
              { label: t('consensus.signing'), className: 'num hide-sm' },
            ]}
          >
            {(rows) =>
              rows.map((v) => {
                const latest = v.rounds[v.rounds.length - 1];
                const state = !v.running ? 'stopped' : v.round >= 2 ? 'rounds' : 'deciding';
                return (
                  <tr key={v.address ?? v.name} data-testid="consensus-validator">
                    <td>
                      <strong translate="no" title={v.address ?? undefined}>
                        {v.name ?? '?'}
                      </strong>
                    </td>
                    <td className="num">#{f.integer(v.headHeight)}</td>
                    <td>
                      <span
                        className={`pill ${state === 'stopped' ? 'pill-bad' : state === 'rounds' ? 'pill-warn' : 'pill-ok'}`}
                        data-testid="consensus-state"
                      >
                        {state === 'stopped'
                          ? t('consensus.stopped')
                          : state === 'rounds'
                            ? t('consensus.rounds', { round: v.round })
                            : t('consensus.deciding')}
                      </span>{' '}
                      <span className="small nowrap">
                        #{f.integer(v.height)} · {v.round} · {t(`consensus.step.${v.step}`)}
                        {v.decided ? ' ✓' : ''}
                      </span>
                    </td>
                    <td className="hide-sm small">
                      {v.lockedRound === null || v.lockedHash === null
                        ? t('consensus.none')
                        : `${v.lockedHash.slice(0, 8)} (${v.lockedRound})`}
                    </td>
                    <td className="hide-sm small">
                      {latest
                        ? `r${latest.round}: ${votes(latest.prevotes)} / ${votes(latest.precommits)}`
                        : t('consensus.none')}
                    </td>
                    <td className="num">{f.integer(v.mempoolTxs)}</td>
                    <td className="num hide-sm">{f.integer(v.signaturesPending)}</td>
                  </tr>
                );
              })
            }
          </TableShell>
        )}
      </div>
    </section>
  );
}
