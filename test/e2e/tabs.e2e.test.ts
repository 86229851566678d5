import { describe, expect, it } from 'vitest';
import { browserAvailable, waitFor } from '../support/browser';
import { idCounts } from '../support/collector';
import { useBrowserAndCollector } from '../support/harness';
import { trackerPage } from '../support/pages';

const OPTIONS = '{ batch: { maxEvents: 20, flushIntervalMs: 300 }, retry: { baseMs: 100, maxMs: 500 } }';

describe.runIf(browserAvailable())('three tabs of one shop tracking at once', () => {
  const h = useBrowserAndCollector({
      // A slow collector that loses every seventh answer: overlapping drains would show.
      respond: ({ n }) => (n % 7 === 0 ? 'drop' : { status: 200, delayMs: 40 }),
    });

  for (const locks of [true, false]) {
    // Every supported engine has Web Locks; without them tabs drain uncoordinated by design:
    // an event may then arrive twice, but none is lost.
    it(locks ? 'delivers every event once but for lost answers, one tab flushing at a time (Web Locks)' : 'loses no event without navigator.locks, the tabs draining uncoordinated', async () => {
      h.collector.requests.length = 0;
      const tag = locks ? 'locks' : 'lease';
      const head = locks ? '' : "<script>Object.defineProperty(navigator, 'locks', { value: undefined });</script>";
      h.collector.page(`/${tag}.html`, trackerPage({ url: h.collector.url + '/v1/events', options: OPTIONS, head }));
      const pages = await Promise.all([0, 1, 2].map(() => h.browser.context.newPage()));
      for (const p of pages) await p.goto(`${h.collector.url}/${tag}.html`);
      expect(await pages[0].evaluate(() => !!navigator.locks)).toBe(locks);
      await Promise.all(
        pages.map((p, tab) =>
          p.evaluate(
            async ([tab, tag]) => {
              const t = (window as any).tracker;
              for (let i = 0; i < 150; i++) {
                t.track('tab_event', { tab, i, tag });
                if (i % 10 === 9) await new Promise((r) => setTimeout(r, 15));
              }
            },
            [tab, tag] as [number, string],
          ),
        ),
      );
      const mine = () => h.collector.events.filter((e) => e.properties?.tag === tag);
      await waitFor('450 distinct events', () => new Set(mine().map((e) => e.eventId)).size >= 450, 90_000);
      expect(new Set(mine().map((e) => `${e.properties.tab}:${e.properties.i}`)).size).toBe(450);
      if (!locks) return void (await Promise.all(pages.map((p) => p.close())));
      const lost = new Set(h.collector.requests.filter((r) => r.status === 'drop').flatMap((r) => r.events.map((e) => e.eventId)));
      for (const [id, n] of idCounts(mine() as any)) if (n > 1) expect(lost.has(id), `duplicate ${id} was not in a lost answer`).toBe(true);
      // One drain at a time across the tabs: the h.collector never had two batches in hand at once.
      const overlapping = h.collector.requests.filter((r) => r.inflight > 1 && r.events.some((e) => e.properties?.tag === tag));
      expect(overlapping).toEqual([]);
      // Each tab's events keep their order within every request.
      for (const r of h.collector.requests) {
        const seqs = r.events.filter((e) => e.properties?.tab === 0).map((e) => e.properties.i);
        expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
      }
      await Promise.all(pages.map((p) => p.close()));
    });
  }
});

describe.runIf(browserAvailable())('signing out in one of two tabs', () => {
  const h = useBrowserAndCollector();

  // Was a bug (kept as a regression test): reset() only removed the stored ids, so the other tab
  // wrote the old ones back with its next event, and the tab that signed out took them up again.
  it('gives both tabs the new ids, and an event in the other tab does not bring the old ones back', async () => {
    h.collector.page('/ids.html', trackerPage({ url: h.collector.url + '/v1/events' }));
    const [a, b] = await Promise.all([0, 1].map(() => h.browser.context.newPage()));
    for (const p of [a, b]) await p.goto(h.collector.url + '/ids.html');
    const ids = (p: typeof a) => p.evaluate(() => (window as any).tracker.ids());
    await a.evaluate(() => (window as any).tracker.identify('alice'));
    await a.evaluate(() => (window as any).tracker.flush());
    await waitFor('the other tab to see alice', async () => (await ids(b)).userId === 'alice');
    const before = await ids(a);

    await a.evaluate(() => (window as any).tracker.reset());
    const after = await ids(a);
    expect(after).toMatchObject({ userId: null });
    expect(after.anonymousId).not.toBe(before.anonymousId);
    expect(after.sessionId).not.toBe(before.sessionId);
    await waitFor('the other tab to take up the sign-out', async () => (await ids(b)).anonymousId === after.anonymousId);

    await b.evaluate(() => (window as any).tracker.track('b_after'));
    await b.evaluate(() => (window as any).tracker.flush());
    await a.evaluate(() => (window as any).tracker.track('a_after'));
    await a.evaluate(() => (window as any).tracker.flush());
    await a.reload();
    await a.evaluate(() => (window as any).tracker.track('a_reloaded'));
    await a.evaluate(() => (window as any).tracker.flush());
    const got = await waitFor('the three events', () => {
      const e = h.collector.events.filter((x) => /_after|_reloaded/.test(x.name));
      return e.length >= 3 && e;
    });
    for (const e of got) expect([e.name, e.anonymousId, e.userId, e.sessionId]).toEqual([e.name, after.anonymousId, null, after.sessionId]);
    expect(await a.evaluate(() => [(window as any).errors, (window as any).pageErrors])).toEqual([[], []]);
    await a.close();
    await b.close();
  });
});

describe.runIf(browserAvailable())('a tab whose sink never answers', () => {
  const h = useBrowserAndCollector();

  it('frees the drain lock after 60 s: the other tab then delivers the queue, and the stuck flush() resolves', async () => {
    const url = h.collector.url + '/v1/events';
    // Tab A's custom sink never settles; its clock is Playwright's, so 60 s pass at once.
    const hung = "{ name: 'hung', send: function () { window.sends = (window.sends || 0) + 1; return new Promise(function () {}); } }";
    h.collector.page('/hung.html', trackerPage({ url, sink: hung }));
    h.collector.page('/ok.html', trackerPage({ url }));
    const a = await h.browser.context.newPage();
    await a.clock.install();
    await a.goto(h.collector.url + '/hung.html');
    await a.evaluate(() => {
      const w = window as any;
      for (let i = 0; i < 5; i++) w.tracker.track('stuck_event', { i });
      w.tracker.flush().then((r: unknown) => (w.report = r));
    });
    await waitFor('tab A to hold the lock in a send', () => a.evaluate(() => (window as any).sends > 0));

    const b = await h.browser.context.newPage();
    await b.goto(h.collector.url + '/ok.html');
    expect(await b.evaluate(async () => (await navigator.locks.query()).held!.map((l) => l.name))).toContain('clicktrail:test');
    await b.evaluate(() => {
      const w = window as any;
      w.tracker.flush().then((r: unknown) => (w.report = r));
    });
    // Tab B's flush waits for the lock: nothing arrives while tab A's send hangs.
    await new Promise((r) => setTimeout(r, 1_000));
    expect(await b.evaluate(() => (window as any).report)).toBeUndefined();
    expect(h.collector.events.filter((e) => e.name === 'stuck_event')).toEqual([]);

    await a.clock.runFor(60_000);
    await waitFor('tab A flush() to resolve', () => a.evaluate(() => (window as any).report));
    expect(await a.evaluate(() => (window as any).report)).toMatchObject({ sent: 0, failed: 5 });
    expect(await a.evaluate(() => (window as any).errors)).toContainEqual({ code: 'sink_failed', message: expect.stringContaining('no answer within 60 s') });
    const report = await waitFor('tab B flush() to resolve', () => b.evaluate(() => (window as any).report));
    expect(report).toMatchObject({ sent: 5, failed: 0, queued: 0 });
    expect(h.collector.events.filter((e) => e.name === 'stuck_event').map((e) => e.properties.i).sort()).toEqual([0, 1, 2, 3, 4]);
    expect(await b.evaluate(() => [(window as any).errors, (window as any).pageErrors])).toEqual([[], []]);
    await a.close();
    await b.close();
  });
});

describe.runIf(browserAvailable())('a tab hidden while its writes are behind, and a second tab opening', () => {
  const h = useBrowserAndCollector();

  // Was a bug (kept as a regression test): the hidden tab's page-hide request was answered before
  // those events' IndexedDB write began, and the write put them back; the tab opening meanwhile
  // took the hidden tab's spill and wrote back events already delivered. Both sent events twice
  // though every request was answered.
  it('delivers each event once when every request is answered', async () => {
    h.collector.page('/backlog.html', trackerPage({ url: h.collector.url + '/v1/events', options: '{ batch: { flushIntervalMs: 200 } }' }));
    const a = await h.browser.context.newPage();
    await a.goto(h.collector.url + '/backlog.html');
    await a.evaluate(() => (window as any).tracker.flush());
    await a.evaluate(() => {
      for (let i = 0; i < 4000; i++) (window as any).tracker.track('backlog', { i });
      // The shopper switches to another tab right after.
      setTimeout(() => {
        Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
        document.dispatchEvent(new Event('visibilitychange'));
        (window as any).spilled = Object.keys(localStorage).some((k) => k.startsWith('clicktrail-spill'));
      }, 20);
    });
    await new Promise((r) => setTimeout(r, 300));
    const b = await h.browser.context.newPage();
    await b.goto(h.collector.url + '/backlog.html');
    // The scenario needs a spill at hide, i.e. writes still behind then.
    expect(await a.evaluate(() => (window as any).spilled)).toBe(true);
    await a.evaluate(() => {
      Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'visible' });
      document.dispatchEvent(new Event('visibilitychange'));
    });
    const mine = () => h.collector.events.filter((e) => e.name === 'backlog');
    await waitFor('4,000 distinct events', () => new Set(mine().map((e) => e.eventId)).size >= 4000, 60_000);
    await Promise.all([a, b].map((p) => p.evaluate(() => (window as any).tracker.flush())));
    expect(h.collector.requests.every((r) => r.status === 200)).toBe(true);
    expect([...idCounts(mine() as any).values()].filter((n) => n > 1)).toEqual([]);
    await a.close();
    await b.close();
  });
});
