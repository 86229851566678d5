import { describe, expect, it } from 'vitest';
import { waitFor } from '../support/browser';
import { idCounts } from '../support/collector';
import { ENGINES, deadSwitch, engineAvailable, type EngineName, type EnginePage } from '../support/engines';
import { useEngine } from '../support/engines/harness';
import { trackerPage } from '../support/pages';

const OPTIONS = '{ batch: { maxEvents: 25, flushIntervalMs: 200 }, retry: { baseMs: 100, maxMs: 800 } }';

describe.each(ENGINES.filter(engineAvailable))('%s: delivery', (name: EngineName) => {
  let mode: 'ok' | 'storm' | 'retry-after' | 'slow' = 'ok';
  const h = useEngine(name, {
    respond: ({ n }) => {
      // Every other request fails with a 500; every fifth arrives but its connection is reset.
      if (mode === 'storm') return n % 5 === 0 ? 'drop' : n % 2 ? 500 : undefined;
      if (mode === 'retry-after') return n % 2 ? { status: 429, headers: { 'Retry-After': '1' } } : undefined;
      // A slow collector: overlapping drains of two tabs would show.
      if (mode === 'slow') return { status: 200, delayMs: 40 };
      return undefined;
    },
  });
  let pages = 0;
  const open = async (o: { options?: string; head?: string; path?: string } = {}): Promise<EnginePage> => {
    const path = o.path ?? `/page-${++pages}.html`;
    h.collector.page(path, trackerPage({ url: h.collector.url + '/v1/events', options: o.options ?? OPTIONS, head: o.head, reportErrorsTo: h.errorsUrl }));
    const p = await h.engine.newPage();
    await p.goto(h.collector.url + path);
    return p;
  };
  const mine = (tag: string) => h.collector.events.filter((e) => e.properties?.tag === tag);
  const track = (p: EnginePage, tag: string, n: number) =>
    p.evaluate(
      async ([tag, n]) => {
        for (let i = 0; i < n; i++) {
          (window as any).tracker.track('engine_event', { tag, i });
          if (i % 20 === 19) await new Promise((r) => setTimeout(r, 10));
        }
      },
      [tag, n] as [string, number],
    );
  const restart = (m: typeof mode) => ((mode = m), (h.collector.requests.length = 0));

  it('delivers a volume of events once each, in batches within maxEvents', async () => {
    restart('ok');
    const p = await open();
    await track(p, 'volume', 300);
    await waitFor('300 events', () => new Set(mine('volume').map((e) => e.eventId)).size >= 300, 30_000);
    expect([...idCounts(mine('volume')).values()].every((n) => n === 1)).toBe(true);
    const batches = h.collector.delivered.filter((r) => r.events.some((e) => e.properties?.tag === 'volume'));
    expect(batches.length).toBeGreaterThanOrEqual(12);
    expect(batches.every((r) => r.events.length <= 25)).toBe(true);
    expect(await p.evaluate(() => (window as any).errors)).toEqual([]);
    await p.close();
  });

  it('delivers every event through 500s and reset connections, backing off between attempts', async () => {
    restart('storm');
    const p = await open();
    await track(p, 'storm', 100);
    await waitFor('100 events through the storm', () => new Set(mine('storm').map((e) => e.eventId)).size >= 100, 60_000);
    const lost = new Set(h.collector.requests.filter((r) => r.status === 'drop').flatMap((r) => r.events.map((e) => e.eventId)));
    expect(lost.size).toBeGreaterThan(0);
    // A duplicate only of what a reset connection carried: its answer never came.
    for (const [id, n] of idCounts(mine('storm'))) if (n > 1) expect(lost.has(id)).toBe(true);
    // Backoff, not a tight loop: after a 500 the next request waits at least the 100 ms floor.
    const after500 = h.collector.requests.filter((r, i) => i > 0 && h.collector.requests[i - 1].status === 500);
    expect(after500.length).toBeGreaterThan(1);
    for (const r of after500) expect(r.at - h.collector.requests[h.collector.requests.indexOf(r) - 1].at).toBeGreaterThanOrEqual(90);
    expect((await p.evaluate(() => (window as any).errors)).some((e: any) => e.code === 'sink_failed')).toBe(true);
    await p.close();
  });

  it('waits as long as Retry-After asks after a 429', async () => {
    restart('retry-after');
    const p = await open({ options: '{ batch: { flushIntervalMs: 100 }, retry: { baseMs: 10, maxMs: 20 } }' });
    await track(p, 'retry-after', 1);
    await waitFor('delivery after the 429', () => mine('retry-after').length > 0, 20_000);
    const [first, second] = h.collector.requests;
    expect(first.status).toBe(429);
    expect(second.at - first.at).toBeGreaterThanOrEqual(950);
    await p.close();
  });

  it('delivers every event of two tabs tracking at once, one tab sending at a time', async () => {
    restart('slow');
    const tabs = [await open({ path: '/tabs.html' }), await open({ path: '/tabs.html' })];
    // (Classic WebDriver runs one script at a time: in WebKit the tabs track one after the other,
    // each then draining the one queue.)
    await Promise.all(tabs.map((p, tab) => track(p, `tab-${tab}`, 100)));
    await waitFor('200 events of two tabs', () => new Set([...mine('tab-0'), ...mine('tab-1')].map((e) => e.eventId)).size >= 200, 60_000);
    // Every answer came back, so nothing was sent twice, and no two drains overlapped.
    expect([...idCounts([...mine('tab-0'), ...mine('tab-1')]).values()].every((n) => n === 1)).toBe(true);
    expect(h.collector.requests.filter((r) => r.inflight > 1)).toEqual([]);
    for (const p of tabs) await p.close();
  });

  for (const [broken, script] of [
    ['missing', "Object.defineProperty(window, 'indexedDB', { value: undefined });"],
    // Firefox private windows: open() fails with InvalidStateError.
    ['open fails', "IDBFactory.prototype.open = function () { const r = {}; setTimeout(() => { r.error = new DOMException('no', 'InvalidStateError'); r.onerror && r.onerror({ target: r }); }, 5); return r; };"],
  ]) {
    it(`delivers from memory and says so once when IndexedDB is unusable (${broken})`, async () => {
      restart('ok');
      const p = await open({ head: `<script>${script}</script>` });
      await track(p, `idb-${broken}`, 25);
      await waitFor('25 events from memory', () => mine(`idb-${broken}`).length >= 25, 20_000);
      const [errors, stats] = await p.evaluate(() => [(window as any).errors, (window as any).tracker.stats()]);
      expect(errors.map((e: any) => e.code)).toEqual(['storage_unavailable']);
      expect(stats.storage).toBe('memory');
      await p.close();
    });
  }

  it('holds events in memory while consent is pending, sends them once granted, and drops them when denied', async () => {
    restart('ok');
    // What the page stored under its appId: IndexedDB databases and localStorage keys.
    const stored = (p: EnginePage, appId: string) =>
      p.evaluate(async (id) => ({ dbs: (await indexedDB.databases()).map((d) => d.name).filter((n) => n?.includes(id)), keys: Object.keys(localStorage).filter((k) => k.includes(id)) }), appId);
    const granted = await open({ options: "{ appId: 'consent-granted', consent: 'pending', batch: { flushIntervalMs: 100 } }" });
    await granted.evaluate(async () => {
      (window as any).tracker.track('before_consent', { tag: 'consent' });
      await (window as any).tracker.flush();
    });
    const denied = await open({ options: "{ appId: 'consent-denied', consent: 'pending', batch: { flushIntervalMs: 100 } }" });
    const stats = await denied.evaluate(async () => {
      const t = (window as any).tracker;
      t.track('held_then_denied', { tag: 'consent' });
      t.setConsent('denied');
      t.track('after_denied', { tag: 'consent' });
      await t.flush();
      return t.stats();
    });
    expect(stats).toMatchObject({ tracked: 1 });
    expect(h.collector.requests).toHaveLength(0);
    expect(await stored(granted, 'consent-granted')).toEqual({ dbs: [], keys: [] });
    await granted.evaluate(() => (window as any).tracker.setConsent('granted'));
    await waitFor('the held event', () => mine('consent').length > 0);
    await denied.evaluate(() => (window as any).tracker.flush());
    expect(mine('consent').map((e) => e.name)).toEqual(['before_consent']);
    expect(await stored(denied, 'consent-denied')).toEqual({ dbs: [], keys: [] });
    await granted.close();
    await denied.close();
  });

  it('delivers events tracked while the network is down once it is back', async () => {
    restart('ok');
    const relay = await deadSwitch(h.collector.port);
    try {
      h.collector.page('/offline.html', trackerPage({ url: relay.url + '/v1/events', options: "{ appId: 'offline', batch: { flushIntervalMs: 200 }, retry: { baseMs: 100, maxMs: 1000 } }" }));
      const p = await h.engine.newPage();
      await p.goto(relay.url + '/offline.html');
      await p.evaluate(() => (window as any).tracker.flush());
      // The engine's own switch where it has one; the dead relay everywhere.
      const emulated = await h.engine.setOffline(true);
      relay.setDead(true);
      await track(p, 'offline', 30);
      expect(await p.evaluate(() => (window as any).tracker.flush())).toMatchObject({ sent: 0, queued: 30 });
      if (emulated) expect(await p.evaluate(() => navigator.onLine)).toBe(false);
      expect(mine('offline')).toHaveLength(0);
      relay.setDead(false);
      await h.engine.setOffline(false);
      await waitFor('30 events after the network came back', () => new Set(mine('offline').map((e) => e.eventId)).size >= 30, 30_000);
      expect([...idCounts(mine('offline')).values()].every((n) => n === 1)).toBe(true);
      await p.close();
    } finally {
      relay.setDead(false);
      await relay.close();
    }
  });

  it('raised no uncaught error in any page', () => {
    expect(h.errors()).toEqual([]);
  });
});
