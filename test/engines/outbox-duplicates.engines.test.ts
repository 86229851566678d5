import { describe, expect, it } from 'vitest';
import { waitFor } from '../support/browser';
import { duplicateFigures, pageLives, type DuplicateFigures } from '../support/collector';
import { ENGINES, engineAvailable, type EngineName, type EnginePage } from '../support/engines';
import { useEngine } from '../support/engines/harness';
import { trackerPage } from '../support/pages';

// Issue 11's target: no duplicate that a lost answer does not explain, in the bfcache,
// aborted-drain and close cases, in every engine. The collector answers each batch 1.5 s late,
// so a batch is on the wire when the page goes; it records whether each answer got out before
// the connection closed, and the pages beacon their pagehide and pageshow, so that an answer
// that went out after its page had gone counts as lost too (see duplicateFigures).
const DELAY_MS = 1500;
const OPTIONS = (maxEvents: number) =>
  `{ appId: 'dups', batch: { maxEvents: ${maxEvents}, flushIntervalMs: 50 }, retry: { baseMs: 100, maxMs: 500 }, onError: function (e) { errors.push({ code: e.code }); __ctReport('report ' + e.code + ': ' + e.message); } }`;

// WebKit runs this file only with ENGINES_WEBKIT_HISTORY=1 (as `npx vitest run --project engines
// test/engines/outbox-duplicates.engines.test.ts`): in about 1 run of 8 its WebDriver session
// stops answering after the history navigation across origins, and every test of the file then
// times out at 120 s (a harness hang, seen in a fresh-clone CI run; its results, when it answers,
// are in the README's browser table).
const engines = ENGINES.filter(engineAvailable).filter((n) => n !== 'webkit' || process.env.ENGINES_WEBKIT_HISTORY);

describe.each(engines)('%s: duplicates only from a lost answer', (name: EngineName) => {
  const lives = pageLives();
  // bfcache: Playwright turns Chromium's back/forward cache off unless asked.
  const h = useEngine(name, { respond: () => ({ status: 200, delayMs: DELAY_MS }), routes: { '/life': lives.route } }, { bfcache: true });
  const events = () => h.collector.url + '/v1/events';
  // A shop page; `cache` 'max-age=0' lets it into the back/forward cache, no-store keeps it out.
  const shop = (path: string, maxEvents: number, next = '', cache?: string) =>
    h.collector.page(
      path,
      trackerPage({
        url: '',
        sink: `clicktrail.httpSink({ url: ${JSON.stringify(events())} + '?page=' + __page })`,
        options: OPTIONS(maxEvents),
        head: lives.script(h.collector.url + '/life'),
        reportErrorsTo: h.errorsUrl,
        body: `<a id="next" href="${next}">next</a>`,
      }),
      undefined,
      cache,
    );
  const tagged = (tag: string) => h.collector.requests.filter((r) => r.events.some((e) => e.properties?.tag === tag));
  const delivered = (tag: string) => new Set(h.collector.events.filter((e) => e.properties?.tag === tag).map((e) => e.eventId)).size;
  const track = (p: EnginePage, tag: string, n: number) =>
    p.evaluate(([tag, n]) => {
      for (let i = 0; i < n; i++) (window as any).tracker.track('dup_probe', { tag, i });
      return (window as any).__page as string;
    }, [tag, n] as [string, number]);
  const onTheWire = (tag: string) => waitFor(`a batch of ${tag} on the wire`, () => tagged(tag).some((r) => r.answer === 'pending'), 15_000);
  // Every answer out or lost, and no new request for a second: nothing more is on its way.
  async function settled() {
    let seen = -1;
    await waitFor('the collector to settle', async () => {
      const n = h.collector.requests.length;
      const still = n === seen && !h.collector.requests.some((r) => r.answer === 'pending');
      seen = n;
      await new Promise((r) => setTimeout(r, 1000));
      return still;
    }, 30_000);
  }
  const reports = () => h.errors().filter((e) => e.includes('report '));
  const line = (what: string, f: DuplicateFigures, more = '') =>
    console.log(
      `[engines] ${name}: ${what}: accepted ${f.accepted}, delivered ${f.delivered}, once ${f.deliveredOnce}, duplicated ${f.duplicated}, unexplained ${f.unexplained}, acks ${f.acks}${more}`,
    );
  // On an unexplained copy: each request of the tag and each page's life, in ms from the first.
  function dump(tag: string) {
    const rs = tagged(tag);
    const t0 = rs[0]?.at ?? 0;
    const pages = new Set(rs.map(lives.pageOf));
    for (const r of rs) {
      const ids = new Set(r.events.map((e) => e.eventId));
      const again = rs.filter((o) => o.n < r.n && o.events.some((e) => ids.has(e.eventId))).map((o) => '#' + o.n);
      console.log(`  #${r.n} page ${lives.pageOf(r)} ${r.events.length} events at ${r.at - t0} ${r.answer} at ${(r.settledAt ?? t0) - t0} reached ${lives.reached(r)}${again[0] ? ', copies of ' + again.join(' ') : ''}`);
    }
    for (const l of lives.log) if (pages.has(l.page)) console.log(`  page ${l.page} ${l.type}${l.persisted ? ' persisted' : ''} at ${l.at - t0}`);
  }

  // To another origin (localhost is not 127.0.0.1) and back: the page id tells a page restored
  // from the back/forward cache (the same instance) from a fresh load.
  async function awayAndBack(p: EnginePage, page: string) {
    await p.goto(h.collector.url.replace('127.0.0.1', 'localhost') + '/elsewhere.html');
    await p.evaluate(() => void setTimeout(() => history.back(), 0));
    const back = () => p.evaluate(() => document.readyState === 'complete' && !!(window as any).tracker && (window as any).__page as string).catch(() => '');
    const again = await waitFor('the shop page back', back, 20_000);
    const why = again !== page && name === 'chromium' ? await p.evaluate(() => JSON.stringify((performance.getEntriesByType('navigation')[0] as any).notRestoredReasons)) : '';
    return { again, restored: again === page, why };
  }
  const bfShop = () => {
    h.collector.page('/elsewhere.html', '<!doctype html><title>elsewhere</title><p>another site</p>', undefined, 'max-age=0');
    shop('/bf-shop.html', 50, '', 'max-age=0'); // no-store pages are kept out of the bfcache
  };

  it('restores the shop page from the back/forward cache when nothing is on the wire', async () => {
    bfShop();
    const p = await h.engine.newPage();
    await p.goto(h.collector.url + '/bf-shop.html?idle');
    await p.evaluate(() => (window as any).tracker.flush());
    const { restored, why } = await awayAndBack(p, await p.evaluate(() => (window as any).__page as string));
    await p.close();
    console.log(`[engines] ${name}: an idle shop page restored from bfcache ${restored}${why ? ' ' + why : ''}`);
    expect(restored).toBe(true);
  });

  // Firefox 140 keeps a page with a request in flight out of the back/forward cache (a bare
  // pending fetch() is enough, and so is a held Web Lock: the drain holds one while its batch is
  // on the wire), so there the case is a plain unload and reload; Chromium and WebKit keep it.
  const keeps = name !== 'firefox';
  it(`sends no batch twice when a page with a batch on the wire leaves for another origin and comes back (${keeps ? 'restored from' : 'kept out of'} the back/forward cache)`, async () => {
    const N = 120;
    bfShop();
    // Chromium may decline to cache a page under memory pressure ("masked"): up to 3 attempts.
    for (let attempt = 1; ; attempt++) {
      const tag = `bfcache-${attempt}`;
      const p = await h.engine.newPage();
      await p.goto(h.collector.url + '/bf-shop.html?' + attempt);
      await p.evaluate(() => (window as any).tracker.flush());
      const page = await track(p, tag, N);
      await onTheWire(tag);
      const { again, restored, why } = await awayAndBack(p, page);
      await waitFor(`the ${N} events`, () => delivered(tag) >= N, 45_000).catch(() => undefined);
      await p.evaluate(() => (window as any).tracker.flush());
      await settled();
      await p.close();
      lives.gone(again);
      const f = duplicateFigures(h.collector.requests, tag, N, lives.reached);
      line('bfcache (another origin and back, a batch on the wire)', f, `, restored from bfcache ${restored}${why ? ' ' + why : ''}`);
      if (f.unexplained) dump(tag);
      expect(f.delivered).toBe(N);
      expect(f.unexplained).toBe(0);
      if (restored === keeps || attempt === 3) {
        expect(restored).toBe(keeps);
        break;
      }
    }
  });

  // WebKit once failed this in about 1 run of 6: the page left sat in its page cache with an
  // IndexedDB transaction open, and the next page's open got no answer (the outbox now commits
  // every transaction at once; 8 of 8 runs after).
  it('sends again only what a same-origin link navigation cut off while a drain was on the wire', async () => {
    const RUNS = 4;
    const N = 20;
    shop('/drain-a.html', 10, '/drain-b.html');
    shop('/drain-b.html', 10, '/drain-a.html');
    const p = await h.engine.newPage();
    await p.goto(h.collector.url + '/drain-a.html');
    await p.evaluate(() => (window as any).tracker.flush());
    for (let run = 0; run < RUNS; run++) {
      const tag = `drain-${run}`;
      const page = await track(p, tag, N);
      await onTheWire(tag);
      await p.click('#next');
      await waitFor('the next page', async () => {
        const id = await p.evaluate(() => document.readyState === 'complete' && (window as any).__page as string).catch(() => '');
        return !!id && id !== page;
      }, 15_000);
      lives.gone(page);
      const all = await waitFor(`the ${N} events of run ${run}`, () => delivered(tag) >= N, 45_000).catch(() => false);
      if (!all) {
        // Why the next page did not send them: the locks it waits for, its storage and counts.
        console.log(`[engines] ${name}: run ${run}: ${delivered(tag)} of ${N} after 45 s; locks ${JSON.stringify(await p.evaluate(() => navigator.locks.query()))}, stats ${JSON.stringify(await p.evaluate(() => (window as any).tracker.stats()))}`);
        dump(tag);
        break; // the figures below show the shortfall
      }
    }
    await p.evaluate(() => (window as any).tracker.flush());
    await settled();
    await p.close();
    const sum: DuplicateFigures = { accepted: 0, delivered: 0, deliveredOnce: 0, duplicated: 0, unexplained: 0, acks: 0, pending: 0 };
    for (let run = 0; run < RUNS; run++) {
      const f = duplicateFigures(h.collector.requests, `drain-${run}`, N, lives.reached);
      for (const k of Object.keys(sum) as Array<keyof DuplicateFigures>) sum[k] += f[k];
      if (f.unexplained) dump(`drain-${run}`);
    }
    const failed = reports().filter((r) => r.includes('sink_failed'));
    line(`aborted drain (same-origin link, ${RUNS} runs)`, sum, `, sink_failed reports ${failed.length}`);
    expect(sum.delivered).toBe(RUNS * N);
    expect(sum.unexplained).toBe(0);
    expect(failed).toEqual([]);
  });

  it('sends again only what closing the tab cut off, when the shop is opened again', async () => {
    const N = 30;
    shop('/close-shop.html', 10);
    const p = await h.engine.newPage();
    await p.goto(h.collector.url + '/close-shop.html');
    await p.evaluate(() => (window as any).tracker.flush());
    // 10 on the wire, 20 waiting for the drain: both kinds are there when the tab closes.
    const page = await track(p, 'close', N);
    await onTheWire('close');
    await p.close();
    lives.gone(page);
    const atClose = new Set(h.collector.received.filter((e) => e.properties?.tag === 'close').map((e) => e.eventId)).size;
    const q = await h.engine.newPage();
    await q.goto(h.collector.url + '/close-shop.html');
    await waitFor(`the ${N} events`, () => delivered('close') >= N, 45_000).catch(() => undefined);
    await q.evaluate(() => (window as any).tracker.flush());
    await settled();
    await q.close();
    const f = duplicateFigures(h.collector.requests, 'close', N, lives.reached);
    if (f.unexplained) dump('close');
    line('close (tab closed with a batch on the wire and more waiting, opened again)', f, `, received before reopening ${atClose}`);
    expect(f.delivered).toBe(N);
    expect(f.unexplained).toBe(0);
  });
});
