// The same job for each SDK: set up, post to the local collector (window.BENCH_URL), and expose
// `window.bench.track(key)` (a `product_viewed` event whose properties carry `key`) and
// `window.bench.flush()`. Autocapture, remote config and session replay are off; batching,
// persistence and transports are each SDK's defaults. Bundled by esbuild (minified) per SDK.
export interface Sdk {
  name: string;
  /** The package and version under test (read from its package.json). */
  pkg?: string;
  /** The label in place of a version, for an entry without a package. */
  version?: string;
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
    // No SDK: the floor for the same job (issue 11 measures clicktrail's CPU and track() against
    // it). track() builds the envelope clicktrail builds (an id, a timestamp, the page and
    // context), stringifies it and pushes it; the sending is deferred as clicktrail's is: full
    // batches of 50 go out in the next task, one fetch each, the rest within 1 s or on flush().
    // No storage, no retries, no compression: only what any delivery needs.
    name: 'bare',
    version: '(no SDK)',
    entry: `const page = { url: location.href, path: location.pathname, title: document.title, referrer: document.referrer };
const screen = { width: window.screen.width, height: window.screen.height, density: devicePixelRatio };
const context = { locale: navigator.language, timezone: Intl.DateTimeFormat().resolvedOptions().timeZone, screen, userAgent: navigator.userAgent, library: { name: 'bare', version: '0' } };
const anonymousId = crypto.randomUUID();
const sessionId = crypto.randomUUID();
let seq = 0;
let buf = [];
let soon = 0;
let later = 0;
const post = (events) => fetch(window.BENCH_URL + '/bare', { method: 'POST', body: '{"sentAt":"' + new Date().toISOString() + '","events":[' + events.join() + ']}', headers: { 'Content-Type': 'application/json' } }).catch(() => undefined);
const send = (all) => {
  soon = 0;
  const sent = [];
  while (buf.length >= 50 || (all && buf.length)) sent.push(post(buf.splice(0, 50)));
  if (all || !buf.length) clearTimeout(later), (later = 0);
  return Promise.all(sent);
};
const track = (name, properties) => {
  buf.push(JSON.stringify({ eventId: crypto.randomUUID(), name, type: 'track', timestamp: new Date().toISOString(), anonymousId, sessionId, seq: ++seq, page, context, properties }));
  if (buf.length >= 50 && !soon) soon = setTimeout(send, 0, false);
  if (!later) later = setTimeout(send, 1000, true);
};
window.bench = { track: (k) => track('product_viewed', Object.assign({ k }, ${PROPS})), flush: () => send(true) };`,
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
  opt_out_useragent_filter: true,
  // By default a token bucket drops captures past a burst of 100 (10 a second after): 1,900 of
  // 2,000 never leave. PostHog's docs say to raise it for legitimate bursts; the job is the same.
  rate_limiting: { events_per_second: 1e6, events_burst_limit: 1e6 } });
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
