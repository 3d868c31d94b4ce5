'use client';
// The admin desk's section tabs, filtered by role: market administrators see every section;
// authority accounts see the ones their authority may act in (the engine still checks which
// authority — EGAT issues RECs, ERC reads reports, MEA/PEA register their zones' meters).
import Link from 'next/link';
import { usePathname } from 'next/navigation';
import type { Role } from '../../lib/api';
import { useI18n, type MessageKey } from '../../lib/i18n';
import { useMe } from '../../lib/queries';

export interface AdminSection {
  href: string;
  label: MessageKey;
  help: MessageKey;
  for: Role[];
}

export const ADMIN_SECTIONS: AdminSection[] = [
  {
    href: '/admin/participants',
    label: 'admin.participants',
    help: 'admin.participantsHelp',
    for: ['ADMIN'],
  },
  {
    href: '/admin/meters',
    label: 'admin.meters',
    help: 'admin.metersHelp',
    for: ['ADMIN', 'AUTHORITY'],
  },
  { href: '/admin/deposits', label: 'nav.deposits', help: 'admin.depositsHelp', for: ['ADMIN'] },
  { href: '/admin/recs', label: 'admin.recs', help: 'admin.recsHelp', for: ['ADMIN', 'AUTHORITY'] },
  {
    href: '/admin/reports',
    label: 'admin.reports',
    help: 'admin.reportsHelp',
    for: ['ADMIN', 'AUTHORITY'],
  },
];

export function sectionsFor(role: Role | null): AdminSection[] {
  return role ? ADMIN_SECTIONS.filter((s) => s.for.includes(role)) : [];
}

export function AdminNav() {
  const { t } = useI18n();
  const { me } = useMe();
  const pathname = usePathname();
  const sections = sectionsFor(me?.role ?? null);
  if (sections.length === 0) return null;
  return (
    <nav className="admin-nav" aria-label={t('admin.sections')}>
      <ul>
        {sections.map((s) => (
          <li key={s.href}>
            <Link href={s.href} aria-current={pathname === s.href ? 'page' : undefined}>
              {t(s.label)}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
