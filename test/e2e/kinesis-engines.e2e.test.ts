// @vitest-environment node
// What reaches Kinesis when a shopper closes the tab, in each engine of the three-engines suite:
// the built Kinesis sink, kinesalite behind a CORS proxy (one per case, so each case starts with
// nothing in the preflight cache), the tab closed 0.5 s after the last of 20 events with the
// sink's chunk loaded, and the stream read with no later visit. Then a later visit in the same
// browser delivers whatever the closed tab could not. Figures are printed per engine.
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../support/browser';
import { startCollector, type Collector } from '../support/collector';
import { ENGINES, engineAvailable, openEngine, type Engine, type EnginePage } from '../support/engines';
import { buildKinesisApp, CREDENTIALS, REGION, startKinesalite, startThrottlingProxy, type Kinesalite } from '../support/kinesalite';
// The unload fallback's collector is the production ingest (examples/ingest-lambda), served as
// API Gateway would call it: it puts each event into the stream with its eventId.
// @ts-expect-error plain JavaScript module without types
import { createHandler } from '../../examples/ingest-lambda/handler.mjs';
// @ts-expect-error plain JavaScript module without types
import { serve } from '../../examples/ingest-lambda/local.mjs';

const root = resolve(__dirname, '../..');
// What is not in the stream this long after the close never comes from the closed tab.
const WINDOW_MS = 6000;
// Firefox 153 ESR sometimes drops a keepalive fetch that needs a preflight when the tab closes:
// nothing reaches the service, not even the preflight, while a beacon sent from the same
// pagehide listener arrives (4 of 12 runs of each signed case here, all or nothing). Its events
// stay queued; in Firefox the test checks that, not that they left.
const SIGNED_LEAVES_AT_CLOSE = (name: string) => name !== 'firefox';

interface Case {
  /** The stream, the app id and the page's name. */
  stream: string;
  fallback?: boolean;
  /** Access-Control-Max-Age of the proxy's preflight answers. */
  maxAge: number;
  /** Preflights answered this much later, as by a distant service. */
  delay?: number;
}

for (const name of ENGINES) {
  describe.runIf(engineAvailable(name))(`kinesisSink at tab close in ${name}`, () => {
    let app: Awaited<ReturnType<typeof buildKinesisApp>>;
    let kinesalite: Kinesalite;
    let collector: Collector;
    let engine: Engine;
    const figures: string[] = [];

    beforeAll(async () => {
      app = await buildKinesisApp(root);
      kinesalite = await startKinesalite();
      collector = await startCollector({ static: { '/app/': app.out } });
      engine = await openEngine(name);
    }, 60_000);
    afterAll(async () => {
      // eslint-disable-next-line no-console
      if (figures.length) console.log(`${name} ${engine?.version}: tab closed 0.5 s after the last of 20 events, stream read ${WINDOW_MS / 1000} s later:\n  ${figures.join('\n  ')}`);
      await engine?.close();
      await collector?.close();
      await kinesalite?.close();
      app?.remove();
    });

    function shopPage(c: Case, endpoint: string, fallback?: string) {
      collector.page(
        `/${c.stream}.html`,
        `<!doctype html><html><head><meta charset="utf-8"><title>shop</title>
<script>window.errors=[];addEventListener('error',function(e){errors.push(String(e.message))});</script>
<script type="module">
import '/app/app.js';
window.tracker = clicktrail.createTracker({
  appId: ${JSON.stringify(c.stream)},
  sink: clicktrail.kinesisSink({
    streamName: ${JSON.stringify(c.stream)}, region: ${JSON.stringify(REGION)},
    credentials: ${JSON.stringify(CREDENTIALS)}, endpoint: ${JSON.stringify(endpoint)},
    ${fallback ? `unload: clicktrail.httpSink({ url: ${JSON.stringify(fallback)} }),` : ''}
  }),
  onError: function (e) { window.errors.push(e.message); },
});
window.ready = true;
</script></head><body><h1>shop</h1></body></html>`,
      );
    }

    async function open(c: Case): Promise<EnginePage> {
      const page = await engine.newPage();
      await page.goto(`${collector.url}/${c.stream}.html`);
      await waitFor('the tracker', () => page.evaluate(() => (window as any).ready === true));
      return page;
    }

    const events = async (stream: string) =>
      (await kinesalite.readAll(stream)).map((r) => JSON.parse(r.data)).filter((e) => !e.properties.warm);

    async function closeTab(c: Case) {
      await kinesalite.createStream(c.stream, 1);
      const proxy = await startThrottlingProxy(kinesalite.url, { maxAge: c.maxAge, preflightDelayMs: c.delay });
      const ingest: { url: string; close(): Promise<void> } | undefined = c.fallback
        ? await serve(createHandler({ sink: { kind: 'kinesis', client: kinesalite.client, streamName: c.stream }, origins: ['*'], log: { warn() {}, error() {} } }))
        : undefined;
      try {
        shopPage(c, proxy.url, ingest && ingest.url + '/v1/events');
        const page = await open(c);
        // The first flush loads the sink's chunk; its PutRecords warms the preflight cache as far
        // as Max-Age allows.
        await page.evaluate(() => {
          (window as any).tracker.track('page_view', { warm: true });
          return (window as any).tracker.flush();
        });
        const warmed = proxy.log.length;
        await page.evaluate(() => {
          for (let i = 0; i < 20; i++) (window as any).tracker.track(i == 19 ? 'purchase' : 'view_item', { i });
        });
        // The scenario itself (the shopper closes the tab half a second later), not a wait for a result.
        await new Promise((r) => setTimeout(r, 500));
        const before = proxy.log.length;
        await page.close();
        const closedAt = Date.now();
        // A bounded observation: all 20, or what came within the window.
        await waitFor('20 events or the end of the window', async () => (await events(c.stream)).length >= 20 || Date.now() - closedAt > WINDOW_MS, WINDOW_MS + 5000);
        const closed = await events(c.stream);
        const afterClose = proxy.log.slice(before);
        const label = c.fallback ? 'with the unload fallback' : `signed, preflight ${c.maxAge ? 'cached' : `not cached${c.delay ? `, answered after ${c.delay} ms` : ''}`}`;

        const next = await open(c);
        await next.evaluate(() => (window as any).tracker.flush());
        const all = await events(c.stream);
        const errors = await next.evaluate(() => (window as any).errors);
        await next.close();
        figures.push(
          `${label}: ${closed.length} of 20 in the stream (${closed.filter((e) => e._ingest).length} through the fallback); ` +
            `requests to Kinesis after the close: ${afterClose.join(', ') || 'none'} (in the last 0.5 s before it: ${proxy.log.slice(warmed, before).join(', ') || 'none'}); after a later visit: ${new Set(all.map((e) => e.eventId)).size} distinct in ${all.length} records`,
        );
        return { closed, all, afterClose, errors };
      } finally {
        await proxy.close();
        await ingest?.close();
      }
    }

    /** All 20 in the stream after the later visit; before it, none twice. */
    function nothingLostNoDuplicate(r: Awaited<ReturnType<typeof closeTab>>) {
      expect(new Set(r.closed.map((e) => e.eventId)).size).toBe(r.closed.length);
      expect([...new Set(r.all.map((e) => e.properties.i))].sort((a, b) => a - b)).toEqual([...Array(20).keys()]);
      expect(r.errors).toEqual([]);
    }

    it('sends the last 20 events through the unload fallback at tab close, no signed request, and loses none', async () => {
      const r = await closeTab({ stream: 'fallback', fallback: true, maxAge: 0 });
      if (name === 'chromium') expect(r.closed.length).toBeGreaterThanOrEqual(19);
      expect(r.afterClose).toEqual([]);
      expect(r.closed.every((e) => e._ingest)).toBe(true);
      nothingLostNoDuplicate(r);
    }, 90_000);

    it('starts a signed PutRecords at tab close that needs a preflight, which reaches Kinesis, and loses none', async () => {
      const r = await closeTab({ stream: 'uncached', maxAge: 0, delay: 300 });
      // The closing page itself started it: its preflight, then its own signed POST (the AWS
      // SDK's requests carry amz-sdk-invocation-id; the sink's page-hide request does not).
      if (SIGNED_LEAVES_AT_CLOSE(name)) {
        expect(r.afterClose[0]).toBe('OPTIONS');
        expect(r.afterClose.filter((x) => x !== 'OPTIONS')).toEqual(['own']);
      } else expect(r.afterClose.filter((x) => x !== 'OPTIONS' && x !== 'own')).toEqual([]);
      nothingLostNoDuplicate(r);
    }, 90_000);

    it('starts a signed PutRecords at tab close when the drains left a preflight cached, which reaches Kinesis, and loses none', async () => {
      const r = await closeTab({ stream: 'cached', maxAge: 7200 });
      // Chromium and WebKit send the POST alone; Firefox 153 sent a preflight again first.
      if (SIGNED_LEAVES_AT_CLOSE(name)) expect(r.afterClose).toEqual(['own']);
      else expect(r.afterClose.filter((x) => x !== 'OPTIONS' && x !== 'own')).toEqual([]);
      nothingLostNoDuplicate(r);
    }, 90_000);
  });
}
