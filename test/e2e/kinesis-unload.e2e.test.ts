// @vitest-environment node
// The credentials of the request the Kinesis sink signs at tab close, in Chromium: kinesalite
// behind a CORS proxy, the tab closed 0.5 s after the last of 20 events with the sink's chunk
// loaded, the stream read with no later visit, then a later visit delivers what the closed tab
// could not. The same close in each engine, with and without the unload fallback:
// kinesis-engines.e2e.test.ts.
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, launch, waitFor } from '../support/browser';
import { startCollector, type Collector } from '../support/collector';
import { buildKinesisApp, CREDENTIALS, REGION, startKinesalite, startThrottlingProxy, type Kinesalite } from '../support/kinesalite';

const root = resolve(__dirname, '../..');
// How long after the close the stream is read: what is not there by then never comes (Chromium
// would have sent a keepalive request at once), and the experiment read it at 4 s.
const WINDOW_MS = 8000;

describe.runIf(browserAvailable())('kinesisSink at tab close, in Chromium', () => {
  let app: Awaited<ReturnType<typeof buildKinesisApp>>;
  let kinesalite: Kinesalite;
  let collector: Collector;
  const figures: string[] = [];

  beforeAll(async () => {
    app = await buildKinesisApp(root);
    kinesalite = await startKinesalite();
    collector = await startCollector({ static: { '/app/': app.out } });
  });
  afterAll(async () => {
    // eslint-disable-next-line no-console
    if (figures.length) console.log(`tab closed 0.5 s after the last of 20 events, read ${WINDOW_MS / 1000} s later (Chromium):\n  ${figures.join('\n  ')}`);
    await collector?.close();
    await kinesalite?.close();
    app?.remove();
  });

  function shopPage(path: string, stream: string, endpoint: string, credentials: string) {
    collector.page(
      path,
      `<!doctype html><html><head><meta charset="utf-8"><title>shop</title>
<script>window.errors=[];addEventListener('error',function(e){errors.push(String(e.message))});</script>
<script type="module">
import '/app/app.js';
window.tracker = clicktrail.createTracker({
  appId: ${JSON.stringify(stream)},
  sink: clicktrail.kinesisSink({
    streamName: ${JSON.stringify(stream)}, region: ${JSON.stringify(REGION)},
    credentials: ${credentials}, endpoint: ${JSON.stringify(endpoint)},
  }),
  onError: function (e) { window.errors.push(e.message); },
});
window.ready = true;
</script></head><body><h1>shop</h1></body></html>`,
    );
  }

  /**
   * One visit: the sink's chunk loaded by a first flush (its PutRecords warms the preflight
   * cache as far as Max-Age allows), 20 events, the tab closed 0.5 s later. Returns the eventIds
   * of the 20, what the stream holds `WINDOW_MS` after, and what the proxy saw.
   */
  async function closeTab(stream: string, o: { maxAge: number; credentials: string; what: string; n?: number; pad?: number }) {
    const n = o.n || 20;
    await kinesalite.createStream(stream, 1);
    const proxy = await startThrottlingProxy(kinesalite.url, { maxAge: o.maxAge });
    const browser = await launch();
    try {
      shopPage(`/${stream}.html`, stream, proxy.url, o.credentials);
      const page: Page = await browser.context.newPage();
      await page.goto(`${collector.url}/${stream}.html`);
      await page.waitForFunction(() => (window as any).ready === true);
      await page.evaluate(() => {
        (window as any).tracker.track('page_view', { warm: true });
        return (window as any).tracker.flush();
      });
      await page.evaluate(
        ([n, pad]) => {
          for (let i = 0; i < n; i++) (window as any).tracker.track(i == n - 1 ? 'purchase' : 'view_item', { i, pad: 'x'.repeat(pad) });
        },
        [n, o.pad || 0],
      );
      // The scenario itself (the shopper closes the tab half a second later), not a wait for a result.
      await page.waitForTimeout(500);
      const before = proxy.log.length;
      const tracked = await page.evaluate(() => (window as any).tracker.stats().tracked);
      await page.close({ runBeforeUnload: true });
      const closedAt = Date.now();
      const count = async () => (await kinesalite.readAll(stream)).filter((r) => !JSON.parse(r.data).properties.warm).length;
      // Waits for all, or for the window to pass: a bounded observation, nothing after it counts.
      await waitFor('every event or the end of the window', async () => (await count()) >= n || Date.now() - closedAt > WINDOW_MS, WINDOW_MS + 5000);
      const closed = (await kinesalite.readAll(stream)).map((r) => JSON.parse(r.data)).filter((e) => !e.properties.warm);
      const afterClose = proxy.log.slice(before);
      figures.push(
        `${o.what}: ${closed.length} of ${n} in the stream; requests to Kinesis after the close: ${afterClose.join(', ') || 'none'}`,
      );

      // A later visit in the same browser delivers what is still queued.
      const next = await browser.context.newPage();
      await next.goto(`${collector.url}/${stream}.html`);
      await next.waitForFunction(() => (window as any).ready === true);
      await next.evaluate(() => (window as any).tracker.flush());
      const all = (await kinesalite.readAll(stream)).map((r) => JSON.parse(r.data)).filter((e) => !e.properties.warm);
      const errors = await next.evaluate(() => (window as any).errors);
      await next.close();
      figures[figures.length - 1] += `; after a later visit: ${new Set(ids(all)).size} distinct, ${all.length} records`;
      expect(tracked).toBe(n + 1);
      return { closed, all, afterClose, errors, n, requests: proxy.putRecords.slice(1) };
    } finally {
      await browser.close();
      await proxy.close();
    }
  }

  const ids = (events: Array<{ eventId: string }>) => events.map((e) => e.eventId);

  /** Every event is in the stream; before the later visit, none twice. */
  function nothingLostNoDuplicate(r: Awaited<ReturnType<typeof closeTab>>) {
    expect(new Set(ids(r.closed)).size).toBe(r.closed.length);
    expect([...new Set(r.all.map((e) => e.properties.i))].sort((a, b) => a - b)).toEqual([...Array(r.n).keys()]);
    expect(r.errors).toEqual([]);
  }

  // A credential provider as Cognito's: session credentials with an expiration, asked for by the
  // drains; the page-hide request signs with what the last drain got.
  const provider = (expiresInMs: number) =>
    `async function () { return Object.assign(${JSON.stringify(CREDENTIALS)}, { sessionToken: 'token-' + Date.now(), expiration: new Date(Date.now() + ${expiresInMs}) }); }`;

  it('signs the request at tab close with the session credentials a provider gave the last flush', async () => {
    const r = await closeTab('close-provider', { maxAge: 7200, credentials: provider(3_600_000), what: 'signed, credentials from a provider (1 h left)' });
    expect(r.afterClose).toEqual(['own']);
    nothingLostNoDuplicate(r);
  }, 60_000);

  it('sends nothing signed at tab close with credentials that expire within a minute, and a later visit delivers all 20', async () => {
    const r = await closeTab('close-expiring', { maxAge: 7200, credentials: provider(30_000), what: 'signed, credentials expiring in 30 s' });
    expect(r.afterClose).toEqual([]);
    expect(r.closed).toEqual([]);
    nothingLostNoDuplicate(r);
  }, 60_000);

  it('sends at tab close the first events that fit the 64 KiB keepalive budget, in order, and the rest from the next page view', async () => {
    // 45 events of about 1.8 KB (fewer than a batch, so no drain starts): 80 KB, past what the
    // browser lets a closing page send; base64 makes each record a third larger in the body.
    const r = await closeTab('close-budget', { maxAge: 7200, credentials: JSON.stringify(CREDENTIALS), what: 'signed, 45 events of 1.8 KB', n: 45, pad: 1500 });
    expect(r.afterClose).toEqual(['own']);
    expect(r.closed.length).toBeGreaterThan(10);
    expect(r.closed.length).toBeLessThan(45);
    expect(r.closed.map((e) => e.properties.i)).toEqual([...Array(r.closed.length).keys()]);
    nothingLostNoDuplicate(r);
  }, 60_000);
});
