import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, launch, waitFor, type LaunchedBrowser } from '../support/browser';
import { startCollector, type Collector } from '../support/collector';

// A page on dist/clicktrail.full.min.js. `before` runs before the script tag (a loader snippet,
// early dataLayer pushes), `after` after it.
const fullPage = (o: { before?: string; after?: string; body?: string }) => `<!doctype html><html><head><meta charset="utf-8">
<script>window.errors=[];window.pageErrors=[];addEventListener('error',function(e){pageErrors.push(String(e.message))});</script>
<script>${o.before || ''}</script>
<script src="/dist/clicktrail.full.min.js"></script>
<script>${o.after || ''}</script></head><body>${o.body || ''}</body></html>`;
const onError = `function (e) { window.errors.push(e.code + ': ' + e.message); }`;

describe.runIf(browserAvailable())('the full <script> build', () => {
  let collector: Collector;
  let browser: LaunchedBrowser;
  beforeAll(async () => {
    collector = await startCollector({ eventsPath: '/e', static: { '/dist/': 'dist' } });
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
    await collector?.close();
  });
  const named = (name: string, appId: string) => collector.events.filter((e) => e.name === name && e.page.path === `/${appId}.html`);

  it('resolves plugins named in a loader snippet\'s queued init, and reports unknown names', async () => {
    const url = collector.url + '/e';
    collector.page(
      '/snippet.html',
      fullPage({
        before: `window.clicktrail = { q: [] };
          ['init', 'track', 'page', 'flush'].forEach(function (m) { clicktrail[m] = function () { clicktrail.q.push([m, arguments]); }; });
          window.dataLayer = [{ event: 'newsletter_signup', plan: 'weekly' }];
          clicktrail.init({ url: ${JSON.stringify(url)}, appId: 'snippet', onError: ${onError},
            plugins: ['domCommerce', ['dataLayerBridge', { passThrough: ['newsletter_signup'] }], 'noSuchPlugin'] });`,
        body: `<div data-ct-item-id="mug" data-ct-price="12.50" data-ct-currency="EUR"><button id="add" data-ct-event="add_to_cart">Add</button></div>`,
      }),
    );
    const page = await browser.context.newPage();
    await page.goto(collector.url + '/snippet.html');
    await page.click('#add');
    await page.evaluate(() => (window as any).clicktrail.flush());
    await waitFor('add_to_cart and the replayed dataLayer push', () => named('add_to_cart', 'snippet').length && named('newsletter_signup', 'snippet').length);
    expect(named('add_to_cart', 'snippet')[0].properties).toEqual({ currency: 'EUR', value: 12.5, items: [{ item_id: 'mug', price: 12.5 }] });
    expect(named('newsletter_signup', 'snippet')[0].properties).toEqual({ plan: 'weekly' });
    expect(await page.evaluate(() => (window as any).errors)).toEqual([expect.stringMatching(/^invalid_option: .*unknown plugin "noSuchPlugin"/)]);
    expect(await page.evaluate(() => (window as any).pageErrors)).toEqual([]);
    await page.close();
  });

  it('sends one view_item_list per list for cards in view, once per card, also for cards added later', async () => {
    const url = collector.url + '/e';
    const cards = (list: string, n: number) =>
      Array.from({ length: n }, (_, i) => `<li data-ct-item-id="${list}-${i}" style="height:60px">${list} ${i}</li>`).join('');
    collector.page(
      '/lists.html',
      fullPage({
        after: `clicktrail.init({ url: ${JSON.stringify(url)}, appId: 'lists', onError: ${onError}, plugins: [['domCommerce', { batchMs: 100 }]] });`,
        body: `<ul id="top" data-ct-item-list="top" data-ct-item-list-name="Top">${cards('top', 3)}</ul>
          <div style="height:3000px"></div>
          <ul id="bottom" data-ct-item-list="bottom">${cards('bottom', 2)}</ul>`,
      }),
    );
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 800, height: 600 });
    await page.goto(collector.url + '/lists.html');
    const lists = async () => {
      await page.evaluate(() => (window as any).clicktrail.flush());
      return named('view_item_list', 'lists').map((e) => [e.properties.item_list_id, e.properties.items.map((i: { item_id: string }) => i.item_id)]);
    };
    await waitFor('the top list', async () => (await lists()).length >= 1);
    // Scrolled past, back, and down again: nothing is counted twice.
    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    await waitFor('the bottom list', async () => (await lists()).length >= 2);
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.evaluate(() => {
      // Cards added after load (infinite scroll, a client-rendered row), one already in view.
      document.getElementById('top')!.insertAdjacentHTML('afterbegin', '<li data-ct-item-id="top-new" style="height:60px">new</li>');
    });
    await waitFor('the added card', async () => (await lists()).length >= 3);
    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    await page.evaluate(() => window.scrollTo(0, 0));
    // A marker event tracked after the scrolling: once it arrives, any extra impression would have too.
    await page.evaluate(() => new Promise((r) => setTimeout(r, 300)).then(() => (window as any).clicktrail.track('marker')));
    await waitFor('the marker', async () => (await lists(), named('marker', 'lists').length));
    expect(await lists()).toEqual([
      ['top', ['top-0', 'top-1', 'top-2']],
      ['bottom', ['bottom-0', 'bottom-1']],
      ['top', ['top-new']],
    ]);
    expect(named('view_item_list', 'lists')[0].properties.item_list_name).toBe('Top');
    expect(await page.evaluate(() => (window as any).errors)).toEqual([]);
    await page.close();
  });

  it('counts list cards still on screen again after a client-side navigation, once per page', async () => {
    const url = collector.url + '/e';
    collector.page(
      '/spa.html',
      fullPage({
        after: `clicktrail.init({ url: ${JSON.stringify(url)}, appId: 'spa', onError: ${onError}, plugins: [['domCommerce', { batchMs: 100 }]] });`,
        body: `<ul data-ct-item-list="results"><li data-ct-item-id="a" style="height:60px">a</li><li data-ct-item-id="b" style="height:60px">b</li></ul>`,
      }),
    );
    const page = await browser.context.newPage();
    await page.goto(collector.url + '/spa.html');
    const lists = async () => {
      await page.evaluate(() => (window as any).clicktrail.flush());
      return named('view_item_list', 'spa').map((e) => [new URL(e.page.url).search, e.properties.items.map((i: { item_id: string }) => i.item_id)]);
    };
    await waitFor('the impressions on load', async () => (await lists()).length >= 1);
    // A client-rendered filter: the URL changes, the same cards stay in view.
    await page.evaluate(() => history.pushState(null, '', '/spa.html?sort=price'));
    await waitFor('the impressions on the new page', async () => (await lists()).length >= 2);
    // Neither the same URL again nor a fragment is a new page.
    await page.evaluate(() => history.replaceState(null, '', '/spa.html?sort=price'));
    await page.evaluate(() => (location.hash = 'top'));
    await page.evaluate(() => new Promise((r) => setTimeout(r, 300)).then(() => (window as any).clicktrail.track('marker')));
    await waitFor('the marker', async () => (await lists(), named('marker', 'spa').length));
    expect(await lists()).toEqual([
      ['', ['a', 'b']],
      ['?sort=price', ['a', 'b']],
    ]);
    expect(await page.evaluate(() => (window as any).errors)).toEqual([]);
    expect(await page.evaluate(() => (window as any).pageErrors)).toEqual([]);
    await page.close();
  });
});
