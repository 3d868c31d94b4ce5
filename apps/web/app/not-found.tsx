'use client';
// The page for addresses that lead nowhere.
import Link from 'next/link';
import { useI18n } from '../lib/i18n';

export default function NotFound() {
  const { t } = useI18n();
  return (
    <div className="page page-narrow">
      <h1>{t('notFound.title')}</h1>
      <p className="muted">{t('notFound.body')}</p>
      <Link href="/" className="btn btn-primary">
        {t('nav.markets')}
      </Link>
    </div>
  );
}
