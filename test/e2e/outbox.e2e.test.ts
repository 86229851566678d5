import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, launch, waitFor } from '../support/browser';
import { startCollector, type Collector } from '../support/collector';
import { trackerPage } from '../support/pages';

// Only the next page view may deliver, unless a test says otherwise: no timed drains.
const OPTIONS = '{ batch: { flushIntervalMs: 600000 } }';
// Prototype.js style: arrays serialise as strings, and every object gets a toJSON.
const POLLUTE = `<script>Object.defineProperty(Array.prototype, 'toJSON', { configurable: true, writable: true, value: function () { return '[' + this.join() + ']'; } });
Object.defineProperty(Object.prototype, 'toJSON', { configurable: true, writable: true, value: function () { return 'polluted'; } });</script>`;

describe.runIf(browserAvailable())('the outbox keeps every accepted event', () => {
  let collector: Collector;
  let block = false;
  beforeAll(async () => {
    collector = await startCollector({ static: { '/dist/': 'dist' }, respond: () => (block ? 503 : undefined) });
    collector.page('/shop.html', trackerPage({ url: collector.url + '/v1/events', options: OPTIONS }));
    collector.page('/polluted.html', trackerPage({ url: collector.url + '/v1/events', options: OPTIONS, head: POLLUTE }));
  });
  afterAll(() => collector?.close());

  const tagged = (tag: string) => collector.events.filter((e) => e.properties?.tag === tag);
  const burst = (tag: string, n: number, from = 0) =>
    `for (let i = ${from}; i < ${from + n}; i++) tracker.track('burst', { tag: ${JSON.stringify(tag)}, i, items: [{ item_id: 'sku-' + i, quantity: 1 }] });`;

  /** Flushes from `page` until the collector has `n` distinct events tagged `tag`. */
  const arrive = (page: import('playwright-core').Page, tag: string, n: number, what: string) =>
    waitFor(what, async () => (await page.evaluate(() => (window as any).tracker.flush()), new Set(tagged(tag).map((e) => e.properties.i)).size >= n), 90_000);

  /** Tracks `n` events in one task, then crashes the renderer; a new browser on the same profile delivers. */
  async function crashAfter(n: number) {
    const tag = 'crash' + n;
    const first = await launch({ keepProfile: true });
    try {
      const page = await first.context.newPage();
      await page.goto(collector.url + '/shop.html');
      await page.evaluate(() => (window as any).tracker.flush());
      block = true; // nothing acknowledged before the crash: every event must come from storage
      await page.evaluate(burst(tag, n));
      const cdp = await first.context.newCDPSession(page);
      // The crash answers nothing: not awaited.
      cdp.send('Page.crash').catch(() => undefined);
      await new Promise((r) => page.once('crash', r));
    } finally {
      await first.close();
    }
    block = false;
    const second = await launch({ userDataDir: first.userDataDir });
    try {
      const page = await second.context.newPage();
      await page.goto(collector.url + '/shop.html');
      await arrive(page, tag, n, `${n} events after the crash`);
    } finally {
      await second.close();
    }
  }

  it('loses none of 1,000 events tracked in the task right before a renderer crash', () => crashAfter(1000));
  it('loses none of 10,000 events tracked in the task right before a renderer crash', () => crashAfter(10_000));

  it('loses none of 10,000 events tracked right before a reload', async () => {
    const browser = await launch();
    try {
      const page = await browser.context.newPage();
      await page.goto(collector.url + '/shop.html');
      await page.evaluate(() => (window as any).tracker.flush());
      await page.evaluate(burst('reload', 10_000));
      await page.reload();
      await arrive(page, 'reload', 10_000, '10,000 events after the reload');
    } finally {
      await browser.close();
    }
  });

  it('keeps a burst across a reload on a page that defines Array.prototype.toJSON and Object.prototype.toJSON, items staying arrays', async () => {
    const browser = await launch();
    try {
      const page = await browser.context.newPage();
      await page.goto(collector.url + '/polluted.html');
      await page.evaluate(() => (window as any).tracker.flush());
      block = true; // the spill and the queue, not the page-hide request, must carry them
      await page.evaluate(burst('polluted', 1000));
      await page.reload();
      block = false;
      await waitFor('1,000 events from the polluted page', async () => (await page.evaluate(() => (window as any).tracker.flush()), new Set(tagged('polluted').map((e) => e.eventId)).size >= 1000), 60_000);
      const got = tagged('polluted');
      expect(new Set(got.map((e) => e.properties.i)).size).toBe(1000);
      expect(got.every((e) => Array.isArray(e.properties.items) && e.properties.items[0].quantity === 1)).toBe(true);
      expect(got.every((e) => typeof e.page === 'object' && typeof e.context === 'object')).toBe(true);
      expect(await page.evaluate(() => (window as any).pageErrors)).toEqual([]);
    } finally {
      block = false;
      await browser.close();
    }
  });
});
