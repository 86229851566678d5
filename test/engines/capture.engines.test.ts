import { describe, expect, it } from 'vitest';
import { waitFor } from '../support/browser';
import { ENGINES, engineAvailable, type EngineName } from '../support/engines';
import { useEngine } from '../support/engines/harness';
import { trackerPage } from '../support/pages';
import { eventsUntil, freshAppId } from '../support/plugin-page';

const BODY = `<nav><a id="spa-b" href="/spa/b">Shoes</a></nav>
<button id="buy" class="add-to-cart" data-ct-item-id="sku-42"><span>Add <em>to cart</em></span></button>
<script>
  // A client router: links change the URL with pushState, never load a page.
  document.getElementById('spa-b').addEventListener('click', function (e) { e.preventDefault(); history.pushState({}, '', this.href); document.title = 'Shoes'; });
</script>`;

describe.each(ENGINES.filter(engineAvailable))('%s: page views of a client-routed app and click capture', (name: EngineName) => {
  const h = useEngine(name);

  it('counts each view of a client-routed app once and records clicks, from the shipped full build', async () => {
    // WebKitGTK 2.50 and Firefox before 147 (140 ESR) have no Navigation API: the history-patch
    // fallback counts the views there, the Navigation API elsewhere; the walk is the same.
    h.collector.page(
      '/spa/start.html',
      trackerPage({
        url: h.collector.url + '/v1/events',
        script: '/dist/clicktrail.full.min.js',
        options: `{ appId: ${JSON.stringify(freshAppId())}, batch: { flushIntervalMs: 200 }, plugins: [clicktrail.pageViews(), clicktrail.clicks()] }`,
        body: BODY,
        reportErrorsTo: h.errorsUrl,
      }),
    );
    const p = await h.engine.newPage();
    await p.goto(h.collector.url + '/spa/start.html');
    const hasNavigationApi = await p.evaluate(() => 'navigation' in window && !!(window as any).navigation);
    await p.click('#spa-b');
    await waitFor('the routed URL', async () => (await p.url()).endsWith('/spa/b'));
    await p.evaluate(() => history.replaceState({}, '', '/spa/c'));
    await p.evaluate(() => history.back());
    await waitFor('back at the start', async () => (await p.url()).endsWith('/spa/start.html'));
    await p.click('#buy');
    await p.evaluate(() => (window as any).tracker.track('done_walk'));
    const events = await eventsUntil(h.collector, 'done_walk');
    const views = events.filter((e) => e.name === 'page_view').map((e) => [e.page.path, e.properties.navigationType]);
    expect(views).toEqual([
      ['/spa/start.html', 'load'],
      ['/spa/b', 'push'],
      ['/spa/c', 'replace'],
      ['/spa/start.html', 'traverse'],
    ]);
    const clicks = events.filter((e) => e.name === 'click');
    // The link and the button, described alike in every engine (text as the shopper sees it).
    expect(clicks.map((e) => [e.page.path, e.properties])).toEqual([
      ['/spa/start.html', { tag: 'a', selector: '#spa-b', text: 'Shoes', id: 'spa-b', href: h.collector.url + '/spa/b' }],
      ['/spa/start.html', { tag: 'button', selector: '#buy', text: 'Add to cart', id: 'buy', data: { itemId: 'sku-42' } }],
    ]);
    expect(await p.evaluate(() => (window as any).errors)).toEqual([]);
    expect(h.errors()).toEqual([]);
    console.log(`[engines] ${name}: Navigation API ${hasNavigationApi ? 'present' : 'absent'}`);
    await p.close();
  });
});
