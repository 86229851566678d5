// Consent fails closed in a real browser: a value that is not 'granted' stores nothing in
// IndexedDB or localStorage and sends nothing; Global Privacy Control denies when asked to.
import { describe, expect, it } from 'vitest';
import { browserAvailable, launch, waitFor } from '../support/browser';
import { useBrowserAndCollector } from '../support/harness';
import { trackerPage } from '../support/pages';

describe.runIf(browserAvailable())('consent values', () => {
  const h = useBrowserAndCollector({}, {
    setup: (c) => {
      for (const [name, options] of Object.entries({
        false: '{ consent: false }',
        typo: "{ consent: 'pendng' }",
        undef: '{ consent: undefined }',
        gpc: '{ privacy: { gpc: true } }',
        granted: '{}',
      })) {
        c.page(`/${name}.html`, trackerPage({ url: c.url + '/v1/events', options: `Object.assign(${options}, { batch: { flushIntervalMs: 50 } })` }));
      }
    },
  });

  // A fresh profile for each page: nothing stored by an earlier test.
  async function newPage() {
    const b = await launch();
    const page = await b.context.newPage();
    page.on('close', () => void b.close());
    return page;
  }

  // Everything the page tracked and stored, after a flush and a page hide (the unload path).
  async function visit(name: string, gpc = false) {
    const page = await newPage();
    // Chromium has no GPC switch: the page sees what Firefox or Brave expose with it on.
    if (gpc) await page.addInitScript(() => Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true }));
    await page.goto(`${h.collector.url}/${name}.html`);
    const result = await page.evaluate(async () => {
      const t = (window as any).tracker;
      t.page();
      t.track('add_to_cart', { value: 1 });
      t.setConsent('granted'); // ignored only while GPC is on
      t.track('after_grant');
      await t.flush();
      return { errors: (window as any).errors.map((e: { message: string }) => e.message), stats: t.stats() };
    });
    await page.evaluate(() => document.dispatchEvent(new Event('visibilitychange')));
    const stored = await page.evaluate(async () => ({
      dbs: (await indexedDB.databases()).map((d) => d.name),
      keys: Object.keys(localStorage),
    }));
    await page.close();
    return { ...result, stored };
  }

  it.each([
    ['false', 'consent: false', 0],
    ['typo', "consent: 'pendng'", 1],
    ['undef', 'consent: undefined', 1],
  ])('with %s (%s), stores and sends nothing until setConsent("granted")', async (name, _label, reports) => {
    const before = h.collector.events.length;
    const page = await newPage();
    await page.goto(`${h.collector.url}/${name}.html`);
    const r = await page.evaluate(async () => {
      const t = (window as any).tracker;
      t.page();
      t.track('add_to_cart', { value: 1 });
      await t.flush();
      document.dispatchEvent(new Event('visibilitychange'));
      return {
        errors: (window as any).errors.map((e: { message: string }) => e.message),
        dbs: (await indexedDB.databases()).map((d) => d.name),
        keys: Object.keys(localStorage),
      };
    });
    expect(r.dbs).toEqual([]);
    expect(r.keys).toEqual([]);
    expect(h.collector.events.length).toBe(before);
    expect(r.errors, JSON.stringify(r.errors)).toHaveLength(reports);
    if (reports) expect(r.errors[0]).toContain("held as 'pending'");
    // Granted later: a held event goes (pending), a denied one is gone (false).
    await page.evaluate(() => (window as any).tracker.setConsent('granted'));
    await page.evaluate(() => (window as any).tracker.track('granted_now'));
    await waitFor('the event tracked after consent', () => h.collector.events.slice(before).some((e) => e.name === 'granted_now'));
    const names = h.collector.events.slice(before).map((e) => e.name);
    expect(names.filter((n) => n !== 'granted_now'), JSON.stringify(names)).toEqual(name === 'false' ? [] : ['page_view', 'add_to_cart']);
    await page.close();
  });

  it('denies while Global Privacy Control is on, and sends as usual when it is off', async () => {
    const before = h.collector.events.length;
    const on = await visit('gpc', true);
    expect(on.stored).toEqual({ dbs: [], keys: [] });
    expect(on.stats).toMatchObject({ tracked: 0, consent: 3 });
    expect(h.collector.events.length).toBe(before);
    const off = await visit('gpc', false);
    expect(off.stats).toMatchObject({ tracked: 3, consent: 0 });
    expect(h.collector.events.slice(before).map((e) => e.name)).toEqual(['page_view', 'add_to_cart', 'after_grant']);
  });
});
