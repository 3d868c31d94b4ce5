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
  /** Authority accounts see the section only when acting for one of these (unset: any). */
  authorities?: Authority[];
}

type Authority = 'EGAT' | 'MEA' | 'PEA' | 'ERC';

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
    authorities: ['MEA', 'PEA'],
  },
  { href: '/admin/deposits', label: 'nav.deposits', help: 'admin.depositsHelp', for: ['ADMIN'] },
  {
    href: '/admin/recs',
    label: 'admin.recs',
    help: 'admin.recsHelp',
    for: ['ADMIN', 'AUTHORITY'],
    authorities: ['EGAT'],
  },
  {
    href: '/admin/reports',
    label: 'admin.reports',
    help: 'admin.reportsHelp',
    for: ['ADMIN', 'AUTHORITY'],
    authorities: ['ERC'],
  },
];

/** The sections an account may act in: an authority account only its own authority's. */
export function sectionsFor(
  me: { role: Role; authority?: Authority | null } | null | undefined,
): AdminSection[] {
  if (!me) return [];
  return ADMIN_SECTIONS.filter(
    (s) =>
      s.for.includes(me.role) &&
      (me.role !== 'AUTHORITY' ||
        !s.authorities ||
        (me.authority != null && s.authorities.includes(me.authority))),
  );
}

export function AdminNav() {
  const { t } = useI18n();
  const { me } = useMe();
  const pathname = usePathname();
  const sections = sectionsFor(me);
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
