'use client';
// Engine status page: is the engine up, its database reachable, its schema current, and is the
// live stream flowing — what support asks first when something looks wrong.
import { EngineStatus } from '../../components/EngineStatus';
import { PageHeader } from '../../components/ui';
import { useI18n } from '../../lib/i18n';

export default function StatusPage() {
  const { t } = useI18n();
  return (
    <div className="page page-narrow">
      <PageHeader title={t('status.title')} subtitle={t('status.subtitle')} />
      <EngineStatus />
    </div>
  );
}
