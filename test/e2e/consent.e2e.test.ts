import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, launch, waitFor, type LaunchedBrowser } from '../support/browser';
import { startCollector, type Collector } from '../support/collector';
import { trackerPage } from '../support/pages';

describe.runIf(browserAvailable())('consent', () => {
  let collector: Collector;
  let browser: LaunchedBrowser;
  beforeAll(async () => {
    collector = await startCollector({ static: { '/dist/': 'dist' } });
    collector.page('/consent.html', trackerPage({ url: collector.url + '/v1/events', options: "{ consent: 'pending', batch: { flushIntervalMs: 100 } }" }));
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
    await collector?.close();
  });

  // What the page stored: IndexedDB databases and localStorage keys.
  const stored = (page: import('playwright-core').Page) =>
    page.evaluate(async () => ({ dbs: (await indexedDB.databases()).map((d) => d.name), keys: Object.keys(localStorage) }));

  it('holds events in memory only while consent is pending, and sends them once granted', async () => {
    const page = await browser.context.newPage();
    await page.goto(collector.url + '/consent.html');
    await page.evaluate(async () => {
      const t = (window as any).tracker;
      t.page();
      t.track('before_consent', { i: 1 });
      await t.flush();
      await new Promise((r) => setTimeout(r, 300)); // a few flush intervals
    });
    expect(collector.requests).toHaveLength(0);
    expect(await stored(page)).toEqual({ dbs: [], keys: [] });
    await page.evaluate(() => (window as any).tracker.setConsent('granted'));
    await waitFor('held events sent', () => collector.events.some((e) => e.name === 'before_consent'));
    expect(collector.events.map((e) => e.name)).toEqual(['page_view', 'before_consent']);
    expect((await stored(page)).keys.some((k) => k.startsWith('clicktrail:'))).toBe(true);
    await page.close();
  });

  it('discards held and new events when consent is denied', async () => {
    collector.requests.length = 0;
    const ctx = await launch();
    try {
      const page = await ctx.context.newPage();
      await page.goto(collector.url + '/consent.html');
      const stats = await page.evaluate(async () => {
        const t = (window as any).tracker;
        t.track('held_then_denied', {});
        t.setConsent('denied');
        t.track('after_denied', {});
        await t.flush();
        return t.stats();
      });
      expect(stats).toMatchObject({ tracked: 1, consent: 2 });
      expect(collector.requests).toHaveLength(0);
      expect(await stored(page)).toEqual({ dbs: [], keys: [] });
    } finally {
      await ctx.close();
    }
  });
});
