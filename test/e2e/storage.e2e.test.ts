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
