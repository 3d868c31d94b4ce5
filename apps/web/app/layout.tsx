// Root layout: one document shell for every page of the exchange.
import type { Metadata, Viewport } from 'next';
import type { ReactNode } from 'react';
import './globals.css';

export const metadata: Metadata = {
  title: 'GridTokenX — peer-to-peer energy exchange',
  description: "Trade electricity for 15-minute delivery intervals on Thailand's grid.",
};

export const viewport: Viewport = { width: 'device-width', initialScale: 1 };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
