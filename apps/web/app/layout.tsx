// Root layout: one document shell for every page. The language comes from the reader's cookie
// (or their browser's preference the first time), so the first byte is already in Thai or English.
import '@fontsource-variable/inter';
import '@fontsource-variable/noto-sans-thai';
import type { Metadata, Viewport } from 'next';
import { cookies, headers } from 'next/headers';
import type { ReactNode } from 'react';
import { AppShell } from '../components/AppShell';
import { Providers } from '../components/Providers';
import type { Locale } from '../lib/i18n/format';
import './globals.css';

export const metadata: Metadata = {
  title: 'GridTokenX',
  description: "Peer-to-peer electricity exchange for Thailand's grid.",
};

export const viewport: Viewport = {
  width: 'device-width',
  initialScale: 1,
  themeColor: '#0a0e15',
};

async function resolveLocale(): Promise<Locale> {
  const chosen = (await cookies()).get('gtx_locale')?.value;
  if (chosen === 'th' || chosen === 'en') return chosen;
  const accept = (await headers()).get('accept-language') ?? '';
  return /^\s*th\b/i.test(accept) ? 'th' : 'en';
}

export default async function RootLayout({ children }: { children: ReactNode }) {
  const locale = await resolveLocale();
  const signedInHint = (await cookies()).has('gtx_session');
  return (
    <html lang={locale}>
      <body>
        <Providers locale={locale}>
          <AppShell signedInHint={signedInHint}>{children}</AppShell>
        </Providers>
      </body>
    </html>
  );
}
