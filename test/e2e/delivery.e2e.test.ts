import { describe, expect, it } from 'vitest';
import { browserAvailable, waitFor } from '../support/browser';
import { idCounts } from '../support/collector';
import { useBrowserAndCollector } from '../support/harness';
import { trackerPage } from '../support/pages';

describe.runIf(browserAvailable())('batched delivery in Chromium', () => {
  const h = useBrowserAndCollector();

  it('delivers 1,000 tracked events, each eventId exactly once, in at most 25 requests', async () => {
    h.collector.page('/a.html', trackerPage({ url: h.collector.url + '/v1/events' }));
    const page = await h.browser.context.newPage();
    await page.goto(h.collector.url + '/a.html');
    await page.evaluate(() => {
      for (let i = 0; i < 1000; i++) (window as any).tracker.track('bulk_event', { i });
    });
    await waitFor('1000 events', () => new Set(h.collector.events.map((e) => e.eventId)).size >= 1000);
    const bulk = h.collector.events.filter((e) => e.name === 'bulk_event');
    expect(bulk).toHaveLength(1000);
    expect([...idCounts(bulk).values()].every((n) => n === 1)).toBe(true);
    const requests = h.collector.delivered.filter((r) => r.events.some((e) => e.name === 'bulk_event'));
    console.log(`1,000 events in ${requests.length} requests: ${(1000 / requests.length).toFixed(1)} events per request`);
    expect(requests.length).toBeLessThanOrEqual(25);
    expect(bulk.map((e) => e.properties.i)).toEqual([...Array(1000).keys()]);
    await page.close();
  });
  // Was a bug (kept as a regression test): the events carried the page URL redacted, but the
  // Referer header of a same-origin collector's requests carried it whole.
  it('keeps the page URL out of the Referer header: the origin only, in normal and page-hide requests', async () => {
    h.collector.requests.length = 0;
    h.collector.page('/ref.html', trackerPage({ url: h.collector.url + '/v1/events' }));
    const page = await h.browser.context.newPage();
    await page.goto(h.collector.url + '/ref.html?token=abc&email=a%40b.c');
    await page.evaluate(() => (window as any).tracker.track('ref_event'));
    await page.evaluate(() => (window as any).tracker.flush());
    await page.evaluate(() => (window as any).tracker.track('ref_hidden'));
    await page.close({ runBeforeUnload: true });
    await waitFor('both events', () => h.collector.events.filter((e) => e.name.startsWith('ref_')).length >= 2);
    const requests = h.collector.requests.filter((r) => r.events.some((e) => e.name.startsWith('ref_')));
    expect(requests.map((r) => r.headers.referer)).toEqual(requests.map(() => h.collector.url + '/'));
    expect(h.collector.events.find((e) => e.name === 'ref_event')!.page.url).toBe(h.collector.url + '/ref.html?token=REDACTED&email=REDACTED');
  });
});
