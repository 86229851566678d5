// @vitest-environment node
// The built Kinesis sink in Chromium, signing real PutRecords requests (CORS preflights included)
// to kinesalite on loopback. The page loads an app bundle made from dist/ with esbuild, as an
// app's bundler would: the tracker up front, the sender and the AWS SDK in lazy chunks.
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, launch, waitFor, type LaunchedBrowser } from '../support/browser';
import { startCollector, type Collector } from '../support/collector';
import { CREDENTIALS, REGION, startKinesalite, startThrottlingProxy, type Kinesalite } from '../support/kinesalite';

const root = resolve(__dirname, '../..');

describe.runIf(browserAvailable())('kinesisSink in Chromium', () => {
  let dir: string;
  let kinesalite: Kinesalite;
  let collector: Collector;
  let browser: LaunchedBrowser;
  let sdkChunk: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'clicktrail-kinesis-app-'));
    mkdirSync(join(dir, 'node_modules'));
    symlinkSync(root, join(dir, 'node_modules', 'clicktrail'), 'dir');
    writeFileSync(
      join(dir, 'app.js'),
      `import { createTracker } from 'clicktrail';
       import { kinesisSink } from 'clicktrail/kinesis';
       window.clicktrail = { createTracker, kinesisSink };`,
    );
    await build({
      entryPoints: [join(dir, 'app.js')],
      bundle: true,
      splitting: true,
      format: 'esm',
      platform: 'browser',
      minify: true,
      outdir: join(dir, 'out'),
      absWorkingDir: dir,
      logLevel: 'silent',
    });
    sdkChunk = readdirSync(join(dir, 'out')).find((f) => readFileSync(join(dir, 'out', f), 'utf8').includes('PutRecords'))!;
    kinesalite = await startKinesalite();
    collector = await startCollector({ static: { '/app/': join(dir, 'out') } });
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
    await collector?.close();
    await kinesalite?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** A shop page whose tracker sends to `streamName`; onError and page errors are collected. */
  function shopPage(
    path: string,
    streamName: string,
    appId: string,
    extra = '{}',
    endpoint = kinesalite.url,
    credentials = JSON.stringify(CREDENTIALS),
  ) {
    collector.page(
      path,
      `<!doctype html><html><head><meta charset="utf-8"><title>shop</title>
<script>window.errors=[];window.pageErrors=[];addEventListener('error',function(e){pageErrors.push(String(e.message))});
addEventListener('unhandledrejection',function(e){pageErrors.push(String(e.reason))});</script>
<script type="module">
import '/app/app.js';
window.tracker = clicktrail.createTracker(Object.assign({
  appId: ${JSON.stringify(appId)},
  sink: clicktrail.kinesisSink({
    streamName: ${JSON.stringify(streamName)},
    region: ${JSON.stringify(REGION)},
    credentials: ${credentials},
    endpoint: ${JSON.stringify(endpoint)},
  }),
  batch: { maxEvents: 500, maxBytes: 5000000 },
  onError: function (e) { window.errors.push({ code: e.code, message: e.message }); },
}, ${extra}));
window.ready = true;
</script></head><body><h1>shop</h1></body></html>`,
    );
  }

  const open = async (path: string): Promise<Page> => {
    const page = await browser.context.newPage();
    await page.goto(collector.url + path);
    await page.waitForFunction(() => (window as any).ready === true);
    return page;
  };

  const parsed = async (streamName: string) =>
    (await kinesalite.readAll(streamName)).map((r) => ({ ...r, event: JSON.parse(r.data) }));

  it('delivers a shopper\u2019s events into Kinesis once each and in order, loading the AWS SDK on the first flush', async () => {
    await kinesalite.createStream('shop', 2);
    shopPage('/shop.html', 'shop', 'shop');
    const requested: string[] = [];
    browser.context.on('request', (r) => requested.push(r.url()));
    const page = await open('/shop.html');
    // Nothing to send yet: the SDK is not fetched.
    expect(await page.evaluate(() => (window as any).tracker.flush())).toMatchObject({ sent: 0, queued: 0 });
    expect(requested.some((u) => u.endsWith('/' + sdkChunk))).toBe(false);

    await page.evaluate(() => {
      const t = (window as any).tracker;
      const item = { item_id: 'SKU-1', item_name: 'Mug', price: 12, quantity: 1 };
      for (let i = 0; i < 10; i++) {
        t.page({ i });
        t.track('view_item', { currency: 'EUR', value: 12, items: [item], i });
        t.track('add_to_cart', { currency: 'EUR', value: 12, items: [item], i });
        t.track('begin_checkout', { currency: 'EUR', value: 12, items: [item], i });
        t.track('purchase', { transaction_id: 'T' + i, currency: 'EUR', value: 12, items: [item], i });
      }
    });
    const report = await page.evaluate(() => (window as any).tracker.flush());
    expect(report).toMatchObject({ sent: 50, queued: 0 });
    expect(requested.some((u) => u.endsWith('/' + sdkChunk))).toBe(true);

    const aid = await page.evaluate(() => (window as any).tracker.ids().anonymousId);
    const stored = await parsed('shop');
    expect(stored).toHaveLength(50);
    expect(new Set(stored.map((r) => r.event.eventId)).size).toBe(50);
    expect(stored.every((r) => r.partitionKey === aid && r.event.anonymousId === aid)).toBe(true);
    expect(new Set(stored.map((r) => r.shardId)).size).toBe(1);
    expect(stored.map((r) => `${r.event.name}:${r.event.properties.i}`)).toEqual(
      [...Array(10).keys()].flatMap((i) => ['page_view', 'view_item', 'add_to_cart', 'begin_checkout', 'purchase'].map((n) => `${n}:${i}`)),
    );
    expect(await page.evaluate(() => [(window as any).errors, (window as any).pageErrors])).toEqual([[], []]);
    await page.close();
  });

  it('sends nothing at page hide before a flush has loaded its signer, and delivers those events from the next page view', async () => {
    await kinesalite.createStream('unload', 1);
    // The first page reaches Kinesis through a counting proxy, the second directly: whatever the
    // first page sends, preflights included, the proxy sees.
    const proxy = await startThrottlingProxy(kinesalite.url, {});
    const seen: string[] = [];
    const listener = (r: { url(): string; method(): string }) => {
      if (r.url().startsWith(proxy.url)) seen.push(r.method());
    };
    browser.context.on('request', listener);
    try {
      // No timed flush, so the sink's chunk (its signer and the credentials) never loaded: the page
      // hide has nothing to sign with.
      shopPage('/unload-1.html', 'unload', 'unload', '{ batch: { maxEvents: 500, maxBytes: 5000000, flushIntervalMs: 3600000 } }', proxy.url);
      shopPage('/unload-2.html', 'unload', 'unload');
      const page = await open('/unload-1.html');
      await page.evaluate(() => {
        for (let i = 0; i < 20; i++) (window as any).tracker.track('view_item', { i });
      });
      // The events are in IndexedDB before the page goes.
      await waitFor('20 events in IndexedDB', () =>
        page.evaluate(
          () =>
            new Promise<boolean>((ok) => {
              const r = indexedDB.open('clicktrail:unload');
              r.onsuccess = () => {
                // A record holds a write's events, one line of JSON each (the outbox's format 3).
                const c = r.result.transaction('events').objectStore('events').getAll();
                c.onsuccess = () => ok(c.result.reduce((n: number, v: any) => n + (typeof v?.e == 'string' ? v.e.split('\n').length : 1), 0) >= 20);
                c.onerror = () => ok(false);
              };
              r.onerror = () => ok(false);
            }),
        ),
      );
      await page.goto(collector.url + '/unload-2.html');
      await page.waitForFunction(() => (window as any).ready === true);
      await waitFor('the next page view to deliver', async () => (await kinesalite.readAll('unload')).length >= 20);
      const stored = await parsed('unload');
      expect(stored.map((r) => r.event.properties.i)).toEqual([...Array(20).keys()]);
      // kinesalite stores the records before its answer reaches the page, so wait for the answer.
      await waitFor('the page to count the answer', async () => (await page.evaluate(() => (window as any).tracker.stats().sent)) >= 20);
      expect(await page.evaluate(() => (window as any).tracker.stats().sent)).toBe(20);
      // The page that went away made no request to Kinesis at all.
      expect(seen).toEqual([]);
      expect(proxy.putRecords).toEqual([]);
      expect(await page.evaluate(() => [(window as any).errors, (window as any).pageErrors])).toEqual([[], []]);
      await page.close();
    } finally {
      browser.context.off('request', listener);
      await proxy.close();
    }
  });

  it('keeps events and reports, without a page error, when the stream is missing, the endpoint unreachable or the credentials fail', async () => {
    const closed = await startCollector();
    const deadEndpoint = closed.url;
    await closed.close();
    const cases = [
      { path: '/missing.html', stream: 'no-such-stream', endpoint: kinesalite.url, credentials: JSON.stringify(CREDENTIALS), message: /kinesis stream "no-such-stream" in us-east-1: ResourceNotFoundException/ },
      { path: '/dead.html', stream: 'shop', endpoint: deadEndpoint, credentials: JSON.stringify(CREDENTIALS), message: /kinesis stream "shop" in us-east-1: TypeError: Failed to fetch/ },
      {
        path: '/nocreds.html',
        stream: 'shop',
        endpoint: kinesalite.url,
        credentials: "async function () { throw new Error('Cognito identity pool unreachable'); }",
        message: /kinesis stream "shop" in us-east-1: could not get AWS credentials: Cognito identity pool unreachable/,
      },
    ];
    for (const c of cases) {
      shopPage(c.path, c.stream, 'bad' + c.path.replace(/\W/g, ''), '{}', c.endpoint, c.credentials);
      const page = await open(c.path);
      const report = await page.evaluate(() => {
        (window as any).tracker.track('view_item', { i: 1 });
        (window as any).tracker.track('view_item', { i: 2 });
        return (window as any).tracker.flush();
      });
      expect(report).toMatchObject({ sent: 0, failed: 2, queued: 2 });
      const [errors, pageErrors] = await page.evaluate(() => [(window as any).errors, (window as any).pageErrors]);
      expect(pageErrors).toEqual([]);
      expect(errors).toHaveLength(1);
      expect(errors[0].code).toBe('sink_failed');
      expect(errors[0].message).toMatch(c.message);
      await page.close();
    }
  });

  it('delivers 10,000 events from Chromium into kinesalite in batches of 500 (figure printed)', async () => {
    await kinesalite.createStream('bulk', 2);
    shopPage('/bulk.html', 'bulk', 'bulk');
    const page = await open('/bulk.html');
    // Load the SDK first, so the figure is delivery, not a chunk download.
    await page.evaluate(() => (window as any).tracker.flush());
    const started = Date.now();
    const loopMs = await page.evaluate(() => {
      const t0 = performance.now();
      for (let i = 0; i < 10_000; i++) (window as any).tracker.track('view_item_list', { i, item_list_id: 'home' });
      return Math.round(performance.now() - t0);
    });
    await waitFor('10,000 events acknowledged', () => page.evaluate(() => (window as any).tracker.stats().sent >= 10_000), 170_000);
    const ms = Date.now() - started;
    // eslint-disable-next-line no-console
    console.log(
      `10,000 events tracked in Chromium (track() loop ${loopMs} ms) and acknowledged by kinesalite ` +
        `${ms} ms after the first track() call (${Math.round(10_000 / (ms / 1000))} events/s, PutRecords of 500)`,
    );
    const stored = await parsed('bulk');
    expect(stored).toHaveLength(10_000);
    expect(new Set(stored.map((r) => r.event.eventId)).size).toBe(10_000);
    expect(stored.map((r) => r.event.properties.i)).toEqual([...Array(10_000).keys()]);
    expect(await page.evaluate(() => (window as any).errors)).toEqual([]);
    await page.close();
  }, 180_000);
});
