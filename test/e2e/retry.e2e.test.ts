import { describe, expect, it } from 'vitest';
import { browserAvailable, waitFor } from '../support/browser';
import { idCounts } from '../support/collector';
import { useBrowserAndCollector } from '../support/harness';
import { trackerPage } from '../support/pages';

describe.runIf(browserAvailable())('delivery through a failing collector', () => {
  let mode: 'storm' | 'poison' | 'retry-after' = 'storm';
  const h = useBrowserAndCollector({
      respond: ({ n, body }) => {
        if (mode === 'poison') return body?.includes('"poison"') ? 422 : undefined;
        if (mode === 'retry-after') return n % 2 ? { status: 429, headers: { 'Retry-After': '1' } } : undefined;
        // Every other request fails with a 500; every fifth arrives but the answer is lost.
        if (n % 5 === 0) return 'drop';
        return n % 2 ? 500 : undefined;
      },
    });

  it('delivers every event through 500s and dropped connections, duplicating only what a lost answer carried', async () => {
    mode = 'storm';
    h.collector.page('/storm.html', trackerPage({ url: h.collector.url + '/v1/events', options: '{ batch: { maxEvents: 10, flushIntervalMs: 200 }, retry: { baseMs: 100, maxMs: 800 } }' }));
    const page = await h.browser.context.newPage();
    await page.goto(h.collector.url + '/storm.html');
    await page.evaluate(async () => {
      const t = (window as any).tracker;
      for (let i = 0; i < 200; i++) {
        t.track('storm_event', { i });
        if (i % 20 === 19) await new Promise((r) => setTimeout(r, 20));
      }
    });
    const got = await waitFor('all 200 events acknowledged', () => {
      const ids = new Set(h.collector.events.filter((e) => e.name === 'storm_event').map((e) => e.eventId));
      return ids.size >= 200 && ids;
    }, 90_000);
    expect(got.size).toBe(200);
    const delivered = h.collector.events.filter((e) => e.name === 'storm_event');
    const dropped = new Set(h.collector.requests.filter((r) => r.status === 'drop').flatMap((r) => r.events.map((e) => e.eventId)));
    const failed = h.collector.requests.filter((r) => r.status === 500);
    expect(failed.length).toBeGreaterThan(0);
    expect(dropped.size).toBeGreaterThan(0);
    for (const [id, n] of idCounts(delivered as any)) if (n > 1) expect(dropped.has(id)).toBe(true);
    // Backoff, not a tight loop: after a 500 the next request waits at least the 100 ms floor.
    // (After a dropped connection Chromium itself resends the POST at once on a fresh socket,
    // as it does for a reused keep-alive socket closed without an answer: not our retry.)
    const after500 = h.collector.requests.filter((r, i) => i > 0 && h.collector.requests[i - 1].status === 500);
    expect(after500.length).toBeGreaterThan(3);
    for (const r of after500) expect(r.at - h.collector.requests[r.n - 2].at).toBeGreaterThanOrEqual(90);
    expect((await page.evaluate(() => (window as any).errors)).some((e: any) => e.code === 'sink_failed')).toBe(true);
    await page.close();
  });

  it('drops a batch the h.collector refuses with a 4xx, reports it, and keeps the rest flowing', async () => {
    mode = 'poison';
    h.collector.requests.length = 0;
    h.collector.page('/poison.html', trackerPage({ url: h.collector.url + '/v1/events' }));
    const page = await h.browser.context.newPage();
    await page.goto(h.collector.url + '/poison.html');
    const report = await page.evaluate(async () => {
      const t = (window as any).tracker;
      t.track('poison', {});
      await t.flush();
      t.track('healthy', { ok: true });
      return t.flush();
    });
    expect(report).toMatchObject({ sent: 1, queued: 0 });
    expect(h.collector.events.map((e) => e.name)).toEqual(['healthy']);
    const errors = await page.evaluate(() => (window as any).errors);
    expect(errors.find((e: any) => e.code === 'sink_rejected')?.message).toMatch(/422/);
    // Nothing left to retry: the poison batch is gone from the queue.
    expect(await page.evaluate(() => (window as any).tracker.flush())).toMatchObject({ queued: 0 });
    await page.close();
  });

  it('waits as long as Retry-After asks before the next attempt', async () => {
    mode = 'retry-after';
    h.collector.requests.length = 0;
    h.collector.page('/ra.html', trackerPage({ url: h.collector.url + '/v1/events', options: '{ batch: { flushIntervalMs: 100 }, retry: { baseMs: 10, maxMs: 20 } }' }));
    const page = await h.browser.context.newPage();
    await page.goto(h.collector.url + '/ra.html');
    await page.evaluate(() => (window as any).tracker.track('after_429', {}));
    await waitFor('delivery after the 429', () => h.collector.events.some((e) => e.name === 'after_429'), 20_000);
    const [first, second] = h.collector.requests;
    expect(first.status).toBe(429);
    expect(second.at - first.at).toBeGreaterThanOrEqual(950);
    await page.close();
  });
});
