// The same job for each SDK: set up, post to the local collector (window.BENCH_URL), and expose
// `window.bench.track(key)` (a `product_viewed` event whose properties carry `key`) and
// `window.bench.flush()`. Autocapture, remote config and session replay are off; batching,
// persistence and transports are each SDK's defaults. Bundled by esbuild (minified) per SDK.
export interface Sdk {
  name: string;
  /** The package and version under test (read from its package.json). */
  pkg: string;
  /** Entry source, resolved from test/bench/. */
  entry: string;
}

const PROPS = `{ sku: 'SKU-1', price: 12.5, qty: 2, list: 'home' }`;

export const SDKS: Sdk[] = [
  {
    name: 'clicktrail',
    pkg: '../../package.json',
    entry: `import { createTracker, httpSink } from '../../dist/index.js';
const t = createTracker({ appId: 'bench', sink: httpSink({ url: window.BENCH_URL + '/e' }) });
window.bench = { track: (k) => t.track('product_viewed', Object.assign({ k }, ${PROPS})), flush: () => t.flush() };`,
  },
  {
    name: 'snowplow',
    pkg: '@snowplow/browser-tracker/package.json',
    entry: `import { newTracker, trackStructEvent, flushBuffer } from '@snowplow/browser-tracker';
newTracker('sp', window.BENCH_URL, { appId: 'bench', credentials: 'omit', plugins: [] });
window.bench = {
  track: (k) => trackStructEvent({ category: 'shop', action: 'product_viewed', label: k, property: 'SKU-1', value: 12.5 }),
  flush: () => flushBuffer(),
};`,
  },
  {
    name: 'posthog',
    pkg: 'posthog-js/package.json',
    entry: `import posthog from 'posthog-js';
posthog.init('phc_bench', { api_host: window.BENCH_URL, autocapture: false, capture_pageview: false, capture_pageleave: false,
  disable_session_recording: true, advanced_disable_flags: true, advanced_disable_decide: true, disable_surveys: true,
  capture_performance: false, capture_exceptions: false, rageclick: false, persistence: 'localStorage',
  // Headless Chromium's user agent counts as a bot, whose events PostHog drops by default.
  opt_out_useragent_filter: true });
window.bench = { track: (k) => posthog.capture('product_viewed', Object.assign({ k }, ${PROPS})), flush: () => undefined };`,
  },
  {
    name: 'segment',
    pkg: '@segment/analytics-next/package.json',
    entry: `import { AnalyticsBrowser } from '@segment/analytics-next';
const host = window.BENCH_URL.replace(/^https?:\\/\\//, '');
const analytics = AnalyticsBrowser.load({ writeKey: 'bench', cdnSettings: { integrations: { 'Segment.io': { apiKey: 'bench', apiHost: host + '/v1', protocol: 'http' } } } }, { initialPageview: false });
window.bench = { track: (k) => void analytics.track('product_viewed', Object.assign({ k }, ${PROPS})), flush: () => undefined };`,
  },
];
