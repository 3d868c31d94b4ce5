'use client';
// The chain explorer's front page: the head of the chain, the latest blocks (live from the
// `blocks` room, with older pages on request), the validator set and its state, and a search
// box for a height or a block / transaction hash.
import { useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { keys, type ChainBlockRow } from '../../lib/api';
import { useI18n } from '../../lib/i18n';
import { useRoom } from '../../lib/live/hooks';
import { trpc } from '../../lib/trpc';
import { TableShell } from '../TableShell';
import { ErrorNote, Hash, PageHeader, Panel } from '../ui';
import { Validators } from './Validators';

export function Explorer() {
  const { t, f } = useI18n();
  const qc = useQueryClient();
  const router = useRouter();
  const [pages, setPages] = useState<ChainBlockRow[][]>([]);
  const [search, setSearch] = useState('');
  const [searchProblem, setSearchProblem] = useState<string | null>(null);
  const head = useQuery({
    queryKey: keys.chainHead,
    queryFn: () => trpc.chain.head.query(),
    refetchInterval: 10_000,
  });
  const latest = useQuery({
    queryKey: keys.chainBlocks(null),
    queryFn: () => trpc.chain.blocks.query({ limit: 20 }),
  });
  const refresh = () => {
    void qc.invalidateQueries({ queryKey: keys.chainBlocks(null) });
    void qc.invalidateQueries({ queryKey: keys.chainHead });
  };
  useRoom('blocks', { onMessage: refresh, onResync: refresh });

  const blocks = [...(latest.data ?? []), ...pages.flat()];
  const oldest = blocks[blocks.length - 1]?.height;
  const loadOlder = async () => {
    if (!oldest || oldest <= 1) return;
    const more = await trpc.chain.blocks.query({ before: oldest, limit: 20 });
    setPages((p) => [...p, more]);
  };

  const go = async (e: FormEvent) => {
    e.preventDefault();
    const q = search.trim().toLowerCase();
    setSearchProblem(null);
    if (/^\d+$/.test(q)) return router.push(`/explorer/block/${q}`);
    if (/^[0-9a-f]{64}$/.test(q)) {
      try {
        await trpc.chain.tx.query({ hash: q });
        return router.push(`/explorer/tx/${q}`);
      } catch {
        try {
          const b = await trpc.chain.block.query({ hash: q });
          const height = b.header.height;
          if (typeof height === 'number') return router.push(`/explorer/block/${height}`);
        } catch {
          // neither: fall through to the message
        }
      }
      setSearchProblem(t('explorer.notFound'));
      return;
    }
    setSearchProblem(t('explorer.searchHelp'));
  };

  return (
    <div className="page">
      <PageHeader title={t('explorer.title')} subtitle={t('explorer.subtitle')}>
        <form className="search" onSubmit={(e) => void go(e)} role="search">
          <label className="sr-only" htmlFor="chain-search">
            {t('explorer.search')}
          </label>
          <input
            id="chain-search"
            value={search}
            onChange={(e) => setSearch(e.target.value)}
            placeholder={t('explorer.searchPlaceholder')}
            spellCheck={false}
          />
          <button type="submit" className="btn btn-primary btn-sm">
            {t('explorer.go')}
          </button>
        </form>
      </PageHeader>
      {searchProblem ? (
        <p className="note note-warn" role="alert">
          {searchProblem}
        </p>
      ) : null}
      <ErrorNote error={head.error} />
      {head.data ? (
        <dl className="stat-row" data-testid="chain-head">
          <div>
            <dt>{t('explorer.height')}</dt>
            <dd className="big-num">#{f.integer(head.data.height)}</dd>
          </div>
          <div>
            <dt>{t('explorer.lastCommit')}</dt>
            <dd>{head.data.lastCommitAt ? f.time(head.data.lastCommitAt) : '—'}</dd>
          </div>
          <div>
            <dt>{t('explorer.mempool')}</dt>
            <dd>{f.integer(head.data.mempool)}</dd>
          </div>
          <div>
            <dt>{t('explorer.chainId')}</dt>
            <dd className="mono small" translate="no">
              {head.data.chainId}
            </dd>
          </div>
        </dl>
      ) : null}
      <div className="two-col wide-left">
        <Panel title={t('explorer.blocks')} testId="blocks">
          <TableShell
            rows={blocks}
            loading={latest.isPending}
            error={latest.error}
            caption={t('explorer.blocks')}
            columns={[
              { label: t('explorer.heightShort') },
              { label: t('trade.time') },
              { label: t('explorer.txs'), className: 'num' },
              { label: t('explorer.hash'), className: 'hide-sm' },
              { label: t('explorer.round'), className: 'hide-sm' },
            ]}
          >
            {(rows) =>
              rows.map((b) => (
                <tr key={b.height} data-testid="block-row">
                  <td>
                    <Link href={`/explorer/block/${b.height}`}>#{f.integer(b.height)}</Link>
                  </td>
                  <td className="muted nowrap">{f.time(b.time)}</td>
                  <td className="num">{b.txCount}</td>
                  <td className="hide-sm">
                    <Hash value={b.hash} />
                  </td>
                  <td className="hide-sm muted">{b.round}</td>
                </tr>
              ))
            }
          </TableShell>
          {oldest && oldest > 1 ? (
            <button type="button" className="btn btn-ghost btn-sm" onClick={() => void loadOlder()}>
              {t('explorer.older')}
            </button>
          ) : null}
        </Panel>
        <Validators />
      </div>
    </div>
  );
}
