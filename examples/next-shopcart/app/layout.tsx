import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { Analytics } from '@/components/analytics';
import { Header } from '@/components/header';
import './globals.css';

export const metadata: Metadata = { title: 'Shopcart (clicktrail example)' };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <Analytics>
          <Header />
          <main>{children}</main>
        </Analytics>
      </body>
    </html>
  );
}
