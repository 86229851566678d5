'use client';
// The one place the shop meets clicktrail: the tracker, page views, the cart store, sign-in.
import { createTracker, httpSink, type Tracker } from 'clicktrail';
import { PageViews } from 'clicktrail/next';
import { ClicktrailProvider, useIdentify } from 'clicktrail/react';
import { trackCart } from 'clicktrail/zustand';
import { useEffect, useState, type ReactNode } from 'react';
import { useAuth } from '@/lib/auth';
import useStore from '@/lib/store';

// NEXT_PUBLIC_ values are inlined by `next build`. A `?collector=` on any page overrides the
// collector for the rest of the tab's session (tests and demos run their collector on a random
// port), loopback addresses only, so a link cannot send a shopper's events elsewhere.
const BUILT_IN = process.env.NEXT_PUBLIC_COLLECTOR_URL || 'http://127.0.0.1:8787/v1/events';
const KEY = 'shopcart-collector';

function collectorUrl(): string {
  try {
    const asked = new URLSearchParams(location.search).get('collector');
    if (asked && /^(127\.0\.0\.1|localhost|\[::1\])$/.test(new URL(asked).hostname)) sessionStorage.setItem(KEY, asked);
    return sessionStorage.getItem(KEY) || BUILT_IN;
  } catch {
    return BUILT_IN;
  }
}

// One tracker per page load, created in the browser only (never during server rendering), and
// one trackCart subscription on the store for it, whatever StrictMode or remounts do.
let tracker: Tracker | null = null;

function browserTracker(): Tracker {
  if (!tracker) {
    tracker = createTracker({
      appId: 'shopcart',
      sink: httpSink({ url: collectorUrl() }),
      batch: { flushIntervalMs: 1000 },
      debug: process.env.NODE_ENV !== 'production',
    });
    trackCart(useStore, { tracker, currency: 'USD' });
  }
  return tracker;
}

// The Cognito recipe: useAuth().userId is the Cognito `sub`; undefined while loading.
function IdentifyUser() {
  const { isLoaded, isSignedIn, userId } = useAuth();
  useIdentify(!isLoaded ? undefined : isSignedIn ? userId : null);
  return null;
}

export function Analytics({ children }: { children: ReactNode }) {
  const [t, setT] = useState<Tracker | null>(null);
  useEffect(() => setT(browserTracker()), []);
  return (
    <ClicktrailProvider tracker={t}>
      <PageViews />
      <IdentifyUser />
      {children}
    </ClicktrailProvider>
  );
}
