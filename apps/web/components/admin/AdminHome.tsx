'use client';
// The admin desk's front page: one card per section the reader's role may use.
import Link from 'next/link';
import { useI18n } from '../../lib/i18n';
import { useMe } from '../../lib/queries';
import { PageHeader, RequireRole } from '../ui';
import { sectionsFor } from './AdminNav';

export function AdminHome() {
  const { t } = useI18n();
  const { me } = useMe();
  return (
    <div className="page">
      <PageHeader title={t('admin.title')} subtitle={t('admin.subtitle')} />
      <RequireRole roles={['ADMIN', 'AUTHORITY']}>
        <ul className="admin-cards">
          {sectionsFor(me).map((s) => (
            <li key={s.href}>
              <Link href={s.href} className="admin-card">
                <strong>{t(s.label)}</strong>
                <span className="muted small">{t(s.help)}</span>
              </Link>
            </li>
          ))}
        </ul>
      </RequireRole>
    </div>
  );
}
