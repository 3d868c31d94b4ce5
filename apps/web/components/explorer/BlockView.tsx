'use client';
// One block: its header, its transactions, and the commit certificate — the precommit signature
// of each validator — with the block hash and the certificate checked in this browser.
import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { keys } from '../../lib/api';
import { useI18n } from '../../lib/i18n';
import { trpc } from '../../lib/trpc';
import { checkBlock } from '../../lib/verify';
import { TableShell } from '../TableShell';
import { ErrorNote, Hash, Loading, PageHeader, Panel } from '../ui';

export function BlockView({ height }: { height: number }) {
  const { t, f } = useI18n();
  const block = useQuery({
    queryKey: keys.chainBlock(height),
    queryFn: () => trpc.chain.block.query({ height }),
  });
  const head = useQuery({ queryKey: keys.chainHead, queryFn: () => trpc.chain.head.query() });
  const validators = useQuery({
    queryKey: keys.validators,
    queryFn: () => trpc.chain.validators.query(),
  });
  const b = block.data;
  const check =
    b && head.data && validators.data ? checkBlock(head.data.chainId, b, validators.data) : null;
  const names = new Map((validators.data ?? []).map((v) => [v.address, v.name]));
  const header = b?.header ?? {};
  const timeMs = typeof header.timeMs === 'number' ? header.timeMs : null;

  return (
    <div className="page">
      <PageHeader title={t('explorer.blockTitle', { height: f.integer(height) })}>
        <nav className="pager" aria-label={t('explorer.blockNav')}>
          {height > 1 ? (
            <Link className="btn btn-ghost btn-sm" href={`/explorer/block/${height - 1}`}>
              ← #{f.integer(height - 1)}
            </Link>
          ) : null}
          <Link className="btn btn-ghost btn-sm" href={`/explorer/block/${height + 1}`}>
            #{f.integer(height + 1)} →
          </Link>
          <Link className="btn btn-ghost btn-sm" href="/explorer">
            {t('explorer.title')}
          </Link>
        </nav>
      </PageHeader>
      <ErrorNote error={block.error} />
      {block.isPending ? <Loading /> : null}
      {b ? (
        <>
          <div
            className={`verify-banner ${check ? (check.hashOk && check.commitOk ? 'ok' : 'bad') : ''}`}
            data-testid="block-verify"
            data-verified={check ? String(check.hashOk && check.commitOk) : ''}
          >
            {!check ? (
              t('explorer.verifying')
            ) : (
              <>
                <span>
                  {check.hashOk ? '✓ ' : '✗ '}
                  {check.hashOk ? t('explorer.hashOk') : t('explorer.hashBad')}
                </span>
                <span>
                  {check.commitOk ? '✓ ' : '✗ '}
                  {check.commitOk
                    ? t('explorer.commitOk', { signed: check.signedPower, total: check.totalPower })
                    : t('explorer.commitBad', {
                        signed: check.signedPower,
                        total: check.totalPower,
                      })}
                </span>
              </>
            )}
          </div>
          <div className="two-col">
            <Panel title={t('explorer.header')}>
              <dl className="kv kv-wide">
                <div>
                  <dt>{t('explorer.hash')}</dt>
                  <dd className="mono small break" translate="no">
                    {b.hash}
                  </dd>
                </div>
                <div>
                  <dt>{t('trade.time')}</dt>
                  <dd>{timeMs !== null ? f.dateTime(timeMs) : '—'}</dd>
                </div>
                {(
                  [
                    'parentHash',
                    'proposer',
                    'txRoot',
                    'stateRoot',
                    'gridHash',
                    'lastCommitHash',
                  ] as const
                ).map((k) => (
                  <div key={k}>
                    <dt>{t(`explorer.h.${k}`)}</dt>
                    <dd>
                      {typeof header[k] === 'string' ? (
                        k === 'proposer' && names.has(header[k]) ? (
                          <>
                            <strong translate="no">{names.get(header[k])}</strong>{' '}
                            <Hash value={header[k]} />
                          </>
                        ) : (
                          <Hash value={header[k]} length={16} />
                        )
                      ) : (
                        '—'
                      )}
                    </dd>
                  </div>
                ))}
                <div>
                  <dt>{t('explorer.txs')}</dt>
                  <dd>{b.txs.length}</dd>
                </div>
              </dl>
            </Panel>
            <Panel title={t('explorer.commit', { round: b.commit.round })} testId="commit">
              <ul className="sig-list">
                {b.commit.signatures.map((s) => (
                  <li key={s.validator}>
                    <strong translate="no">{names.get(s.validator) ?? '—'}</strong>
                    <Hash value={s.validator} />
                    <span className="mono small muted break" translate="no">
                      {s.signature.slice(0, 32)}…
                    </span>
                  </li>
                ))}
              </ul>
            </Panel>
          </div>
          <Panel title={t('explorer.txList')} testId="block-txs">
            <TableShell
              rows={b.txs}
              caption={t('explorer.txList')}
              empty={t('explorer.noTxs')}
              columns={[
                { label: '#' },
                { label: t('explorer.kind') },
                { label: t('explorer.hash') },
                { label: t('explorer.signer'), className: 'hide-sm' },
              ]}
            >
              {(txs) =>
                txs.map((tx) => (
                  <tr key={tx.hash}>
                    <td className="muted">{tx.index}</td>
                    <td translate="no">{tx.kind}</td>
                    <td>
                      <Link href={`/explorer/tx/${tx.hash}`}>
                        <Hash value={tx.hash} />
                      </Link>
                    </td>
                    <td className="hide-sm">
                      {names.has(tx.signer) ? (
                        <span translate="no">{names.get(tx.signer)}</span>
                      ) : (
                        <Hash value={tx.signer} />
                      )}
                    </td>
                  </tr>
                ))
              }
            </TableShell>
          </Panel>
        </>
      ) : null}
    </div>
  );
}
