import { describe, expect, it } from 'vitest';
import { waitFor } from '../support/browser';
import { idCounts } from '../support/collector';
import { ENGINES, engineAvailable, type EngineName, type EnginePage } from '../support/engines';
import { useEngine } from '../support/engines/harness';
import { trackerPage } from '../support/pages';

// A flush interval far away, so only the page-hide path or the next page view can deliver.
const OPTIONS = "{ appId: 'unload', batch: { flushIntervalMs: 600000, maxEvents: 500 } }";
const RUNS = 3; // same-origin navigations measured per engine and variant
const TRACKED = 50; // events tracked before each

const NO_NAVIGATION_API = "<script>Object.defineProperty(window, 'navigation', { value: undefined, configurable: true });</script>";
const VARIANTS = ['as shipped', 'no Navigation API'] as const;
type Variant = (typeof VARIANTS)[number];

/** What each engine did with the events of a same-origin link navigation, for the report. */
export interface SameOriginFigures {
  runs: number;
  tracked: number;
  received: number;
  duplicates: number;
  lost: number;
  /** Events sent by the page being left, not by the next page; duplicates included. */
  byLeavingPage: number;
}

describe.each(ENGINES.filter(engineAvailable))('%s: events tracked just before the page goes away', (name: EngineName) => {
  let blocked = false;
  const h = useEngine(name, { respond: () => (blocked ? 503 : undefined) });
  let page = 0;
  // A page of the shop and the page its #next link opens. The next page's sink marks its
  // requests with a header (the page-hide path sends none), so the collector tells them apart.
  const shop = (o = OPTIONS, head = '') => {
    const path = `/shop-${++page}.html`;
    const sink = (by: string) => `clicktrail.httpSink({ url: ${JSON.stringify(h.collector.url + '/v1/events')}, headers: { 'X-Api-Key': '${by}' } })`;
    const at = (p: string, by: string) =>
      h.collector.page(p, trackerPage({ url: '', sink: sink(by), options: o, head, reportErrorsTo: h.errorsUrl, body: `<a id="next" href="${path}-next">next page</a>` }));
    at(path, 'first');
    at(`${path}-next`, 'next');
    return h.collector.url + path;
  };
  // No new request for half a second: what was on its way has arrived.
  const settled = async () => {
    let seen = -1;
    await waitFor('the requests to stop coming', async () => {
      const n = h.collector.requests.length;
      const still = n === seen;
      seen = n;
      await new Promise((r) => setTimeout(r, 500));
      return still;
    }, 15_000);
  };
  const tagged = (tag: string) => h.collector.received.filter((e) => e.properties?.tag === tag);
  // The start-up drain is over, so nothing is on the wire when the page goes.
  const ready = async (p: EnginePage, url: string) => (await p.goto(url), await p.evaluate(() => (window as any).tracker.flush()));
  const burst = (p: EnginePage, tag: string, n: number) =>
    p.evaluate(([tag, n]) => {
      for (let i = 0; i < n; i++) (window as any).tracker.track('last_moment', { tag, i });
    }, [tag, n] as [string, number]);

  it('delivers events tracked just before the tab closes, at close', async () => {
    const url = shop();
    const p = await h.engine.newPage();
    await ready(p, url);
    await burst(p, 'close', 40);
    await p.close();
    const count = () => new Set(tagged('close').map((e) => e.properties.i)).size;
    await waitFor('40 events sent at close', () => count() >= 40, 15_000).catch(() => undefined);
    const atClose = count();
    console.log(`[engines] ${name}: events kept at close ${atClose}/40, received ${tagged('close').length}`);
    if (atClose < 40) {
      // Not lost, though: what did not go at close goes from the next page view.
      const again = await h.engine.newPage();
      await again.goto(url);
      await waitFor('the rest from the next page view', () => count() >= 40, 15_000).catch(() => undefined);
      console.log(`[engines] ${name}: after the next page view ${count()}/40`);
      await again.close();
    }
    expect(count()).toBe(40);
    // Firefox closed over WebDriver BiDi sent nothing at all at close in 3 of about 25 runs here
    // (cause not found: engine or driver); in the runs that checked, all came from the next page view. So
    // there it is measured and printed, and asserted in the two other engines.
    if (name !== 'firefox') expect(atClose).toBe(40);
    expect(h.errors()).toEqual([]);
  });

  // Keepalive budgets differ: Chromium and WebKit refuse keepalive requests past 64 KB in
  // flight, Firefox takes more. What does not fit must wait for the next page view, not be lost.
  it('delivers about 120 KB tracked just before the tab closes: what fits at close, the rest from the next page view', async () => {
    const url = shop("{ appId: 'budget', batch: { flushIntervalMs: 600000, maxEvents: 500 } }");
    const p = await h.engine.newPage();
    await ready(p, url);
    await p.evaluate(() => {
      for (let i = 0; i < 140; i++) (window as any).tracker.track('last_moment', { tag: 'budget', i, pad: 'x'.repeat(800) });
    });
    await p.close();
    const count = () => new Set(tagged('budget').map((e) => e.properties.i)).size;
    // Whatever the engine let go at close has arrived once the requests stop coming.
    await settled();
    const atClose = count();
    const again = await h.engine.newPage();
    await again.goto(url);
    await waitFor('all 140 events', () => count() >= 140, 20_000);
    console.log(`[engines] ${name}: 140 events (~120 KB) at close: ${atClose} sent at close, the rest from the next page view`);
    if (name !== 'firefox') expect(atClose).toBeGreaterThan(0); // Firefox: see the test above
    await again.close();
  });

  it('delivers events that could not go out at close from the next page view of the shop', async () => {
    blocked = true; // the collector is down while the tab closes
    const url = shop("{ appId: 'reopen', batch: { flushIntervalMs: 600000 }, retry: { baseMs: 100, maxMs: 500 } }");
    const p = await h.engine.newPage();
    await ready(p, url);
    await burst(p, 'reopen', 15);
    await p.close();
    blocked = false;
    // A new tab of the same profile, not a new browser: WebKit's storage does not outlive a
    // WebDriver session, so "opened again" is a new tab in every engine.
    const again = await h.engine.newPage();
    await again.goto(url);
    await waitFor('15 events from the next page view', () => new Set(h.collector.events.filter((e) => e.properties?.tag === 'reopen').map((e) => e.eventId)).size >= 15, 20_000);
    expect(new Set(h.collector.events.filter((e) => e.properties?.tag === 'reopen').map((e) => e.properties.i)).size).toBe(15);
    await again.close();
  });

  it('delivers events tracked just before leaving for another site', async () => {
    const p = await h.engine.newPage();
    await ready(p, shop());
    // localhost and 127.0.0.1 are different origins: no page of this shop loads next.
    const away = h.collector.url.replace('127.0.0.1', 'localhost') + '/elsewhere.html';
    h.collector.page('/elsewhere.html', '<!doctype html><title>elsewhere</title><p>another site</p>');
    await p.evaluate((url) => {
      for (let i = 0; i < 10; i++) (window as any).tracker.track('last_moment', { tag: 'cross-site', i });
      location.href = url;
    }, away);
    await waitFor('10 events sent on navigation', () => new Set(tagged('cross-site').map((e) => e.properties.i)).size >= 10, 15_000);
    await p.close();
  });

  // Measured once per engine and variant, shared by the tests below. "no Navigation API" hides
  // it from the page, as Firefox before 147 (140 ESR) and Safari before 26 lack it.
  const measured = new Map<string, Promise<SameOriginFigures>>();
  const measure = (variant: Variant) => {
    if (!measured.has(variant)) measured.set(variant, sameOrigin(variant));
    return measured.get(variant)!;
  };
  async function sameOrigin(variant: Variant): Promise<SameOriginFigures> {
    const f: SameOriginFigures = { runs: RUNS, tracked: RUNS * TRACKED, received: 0, duplicates: 0, lost: 0, byLeavingPage: 0 };
    const head = variant === 'no Navigation API' ? NO_NAVIGATION_API : '';
    const p = await h.engine.newPage();
    for (let run = 0; run < RUNS; run++) {
      const tag = `same-origin-${variant}-${run}`;
      const url = shop(OPTIONS, head);
      await ready(p, url);
      await burst(p, tag, TRACKED);
      await p.click('#next'); // a real click on a same-origin link
      await waitFor('the next page', async () => (await p.url()).endsWith('-next') && (await p.evaluate(() => document.readyState === 'complete' && !!(window as any).tracker)), 15_000);
      await waitFor(`${TRACKED} events of run ${run}`, () => new Set(tagged(tag).map((e) => e.eventId)).size >= TRACKED, 15_000).catch(() => undefined);
      // Give a duplicate every chance to show up: the next page's own drain, to its end, and
      // any request of the page left still on its way.
      await p.evaluate(() => (window as any).tracker.flush());
      await settled();
      const got = tagged(tag);
      const unique = new Set(got.map((e) => e.eventId)).size;
      f.received += got.length;
      f.duplicates += got.length - unique;
      f.lost += TRACKED - unique;
      f.byLeavingPage += h.collector.requests.filter((r) => r.headers['x-api-key'] !== 'next').flatMap((r) => r.events).filter((e) => e.properties?.tag === tag).length;
    }
    await p.close();
    const rate = ((100 * f.duplicates) / f.tracked).toFixed(1);
    console.log(
      `[engines] ${name} (${variant}): same-origin link navigation, ${f.runs} runs x ${TRACKED} events: lost ${f.lost}, duplicates ${f.duplicates} (${rate}%), ${f.byLeavingPage} sent by the page being left`,
    );
    return f;
  }

  for (const variant of VARIANTS) {
    it(`loses no event tracked just before a same-origin link navigation (${variant})`, async () => {
      const f = await measure(variant);
      expect(f.lost).toBe(0);
      expect(h.errors()).toEqual([]);
    });
  }

  // Issue 10's target for the SDK: in every engine, with or without the Navigation API, at most
  // 1% of the events tracked before a same-origin link navigation arrive twice.
  for (const variant of VARIANTS) {
    it(`sends at most 1% of the events tracked before a same-origin link navigation twice (${variant})`, async () => {
      const f = await measure(variant);
      expect(f.duplicates / f.tracked).toBeLessThanOrEqual(0.01);
    });
  }
});
