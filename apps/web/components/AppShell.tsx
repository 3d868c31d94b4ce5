'use client';
// The frame around every page: brand, navigation for the reader's role, the live-link indicator,
// the language switch and the account menu; on a phone the navigation folds behind a button.
import Link from 'next/link';
import { usePathname, useRouter } from 'next/navigation';
import { useEffect, useState, type ReactNode } from 'react';
import type { Role } from '../lib/api';
import { useI18n, type MessageKey } from '../lib/i18n';
import { useLinkState } from '../lib/live/hooks';
import { useMe } from '../lib/queries';
import { useSignOut } from '../lib/session';
import { Toaster } from './Toaster';

interface NavItem {
  href: string;
  label: MessageKey;
  /** Roles that see the item; `anon` = signed out. Omitted: everyone. */
  for?: (Role | 'anon')[];
}

const NAV: NavItem[] = [
  { href: '/', label: 'nav.markets' },
  { href: '/trade', label: 'nav.trade', for: ['anon', 'TRADER'] },
  { href: '/day-ahead', label: 'nav.dayAhead', for: ['anon', 'TRADER'] },
  { href: '/wallet', label: 'nav.wallet', for: ['TRADER'] },
  { href: '/grid', label: 'nav.grid', for: ['OPERATOR', 'AUTHORITY', 'ADMIN'] },
  { href: '/admin', label: 'nav.admin', for: ['ADMIN', 'AUTHORITY'] },
  { href: '/governance', label: 'nav.governance', for: ['OPERATOR', 'AUTHORITY', 'ADMIN'] },
  { href: '/recs', label: 'nav.registry' },
  { href: '/explorer', label: 'nav.explorer' },
];

function isActive(pathname: string, href: string): boolean {
  return href === '/' ? pathname === '/' : pathname === href || pathname.startsWith(`${href}/`);
}

export function AppShell({
  children,
  signedInHint,
}: {
  children: ReactNode;
  signedInHint: boolean;
}) {
  const { t } = useI18n();
  const pathname = usePathname();
  const { me, loading } = useMe();
  const [menuOpen, setMenuOpen] = useState(false);
  useEffect(() => setMenuOpen(false), [pathname]);
  const who: Role | 'anon' = me ? me.role : 'anon';
  const items = NAV.filter((item) => !item.for || item.for.includes(who));

  return (
    <>
      <a className="skip-link" href="#main">
        {t('shell.skip')}
      </a>
      <header className="shell-header">
        <div className="shell-bar">
          <Link href="/" className="brand" aria-label={t('shell.home')}>
            <BrandMark />
            <span className="brand-name" translate="no">
              Grid<span className="accent">TokenX</span>
            </span>
          </Link>
          <button
            type="button"
            className="menu-toggle"
            aria-expanded={menuOpen}
            aria-controls="main-nav"
            onClick={() => setMenuOpen((o) => !o)}
          >
            <span aria-hidden="true">{menuOpen ? '✕' : '☰'}</span>
            <span className="sr-only">{t('shell.menu')}</span>
          </button>
          <nav
            id="main-nav"
            className={`main-nav${menuOpen ? ' open' : ''}`}
            aria-label={t('shell.nav')}
          >
            <ul>
              {items.map((item) => (
                <li key={item.href}>
                  <Link
                    href={item.href}
                    aria-current={isActive(pathname, item.href) ? 'page' : undefined}
                  >
                    {t(item.label)}
                  </Link>
                </li>
              ))}
            </ul>
            <div className="shell-tools">
              <LiveIndicator />
              <LanguageSwitch />
              <Account loading={loading && signedInHint} />
            </div>
          </nav>
        </div>
      </header>
      <main id="main" className="shell-main" tabIndex={-1}>
        {children}
      </main>
      <footer className="shell-footer">
        <span>{t('shell.footer')}</span>
        <Link href="/status">{t('nav.status')}</Link>
      </footer>
      <Toaster />
    </>
  );
}

function BrandMark() {
  return (
    <svg className="brand-mark" viewBox="0 0 24 24" width="26" height="26" aria-hidden="true">
      <rect x="1" y="1" width="22" height="22" rx="6" fill="var(--accent)" />
      <path d="M13.5 3.5 6.5 13.2h4.6l-1.2 7.3 7.1-9.9h-4.7z" fill="#10151f" />
    </svg>
  );
}

export function LiveIndicator() {
  const { t } = useI18n();
  const state = useLinkState();
  const label =
    state === 'live' ? t('live.live') : state === 'down' ? t('live.down') : t('live.connecting');
  return (
    <Link
      href="/status"
      className={`live-indicator live-${state}`}
      data-testid="live-indicator"
      data-state={state}
      title={t('live.title')}
    >
      <span className="dot" aria-hidden="true" />
      <span>{label}</span>
    </Link>
  );
}

function LanguageSwitch() {
  const { t, locale, setLocale } = useI18n();
  return (
    <div className="lang-switch" role="group" aria-label={t('shell.language')}>
      <button
        type="button"
        lang="en"
        aria-pressed={locale === 'en'}
        onClick={() => setLocale('en')}
        data-testid="lang-en"
      >
        EN
      </button>
      <button
        type="button"
        lang="th"
        aria-pressed={locale === 'th'}
        onClick={() => setLocale('th')}
        data-testid="lang-th"
      >
        ไทย
      </button>
    </div>
  );
}

function Account({ loading }: { loading: boolean }) {
  const { t } = useI18n();
  const { me } = useMe();
  const signOut = useSignOut();
  const router = useRouter();
  if (!me) {
    if (loading) return <span className="account-placeholder" aria-hidden="true" />;
    return (
      <div className="account">
        <Link href="/signin" className="btn btn-ghost btn-sm">
          {t('auth.signIn')}
        </Link>
        <Link href="/signup" className="btn btn-primary btn-sm">
          {t('auth.signUp')}
        </Link>
      </div>
    );
  }
  return (
    <div className="account" data-testid="account">
      <span className="account-name">
        <span className="account-user" translate="no">
          {me.name}
        </span>
        <span className={`role-badge role-${me.role.toLowerCase()}`}>{t(`role.${me.role}`)}</span>
      </span>
      <button
        type="button"
        className="btn btn-ghost btn-sm"
        disabled={signOut.isPending}
        onClick={() =>
          signOut.mutate(undefined, {
            onSettled: () => router.push('/'),
          })
        }
      >
        {t('auth.signOut')}
      </button>
    </div>
  );
}
