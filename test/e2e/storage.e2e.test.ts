import { describe, expect, it } from 'vitest';
import { browserAvailable, waitFor } from '../support/browser';
import { useBrowserAndCollector } from '../support/harness';
import { trackerPage } from '../support/pages';

// How IndexedDB fails in the field, reproduced before the SDK loads.
const BREAKAGES: Record<string, string> = {
  missing: "Object.defineProperty(window, 'indexedDB', { value: undefined });",
  // Firefox private windows: open() fails with InvalidStateError.
  'open fails': `IDBFactory.prototype.open = function () {
      const req = {}; setTimeout(() => { req.error = new DOMException('A mutation operation was attempted on a database that did not allow mutations.', 'InvalidStateError'); req.onerror && req.onerror({ target: req }); }, 5);
      return req; };`,
  // Some Safari iframes: open() never settles.
  'open hangs': 'IDBFactory.prototype.open = function () { return {}; };',
  // Out of quota: every write fails.
  'quota exceeded': `const put = IDBObjectStore.prototype.put;
    IDBObjectStore.prototype.put = function () { throw new DOMException('quota', 'QuotaExceededError'); };`,
};

describe.runIf(browserAvailable())('delivery without IndexedDB', () => {
  const h = useBrowserAndCollector();

  for (const [name, breakage] of Object.entries(BREAKAGES)) {
    it(`delivers from memory and says so when IndexedDB is unusable (${name})`, async () => {
      const path = `/idb-${name.replace(/\W/g, '-')}.html`;
      h.collector.page(path, trackerPage({ url: h.collector.url + '/v1/events', head: `<script>${breakage}</script>`, options: '{ batch: { flushIntervalMs: 200 } }' }));
      const page = await h.browser.context.newPage();
      await page.goto(h.collector.url + path);
      await page.evaluate((name) => {
        for (let i = 0; i < 25; i++) (window as any).tracker.track('memory_event', { i, name });
      }, name);
      await waitFor('25 events from memory', () => h.collector.events.filter((e) => e.properties?.name === name).length >= 25, 20_000);
      const [errors, stats, pageErrors] = await page.evaluate(() => [(window as any).errors, (window as any).tracker.stats(), (window as any).pageErrors]);
      const said = errors.filter((e: any) => e.code === 'storage_unavailable');
      expect(said).toHaveLength(1); // once, not per event
      expect(said[0].message).toMatch(/IndexedDB/);
      expect(stats.storage).toBe('memory');
      expect(pageErrors).toEqual([]);
      await page.close();
    });
  }
});

describe.runIf(browserAvailable())('an IndexedDB open slower than the probe', () => {
  const h = useBrowserAndCollector();

  // Was a bug (kept as a regression test): the writes waiting for the open still went through
  // once it finished, though their events were in memory and delivered from there by then, so
  // the next page view sent them all again.
  it('delivers the events from memory, and the late open leaves none of them to send again', async () => {
    // Another script of the page keeps an upgrade of the same database busy for 4.5 s (a cold
    // disk would look the same to the tracker, whose probe gives up after 3 s).
    const hold = `<script>(function () { var r = indexedDB.open('clicktrail:test', 1), end = Date.now() + 4500;
      r.onupgradeneeded = function () { var s = r.result.createObjectStore('events'); (function spin() { if (Date.now() < end) s.count().onsuccess = spin; })(); };
      r.onsuccess = function () { r.result.close(); window.opened = true; }; })();</script>`;
    h.collector.page('/slow-open.html', trackerPage({ url: h.collector.url + '/v1/events', head: hold, options: '{ batch: { flushIntervalMs: 200 } }' }));
    const page = await h.browser.context.newPage();
    await page.goto(h.collector.url + '/slow-open.html');
    await page.evaluate(() => {
      for (let i = 0; i < 20; i++) (window as any).tracker.track('slow_open', { i });
    });
    await waitFor('the events, from memory', () => h.collector.events.filter((e) => e.name === 'slow_open').length >= 20, 20_000);
    await waitFor('the slow open to finish', () => page.evaluate(() => (window as any).opened), 10_000);
    await new Promise((r) => setTimeout(r, 500));
    const left = await page.evaluate(
      () =>
        new Promise((ok) => {
          const r = indexedDB.open('clicktrail:test');
          r.onsuccess = () => {
            const c = r.result.transaction('events').objectStore('events').count();
            c.onsuccess = () => (ok(c.result), r.result.close());
          };
        }),
    );
    expect(left).toBe(0);
    expect(await page.evaluate(() => (window as any).errors.map((e: any) => e.code))).toEqual(['storage_unavailable']);
    expect(h.collector.events.filter((e) => e.name === 'slow_open')).toHaveLength(20);
    await page.close();
  });
});
