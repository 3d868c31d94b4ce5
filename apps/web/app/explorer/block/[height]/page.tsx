'use client';
// One block of the chain, by height.
import { useParams } from 'next/navigation';
import { BlockView } from '../../../../components/explorer/BlockView';
import { useI18n } from '../../../../lib/i18n';

export default function BlockPage() {
  const { t } = useI18n();
  const { height } = useParams<{ height: string }>();
  const h = Number(height);
  if (!/^\d+$/.test(height) || !Number.isSafeInteger(h)) {
    return (
      <div className="page">
        <p className="note note-error" role="alert">
          {t('explorer.badAddress')}
        </p>
      </div>
    );
  }
  return <BlockView key={h} height={h} />;
}
