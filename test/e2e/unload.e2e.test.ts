import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, launch, waitFor, type LaunchedBrowser } from '../support/browser';
import { idCounts, startCollector, type Collector } from '../support/collector';
import { trackerPage } from '../support/pages';

// A flush interval far away, so only the page-hide path or the next page view can deliver.
const OPTIONS = '{ batch: { flushIntervalMs: 600000, maxEvents: 500 } }';

describe.runIf(browserAvailable())('events tracked just before the page goes away', () => {
  let collector: Collector;
  let blockCollector = false;
  beforeAll(async () => {
    collector = await startCollector({ static: { '/dist/': 'dist' }, respond: () => (blockCollector ? 503 : undefined) });
    collector.page('/shop.html', trackerPage({ url: collector.url + '/v1/events', options: OPTIONS }));
    collector.page('/next.html', '<!doctype html><title>next</title><p>another site</p>');
  });
  afterAll(async () => {
    await collector?.close();
  });

  async function trackBurst(page: import('playwright-core').Page, tag: string, n: number): Promise<string[]> {
    await page.goto(collector.url + '/shop.html');
    // The queue is open and empty, so only the page-hide path or the next page can deliver.
    await page.evaluate(() => (window as any).tracker.flush());
    // Tracked and left in the same task: nothing was written to IndexedDB or sent before this.
    return page.evaluate(
      ([tag, n]) => {
        const t = (window as any).tracker;
        for (let i = 0; i < n; i++) t.track('last_moment', { tag, i });
        return n;
      },
      [tag, n] as [string, number],
    ).then(() => [tag]);
  }

  it('delivers events tracked just before the tab closes, at close', async () => {
    const browser = await launch();
    try {
      const page = await browser.context.newPage();
      await trackBurst(page, 'close', 20);
      await page.close({ runBeforeUnload: true });
      const got = await waitFor('20 events sent at close', () => {
        const e = collector.events.filter((x) => x.properties?.tag === 'close');
        return e.length >= 20 && e;
      });
      expect(new Set(got.map((e) => e.properties.i)).size).toBe(20);
      // Sent by the page-hide path: keepalive fetch, CORS-simple.
      const req = collector.delivered.find((r) => r.events.some((e) => e.properties?.tag === 'close'))!;
      expect(req.headers['content-type']).toMatch(/^text\/plain/);
      expect(req.headers['content-encoding']).toBeUndefined();
    } finally {
      await browser.close();
    }
  });

  // Was a bug (kept as a regression test): the page-hide request carried every event in one
  // body, past batch.maxEvents, and its budget counted characters, not bytes.
  it('sends at close in requests within batch.maxEvents, and non-ASCII events within the keepalive budget', async () => {
    collector.page('/small-batches.html', trackerPage({ url: collector.url + '/v1/events', options: '{ batch: { flushIntervalMs: 600000, maxEvents: 10 } }' }));
    const browser = await launch();
    try {
      const page = await browser.context.newPage();
      await page.goto(collector.url + '/small-batches.html');
      await page.evaluate(() => (window as any).tracker.flush());
      // Drains skip a lock another holder has: only the page-hide path can send from here on
      // (a write of 10 events would otherwise start one before the close).
      await page.evaluate(() => new Promise<void>((held) => navigator.locks.request('clicktrail:test', () => (held(), new Promise(() => {})))));
      await page.evaluate(() => {
        // 40 small events, and 100 of about 1.2 KB in UTF-8 but 400 characters.
        for (let i = 0; i < 40; i++) (window as any).tracker.track('small_batch', { i });
        for (let i = 0; i < 100; i++) (window as any).tracker.track('euro_batch', { i, pad: '€'.repeat(400) });
      });
      await page.close({ runBeforeUnload: true });
      await waitFor('events sent at close', () => collector.delivered.some((r) => r.events.some((e) => e.name === 'euro_batch')));
      const atClose = collector.delivered.filter((r) => r.events.some((e) => /^(small|euro)_batch$/.test(e.name)));
      expect(atClose.every((r) => r.events.length <= 10)).toBe(true);
      expect(atClose.flatMap((r) => r.events).filter((e) => e.name === 'small_batch')).toHaveLength(40);
      // Every request started within the 64 KiB budget, so none was refused.
      expect(atClose.reduce((n, r) => n + r.bytes, 0)).toBeLessThanOrEqual(65_536);
    } finally {
      await browser.close();
    }
  });

  // Was a bug (kept as a regression test): the tracker's page-hide listeners ran before the
  // plugins', and nothing tracked after its pagehide listener was sent at all.
  it("delivers, at close, what a plugin tracks at hide and what a later pagehide listener tracks", async () => {
    collector.page(
      '/late.html',
      trackerPage({
        url: collector.url + '/v1/events',
        options: `Object.assign(${OPTIONS}, { plugins: [{ name: 'leave', setup: function (t) {
          document.addEventListener('visibilitychange', function () { if (document.visibilityState === 'hidden') t.track('plugin_hidden', { tag: 'late' }); });
        } }] })`,
        setup: "addEventListener('pagehide', function () { tracker.track('late_pagehide', { tag: 'late' }); });",
      }),
    );
    const browser = await launch();
    try {
      const page = await browser.context.newPage();
      await page.goto(collector.url + '/late.html');
      await page.evaluate(() => (window as any).tracker.flush());
      await page.evaluate(() => (window as any).tracker.track('before_close', { tag: 'late' }));
      await page.close({ runBeforeUnload: true });
      const got = await waitFor('the three events sent at close', () => {
        const e = collector.events.filter((x) => x.properties?.tag === 'late');
        return e.length >= 3 && e;
      });
      // Closing a tab fires pagehide, then visibilitychange: each event went out as it came.
      expect(got.map((e) => e.name).sort()).toEqual(['before_close', 'late_pagehide', 'plugin_hidden']);
    } finally {
      await browser.close();
    }
  });

  it('delivers events tracked just before leaving for another site, at navigation', async () => {
    const browser = await launch();
    try {
      const page = await browser.context.newPage();
      await page.goto(collector.url + '/shop.html');
      // localhost and 127.0.0.1 are different origins: no page of this shop loads next.
      const away = collector.url.replace('127.0.0.1', 'localhost') + '/next.html';
      await page.evaluate((url) => {
        const t = (window as any).tracker;
        for (let i = 0; i < 10; i++) t.track('last_moment', { tag: 'navigate', i });
        location.href = url;
      }, away);
      await waitFor('10 events sent on navigation', () => collector.events.filter((x) => x.properties?.tag === 'navigate').length >= 10);
    } finally {
      await browser.close();
    }
  });

  it('delivers events tracked just before moving to another page of the shop once, from that page', async () => {
    const browser = await launch();
    try {
      const page = await browser.context.newPage();
      await page.goto(collector.url + '/shop.html');
      // The start-up drain is over, so none of these is on the wire when the page goes: a drain
      // cut off by the navigation would lose its answer and rightly send its events again.
      await page.evaluate(() => (window as any).tracker.flush());
      await page.evaluate(() => {
        const t = (window as any).tracker;
        for (let i = 0; i < 10; i++) t.track('last_moment', { tag: 'same-site', i });
        t.track('page_leaving', { tag: 'same-site' });
        location.href = '/shop.html?page=2';
      });
      await page.waitForURL(/page=2/);
      const got = await waitFor('11 events', () => {
        const e = collector.received.filter((x) => x.properties?.tag === 'same-site');
        return e.length >= 11 && e;
      });
      // Give a duplicate every chance to show up: the next page's own flush.
      await page.evaluate(() => (window as any).tracker.flush());
      const all = collector.received.filter((x) => x.properties?.tag === 'same-site');
      expect(all).toHaveLength(11);
      expect([...idCounts(got as any).values()].every((n) => n === 1)).toBe(true);
    } finally {
      await browser.close();
    }
  });

  it('delivers events that could not go out at close when the page is opened again', async () => {
    const browser = await launch({ keepProfile: true });
    let second: Awaited<ReturnType<typeof launch>> | undefined;
    try {
      const page = await browser.context.newPage();
      blockCollector = true; // the collector is down while the page closes
      await trackBurst(page, 'reopen', 15);
      await page.close({ runBeforeUnload: true });
      await browser.context.close();
      expect(collector.events.filter((x) => x.properties?.tag === 'reopen')).toHaveLength(0);
      blockCollector = false;
      second = await launch({ userDataDir: browser.userDataDir });
      const again = await second.context.newPage();
      await again.goto(collector.url + '/shop.html');
      // flush() goes past a backoff the failed close may have left: this checks that the events
      // were kept, not how long the shared retry delay is.
      const got = await waitFor('15 events sent from the next page view', async () => {
        await again.evaluate(() => (window as any).tracker.flush());
        const e = collector.events.filter((x) => x.properties?.tag === 'reopen');
        return e.length >= 15 && e;
      });
      expect([...idCounts(got as any).values()].every((n) => n === 1)).toBe(true);
      expect(new Set(got.map((e) => e.properties.i)).size).toBe(15);
    } finally {
      blockCollector = false;
      await second?.close();
      await browser.close();
    }
  });
});
