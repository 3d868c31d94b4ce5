'use client';
// One transaction: kind, signer, body, the block that includes it, and its Merkle inclusion
// proof, checked in this browser against that block's header (itself checked against the
// commit certificate) whenever the engine supplies the transaction's canonical bytes.
import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { keys } from '../../lib/api';
import { useI18n } from '../../lib/i18n';
import { trpc } from '../../lib/trpc';
import { checkBlock, checkTx, headerOf } from '../../lib/verify';
import { ErrorNote, Hash, Loading, PageHeader, Panel } from '../ui';

export function TxView({ hash }: { hash: string }) {
  const { t, f } = useI18n();
  const tx = useQuery({
    queryKey: keys.chainTx(hash),
    queryFn: () => trpc.chain.tx.query({ hash }),
  });
  const height = tx.data?.height;
  const block = useQuery({
    queryKey: keys.chainBlock(height ?? -1),
    queryFn: () => trpc.chain.block.query({ height: height ?? 0 }),
    enabled: height !== undefined,
  });
  const head = useQuery({ queryKey: keys.chainHead, queryFn: () => trpc.chain.head.query() });
  const validators = useQuery({
    queryKey: keys.validators,
    queryFn: () => trpc.chain.validators.query(),
  });
  const chainId = head.data?.chainId;
  const blockCheck =
    block.data && chainId && validators.data
      ? checkBlock(chainId, block.data, validators.data)
      : null;
  const header = block.data ? headerOf(block.data.header) : null;
  const proofCheck =
    tx.data && chainId && blockCheck
      ? checkTx(chainId, tx.data, blockCheck.hashOk ? header : null)
      : null;
  const d = tx.data;
  const path = d && Array.isArray(d.proof.path) ? (d.proof.path as unknown[]).map(String) : [];

  return (
    <div className="page">
      <PageHeader title={t('explorer.txTitle')}>
        <Link className="btn btn-ghost btn-sm" href="/explorer">
          {t('explorer.title')}
        </Link>
      </PageHeader>
      <ErrorNote error={tx.error} />
      {tx.isPending ? <Loading /> : null}
      {d ? (
        <>
          <div
            className={`verify-banner ${proofCheck ? (proofCheck.state === 'verified' ? 'ok' : proofCheck.state === 'failed' ? 'bad' : 'warn') : ''}`}
            data-testid="tx-verify"
            data-state={proofCheck?.state ?? 'checking'}
          >
            {!proofCheck
              ? t('explorer.verifying')
              : proofCheck.state === 'verified'
                ? `✓ ${t('explorer.proofOk', { height: f.integer(d.height) })}`
                : proofCheck.state === 'failed'
                  ? `✗ ${t(`explorer.proofBad.${proofCheck.reason}`)}`
                  : t('explorer.proofUnavailable')}
            {blockCheck ? (
              <span>
                {blockCheck.commitOk ? '✓ ' : '✗ '}
                {blockCheck.commitOk
                  ? t('explorer.commitOk', {
                      signed: blockCheck.signedPower,
                      total: blockCheck.totalPower,
                    })
                  : t('explorer.commitBad', {
                      signed: blockCheck.signedPower,
                      total: blockCheck.totalPower,
                    })}
              </span>
            ) : null}
          </div>
          <div className="two-col">
            <Panel title={t('explorer.txDetails')}>
              <dl className="kv kv-wide">
                <div>
                  <dt>{t('explorer.hash')}</dt>
                  <dd className="mono small break" translate="no">
                    {d.hash}
                  </dd>
                </div>
                <div>
                  <dt>{t('explorer.kind')}</dt>
                  <dd translate="no">{d.kind}</dd>
                </div>
                <div>
                  <dt>{t('explorer.signer')}</dt>
                  <dd>
                    <Hash value={d.signer} length={16} />
                  </dd>
                </div>
                <div>
                  <dt>{t('explorer.inBlock')}</dt>
                  <dd>
                    <Link href={`/explorer/block/${d.height}`}>#{f.integer(d.height)}</Link>{' '}
                    <span className="muted">
                      {t('explorer.position', { index: d.index + 1, count: d.txCount })}
                    </span>
                  </dd>
                </div>
              </dl>
            </Panel>
            <Panel title={t('explorer.proof')} testId="proof">
              <dl className="kv kv-wide">
                <div>
                  <dt>{t('explorer.h.txRoot')}</dt>
                  <dd>
                    <Hash value={d.txRoot} length={16} />
                  </dd>
                </div>
                <div>
                  <dt>{t('explorer.leaf')}</dt>
                  <dd>
                    {String(d.proof.leafIndex)} / {String(d.proof.treeSize)}
                  </dd>
                </div>
              </dl>
              {path.length === 0 ? (
                <p className="muted small">{t('explorer.proofSingle')}</p>
              ) : (
                <ol className="proof-path">
                  {path.map((p, i) => (
                    <li key={`${i}-${p}`}>
                      <Hash value={p} length={16} />
                    </li>
                  ))}
                </ol>
              )}
            </Panel>
          </div>
          <Panel title={t('explorer.body')}>
            <pre className="json" translate="no">
              {JSON.stringify(d.body, null, 2)}
            </pre>
          </Panel>
        </>
      ) : null}
    </div>
  );
}
