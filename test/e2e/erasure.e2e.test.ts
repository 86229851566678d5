import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, launch, waitFor, type LaunchedBrowser } from '../support/browser';
import { startCollector, type Collector } from '../support/collector';
import { trackerPage } from '../support/pages';

describe.runIf(browserAvailable())('consent withdrawal and erasure', () => {
  let collector: Collector;
  let browser: LaunchedBrowser;
  let failing = true;
  beforeAll(async () => {
    collector = await startCollector({ static: { '/dist/': 'dist' }, respond: () => (failing ? 503 : undefined) });
    // Quick retries: a backoff timer would fire within the test if withdrawal left it armed.
    const options = "{ batch: { flushIntervalMs: 100 }, retry: { baseMs: 100, maxMs: 300 } }";
    collector.page('/shop.html', trackerPage({ url: collector.url + '/v1/events', options }));
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
    await collector?.close();
  });

  // What the page stored: IndexedDB databases and localStorage keys.
  const stored = (page: import('playwright-core').Page) =>
    page.evaluate(async () => ({ dbs: (await indexedDB.databases()).map((d) => d.name), keys: Object.keys(localStorage) }));
  const accepted = () => collector.requests.filter((r) => r.status === 200).flatMap((r) => r.events);

  it('stops all sending at once on setConsent("denied") behind a failing collector, and deletes what was stored', async () => {
    failing = true;
    const page = await browser.context.newPage();
    await page.goto(collector.url + '/shop.html');
    await page.evaluate(async () => {
      const t = (window as any).tracker;
      t.identify('jane');
      for (let i = 0; i < 6; i++) t.track('queued_before_denial', { i });
      await t.flush();
    });
    await waitFor('a failed attempt', () => collector.requests.some((r) => r.status === 503));
    expect((await stored(page)).dbs).toContain('clicktrail:test');
    await page.evaluate(() => (window as any).tracker.setConsent('denied'));
    failing = false;
    // Several backoff and flush intervals: nothing may go out any more.
    await new Promise((r) => setTimeout(r, 2500));
    await page.evaluate(() => (window as any).tracker.flush());
    await page.evaluate(() => document.dispatchEvent(new Event('visibilitychange')));
    expect(accepted()).toEqual([]);
    await waitFor('the database to be deleted', async () => !(await stored(page)).dbs.length);
    expect(await stored(page)).toEqual({ dbs: [], keys: [] });
    // A later page that starts granted has nothing of the withdrawn queue to send.
    await page.goto(collector.url + '/shop.html');
    await page.evaluate(() => (window as any).tracker.flush());
    expect(accepted().filter((e) => e.name === 'queued_before_denial' || e.userId === 'jane')).toEqual([]);
    await page.close();
  });

  it('erase() leaves nothing in IndexedDB or localStorage, with events queued and ids stored', async () => {
    failing = true;
    const page = await browser.context.newPage();
    await page.goto(collector.url + '/shop.html');
    await page.evaluate(async () => {
      const t = (window as any).tracker;
      t.identify('erase-me');
      for (let i = 0; i < 5; i++) t.track('to_erase', { i });
      await t.flush();
      // What httpSink keeps of a collector that refused gzip (clicktrail:plain:<url>).
      localStorage.setItem('clicktrail:plain:' + location.origin + '/v1/events', '1');
    });
    const before = await stored(page);
    expect(before.dbs).toContain('clicktrail:test');
    expect(before.keys.length).toBeGreaterThan(0);
    const idsBefore = await page.evaluate(() => (window as any).tracker.ids());
    await page.evaluate(() => (window as any).tracker.erase());
    // Past the page's own erasure: whatever the tracker still does must not recreate anything it
    // had stored (a later event would open a new, empty queue).
    expect(await stored(page)).toEqual({ dbs: [], keys: [] });
    await new Promise((r) => setTimeout(r, 500)); // a few flush intervals
    expect(await stored(page)).toEqual({ dbs: [], keys: [] });
    const idsAfter = await page.evaluate(() => (window as any).tracker.ids());
    expect(idsAfter.anonymousId).not.toBe(idsBefore.anonymousId);
    expect(idsAfter.userId).toBeNull();
    failing = false;
    await page.evaluate(() => (window as any).tracker.flush());
    expect(accepted().filter((e) => e.name === 'to_erase')).toEqual([]);
    await page.close();
  });
});
