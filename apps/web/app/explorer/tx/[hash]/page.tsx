'use client';
// One chain transaction, by hash, with its Merkle proof.
import { useParams } from 'next/navigation';
import { TxView } from '../../../../components/explorer/TxView';
import { useI18n } from '../../../../lib/i18n';

export default function TxPage() {
  const { t } = useI18n();
  const { hash } = useParams<{ hash: string }>();
  const h = hash.toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(h)) {
    return (
      <div className="page">
        <p className="note note-error" role="alert">
          {t('explorer.badAddress')}
        </p>
      </div>
    );
  }
  return <TxView key={h} hash={h} />;
}
