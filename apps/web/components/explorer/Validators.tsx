'use client';
// The validator set: each grid authority's weight, bonded stake, voting power and whether it is
// signing (online), jailed or inactive — refreshed with every new block.
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { keys } from '../../lib/api';
import { useI18n } from '../../lib/i18n';
import { useRoom } from '../../lib/live/hooks';
import { trpc } from '../../lib/trpc';
import { ErrorNote, Hash, Loading, Panel } from '../ui';

export function Validators() {
  const { t, f } = useI18n();
  const qc = useQueryClient();
  const validators = useQuery({
    queryKey: keys.validators,
    queryFn: () => trpc.chain.validators.query(),
  });
  useRoom('blocks', {
    onMessage: () => void qc.invalidateQueries({ queryKey: keys.validators }),
  });
  const total = (validators.data ?? []).reduce((s, v) => s + v.votingPower, 0);
  return (
    <Panel title={t('explorer.validators')} testId="validators">
      <ErrorNote error={validators.error} />
      {validators.isPending ? (
        <Loading />
      ) : (
        <ul className="validator-list">
          {(validators.data ?? []).map((v) => {
            const state = v.jailed
              ? 'jailed'
              : !v.active
                ? 'inactive'
                : v.online
                  ? 'online'
                  : 'offline';
            return (
              <li
                key={v.address}
                className={`validator validator-${state}`}
                data-testid="validator"
              >
                <div className="validator-head">
                  <strong translate="no">{v.name}</strong>
                  <span
                    className={`pill ${state === 'online' ? 'pill-ok' : state === 'offline' ? 'pill-warn' : 'pill-bad'}`}
                  >
                    {t(`validator.${state}`)}
                  </span>
                </div>
                <Hash value={v.address} length={10} />
                <dl className="kv kv-inline small">
                  <div>
                    <dt>{t('explorer.power')}</dt>
                    <dd>
                      {f.integer(v.votingPower)}
                      {total > 0 ? ` (${f.percent(v.votingPower / total)})` : ''}
                    </dd>
                  </div>
                  <div>
                    <dt>{t('explorer.weight')}</dt>
                    <dd>{f.integer(v.weight)}</dd>
                  </div>
                  <div>
                    <dt>{t('explorer.bonded')}</dt>
                    <dd>{f.money(v.bondedSatang)}</dd>
                  </div>
                  <div>
                    <dt>{t('explorer.lastSigned')}</dt>
                    <dd>#{f.integer(v.lastSignedHeight)}</dd>
                  </div>
                  {v.slashedSatang > 0n ? (
                    <div>
                      <dt>{t('explorer.slashed')}</dt>
                      <dd className="bad">{f.money(v.slashedSatang)}</dd>
                    </div>
                  ) : null}
                </dl>
              </li>
            );
          })}
        </ul>
      )}
    </Panel>
  );
}
