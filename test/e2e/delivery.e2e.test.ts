import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, launch, waitFor, type LaunchedBrowser } from '../support/browser';
import { idCounts, startCollector, type Collector } from '../support/collector';
import { trackerPage } from '../support/pages';

describe.runIf(browserAvailable())('batched delivery in Chromium', () => {
  let collector: Collector;
  let browser: LaunchedBrowser;
  beforeAll(async () => {
    collector = await startCollector({ static: { '/dist/': 'dist' } });
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
    await collector?.close();
  });

  it('delivers 1,000 tracked events, each eventId exactly once, in at most 25 requests', async () => {
    collector.page('/a.html', trackerPage({ url: collector.url + '/v1/events' }));
    const page = await browser.context.newPage();
    await page.goto(collector.url + '/a.html');
    await page.evaluate(() => {
      for (let i = 0; i < 1000; i++) (window as any).tracker.track('bulk_event', { i });
    });
    await waitFor('1000 events', () => new Set(collector.events.map((e) => e.eventId)).size >= 1000);
    const bulk = collector.events.filter((e) => e.name === 'bulk_event');
    expect(bulk).toHaveLength(1000);
    expect([...idCounts(bulk).values()].every((n) => n === 1)).toBe(true);
    const requests = collector.delivered.filter((r) => r.events.some((e) => e.name === 'bulk_event'));
    expect(requests.length).toBeLessThanOrEqual(25);
    expect(bulk.map((e) => e.properties.i)).toEqual([...Array(1000).keys()]);
    await page.close();
  });
});
