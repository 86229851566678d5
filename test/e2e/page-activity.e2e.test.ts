import { describe, expect, it } from 'vitest';
import { browserAvailable, waitFor } from '../support/browser';
import { useBrowserAndCollector } from '../support/harness';
import { eventsUntil, freshAppId, pluginBundle, pluginPage } from '../support/plugin-page';

describe.runIf(browserAvailable())('scrollDepth(), engagement() and siteSearch() in Chromium', () => {
  const h = useBrowserAndCollector({}, { setup: async (c) => c.page('/ct.js', await pluginBundle(), 'text/javascript') });
  const open = async (path: string, plugins: string, body?: string) => {
    const after = 'window.startedAt = performance.now();';
    h.collector.page(path.split('?')[0], pluginPage({ url: h.collector.url + '/collect', appId: freshAppId(), plugins, body, after }));
    const page = await h.browser.context.newPage();
    await page.goto(h.collector.url + path);
    return page;
  };

  it('sends each scroll milestone once per page and starts again after a client-side navigation', async () => {
    const page = await open('/long.html', '[clicktrail.pageViews(), clicktrail.scrollDepth()]', '<div style="height:10000px">long</div>');
    const scrollTo = (f: number) =>
      page.evaluate(async (f) => {
        const y = (document.documentElement.scrollHeight - innerHeight) * f;
        await new Promise((r) => {
          addEventListener('scroll', r, { once: true });
          window.scrollTo(0, y);
        });
      }, f);
    await scrollTo(0.2);
    await scrollTo(0.5);
    await scrollTo(0.1); // back up: nothing new
    await scrollTo(1);
    await scrollTo(0.6); // and down again: nothing new
    await page.evaluate(() => history.pushState({}, '', '/long-2.html'));
    await scrollTo(0.5);
    await page.evaluate(() => (window as any).tracker.track('done_scroll'));
    const events = await eventsUntil(h.collector, 'done_scroll');
    expect(events.map((e) => (e.name === 'scroll_depth' ? e.properties.percent : e.name + ' ' + e.page.path))).toEqual([
      'page_view /long.html',
      25,
      50,
      75,
      90,
      100,
      'page_view /long-2.html',
      25,
      50,
    ]);
  });

  it('sends no scroll_depth when only an inner overflow:auto element scrolls (short page, app shell)', async () => {
    const inner = '<div id="box" style="height:100px;overflow:auto"><div style="height:2000px">tall</div></div>';
    const shell =
      '<style>html,body{height:100%;overflow:hidden;margin:0}#main{height:100%;overflow:auto}</style><div id="main"><div style="height:10000px">app</div></div>';
    for (const [path, body, sel] of [['/inner.html', inner, '#box'], ['/shell.html', shell, '#main']]) {
      const page = await open(path, '[clicktrail.scrollDepth()]', body);
      await page.evaluate(async (s) => {
        const el = document.querySelector(s)!;
        for (const f of [0.3, 0.6, 1]) {
          await new Promise((r) => {
            el.addEventListener('scroll', r, { once: true });
            el.scrollTop = (el.scrollHeight - el.clientHeight) * f;
          });
        }
      }, sel);
      const m = 'done' + path.replace(/\W/g, '_');
      await page.evaluate((n) => (window as any).tracker.track(n), m);
      expect((await eventsUntil(h.collector, m)).map((e) => e.name)).toEqual([]);
      await page.close();
    }
  });

  it('reports engaged time when the shopper leaves a page client-side and when the page is hidden', async () => {
    const page = await open('/engaged.html', '[clicktrail.engagement()]');
    await page.mouse.move(20, 20);
    await page.waitForFunction(() => performance.now() - (window as any).startedAt > 600);
    await page.evaluate(() => history.pushState({}, '', '/engaged-2.html'));
    await page.mouse.move(30, 30);
    const session = await page.evaluate(() => (window as any).tracker.ids().sessionId);
    // Leaving the page hides it (visibilitychange, pagehide): the report goes out with the unload send.
    await page.goto(h.collector.url + '/ct.js');
    const events = await waitFor('two user_engagement events', () => {
      // Delivery is at least once (the unload send may repeat a batch in flight): one per eventId.
      const byId = new Map(h.collector.events.filter((x) => x.sessionId === session && x.name === 'user_engagement').map((x) => [x.eventId, x]));
      return byId.size >= 2 && [...byId.values()].sort((a, b) => a.seq - b.seq);
    });
    expect(events.map((e) => e.page.path)).toEqual(['/engaged.html', '/engaged-2.html']);
    expect(events[0].properties.engagedMs).toBeGreaterThanOrEqual(500);
    expect(events[1].properties.engagedMs).toBeGreaterThan(0);
    await page.close();
  });

  it('sends search with search_term and searchTerm once per distinct term, also after client-side navigation', async () => {
    const page = await open('/search?q=red+shoes&utm_source=x', '[clicktrail.pageViews(), clicktrail.siteSearch()]');
    // A fragment change is a page view (pageViews' default) but not a new search.
    await page.evaluate(() => history.replaceState({}, '', '/search?q=red+shoes&utm_source=x#results'));
    await page.evaluate(() => history.pushState({}, '', '/search?q=blue%20hats'));
    await page.evaluate(() => history.pushState({}, '', '/search?keyword=me%40example.org'));
    await page.evaluate(() => history.pushState({}, '', '/cart'));
    await page.evaluate(() => (window as any).tracker.track('done_search'));
    const events = await eventsUntil(h.collector, 'done_search');
    expect(events.map((e) => (e.name === 'search' ? e.properties.search_term : e.name))).toEqual([
      'page_view',
      'red shoes',
      'page_view',
      'page_view',
      'blue hats',
      'page_view',
      '[email]',
      'page_view',
    ]);
    // The same term under GA4's name and the issue's.
    for (const e of events.filter((x) => x.name === 'search')) expect(e.properties).toEqual({ search_term: e.properties.search_term, searchTerm: e.properties.search_term });
    await page.close();
  });

  it('reads custom search parameters and reports a bad params option', async () => {
    const page = await open('/find?term=lamp&q=ignored', "[clicktrail.siteSearch({ params: ['term'] }), clicktrail.siteSearch({ params: 'q' })]");
    await page.evaluate(() => (window as any).tracker.track('done_params'));
    const events = await eventsUntil(h.collector, 'done_params');
    // The second plugin fell back to the default names and found q.
    expect(events.map((e) => e.properties.search_term).filter(Boolean).sort()).toEqual(['ignored', 'lamp']);
    expect(await page.evaluate(() => (window as any).errors.map((e: any) => e.code))).toEqual(['invalid_option']);
    await page.close();
  });
});
