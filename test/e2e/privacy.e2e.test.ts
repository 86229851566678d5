// Issue 16: personal data in what the shopper sees, in URLs, titles and referrers is masked by
// default, as the collector receives it from Chromium; each part can be relaxed.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, launch, type LaunchedBrowser } from '../support/browser';
import { startCollector, type Collector } from '../support/collector';
import { eventsUntil, freshAppId, pluginBundle, pluginPage } from '../support/plugin-page';

const TOKEN = '8f14e45fceea167a5a36dedd4bea2543';
const FROM = `/from/jane.doe@example.com?email=jane%40example.com&q=jane@example.com&utm_source=news`;
const ACCOUNT = '/account/jane.doe@example.com/orders';
const QUERY = '?ref=jane%40example.com&q=jane@example.com&login=jane&mail=x&name=Jane+Doe&tel=%2B491701234567&customer_id=12345&utm_source=news&utm_campaign=bf-2024';
const BODY = `
<button id="user-jane-doe">Logout jane@example.com</button>
<button id="pay">Pay with card 4111 1111 1111 1111</button>
<a id="call" href="tel:+491701234567">Call +49 170 1234567</a>
<a id="order-9876543" href="${ACCOUNT}/9876543?mail=jane%40example.com">Order 9876543</a>
<button id="add" data-ct-item-id="sku-1" data-ct-user-email="jane@example.com" data-ct-note="jane@example.com">Add</button>
<a id="cart" href="/cart">Cart (<span class="count">2</span>)</a>
<button id="flex" style="display:flex;gap:4px"><span>Saved</span><span>items</span></button>
<div id="host"></div>
<a id="product" href="/product/123?utm_source=news&amp;utm_campaign=bf-2024&amp;gclid=Cj0KCQiA1234567890abcdefABCDEF">Mug</a>
<script>
  document.getElementById('host').attachShadow({ mode: 'open' }).innerHTML = '<button id="me">Signed in as jane@example.com</button>';
  document.querySelectorAll('a').forEach(function (a) { a.addEventListener('click', function (e) { e.preventDefault(); }); });
</script>`;

describe.runIf(browserAvailable())('privacy in Chromium', () => {
  let collector: Collector;
  let browser: LaunchedBrowser;
  const pages: Page[] = [];
  const open = async (path: string, privacy = '{}', appId = freshAppId()) => {
    const plugins = `[clicktrail.pageViews(), clicktrail.clicks(), clicktrail.siteSearch()], privacy: ${privacy}`;
    collector.page(path.split('?')[0], pluginPage({ url: collector.url + '/collect', appId, plugins, title: 'Orders of Jane Doe (jane@example.com)', body: BODY }));
    collector.page(FROM.split('?')[0], `<!doctype html><a id="go" href="${path}">go</a>`, 'text/html');
    const page = await browser.context.newPage();
    pages.push(page);
    // Arrive by a link from a page with personal data in its URL: it becomes the referrer.
    await page.goto(collector.url + FROM);
    await Promise.all([page.waitForURL((u) => u.pathname.startsWith('/account/')), page.click('#go')]);
    return page;
  };
  const clickAll = async (page: Page) => {
    for (const sel of ['#user-jane-doe', '#pay', '#call', '#order-9876543', '#add', '#cart', '#flex', '#host >> #me', '#product']) await page.click(sel);
    await page.evaluate(() => history.pushState(null, '', '/account/jane.doe@example.com/settings#/reset/' + '8f14e45fceea167a5a36dedd4bea2543'));
  };

  beforeAll(async () => {
    collector = await startCollector();
    collector.page('/ct.js', await pluginBundle(), 'text/javascript');
    browser = await launch();
  });
  afterAll(async () => {
    for (const p of pages) await p.close().catch(() => {});
    await browser?.close();
    await collector?.close();
  });

  it('masks the personal data of the issue in clicks, ids, data-ct-* values, search terms, titles, URLs and the referrer', async () => {
    const page = await open(ACCOUNT + QUERY + '#/reset/' + TOKEN);
    await clickAll(page);
    await page.evaluate(() => (window as any).tracker.track('done1'));
    const events = await eventsUntil(collector, 'done1');
    const clicks = events.filter((e) => e.name == 'click').map((e) => e.properties);
    expect(clicks.map((c) => [c.id, c.text])).toEqual([
      [undefined, 'Logout [email]'],
      ['pay', 'Pay with card [card]'],
      ['call', 'Call [phone]'],
      [undefined, 'Order 9876543'],
      ['add', 'Add'],
      ['cart', 'Cart (2)'],
      ['flex', 'Saved items'],
      ['me', 'Signed in as [email]'],
      ['product', 'Mug'],
    ]);
    expect(clicks[0].selector).not.toContain('jane');
    expect(clicks[2].href).toBe('tel:');
    expect(clicks[3].href).toBe(`${collector.url}/account/[email]/orders/9876543?mail=REDACTED`);
    // Only GA4's data-ct-* fields by default.
    expect(clicks[4].data).toEqual({ itemId: 'sku-1' });
    // Product ids, UTM parameters and click ids pass as they are.
    expect(clicks[8].href).toBe(`${collector.url}/product/123?utm_source=news&utm_campaign=bf-2024&gclid=Cj0KCQiA1234567890abcdefABCDEF`);

    const [view, settings] = events.filter((e) => e.name == 'page_view');
    expect(view.page).toEqual({
      url: `${collector.url}/account/[email]/orders?ref=[email]&q=[email]&login=REDACTED&mail=REDACTED&name=REDACTED&tel=REDACTED&customer_id=REDACTED&utm_source=news&utm_campaign=bf-2024#/reset/[token]`,
      path: '/account/[email]/orders',
      title: 'Orders of Jane Doe ([email])',
      referrer: `${collector.url}/from/[email]?email=REDACTED&q=[email]&utm_source=news`,
    });
    // A pushState URL is masked as a loaded one is.
    expect(settings.page.url).toBe(`${collector.url}/account/[email]/settings#/reset/[token]`);
    const search = events.find((e) => e.name == 'search')!;
    expect(search.properties.search_term).toBe('[email]');
    expect(search.page.url).not.toContain('jane');

    // Nothing of it anywhere in what reached the collector.
    const all = collector.requests.map((r) => r.body || '').join('\n');
    for (const s of ['jane@', 'jane.doe', 'jane%40', 'user-jane', '4111', '170 1234567', '491701234567', TOKEN, '12345&', 'login=jane']) expect(all, s).not.toContain(s);
  });

  it('sends each kind as it is when its option turns it off', async () => {
    const page = await open(ACCOUNT + QUERY, "{ mask: { emails: false, ids: false }, dataAttributes: ['user-email'], context: { userAgent: 'coarse', screen: false } }");
    await page.click('#user-jane-doe');
    await page.click('#pay');
    await page.click('#add');
    await page.evaluate(() => (window as any).tracker.track('done2'));
    const events = await eventsUntil(collector, 'done2');
    const clicks = events.filter((e) => e.name == 'click').map((e) => e.properties);
    expect(clicks.map((c) => [c.id, c.text])).toEqual([
      ['user-jane-doe', 'Logout jane@example.com'],
      ['pay', 'Pay with card [card]'],
      ['add', 'Add'],
    ]);
    expect(clicks[2].data).toEqual({ itemId: 'sku-1', userEmail: 'jane@example.com' });
    const view = events.find((e) => e.name == 'page_view')!;
    expect(view.page.path).toBe(ACCOUNT);
    expect(view.page.title).toBe('Orders of Jane Doe (jane@example.com)');
    expect(view.context.screen).toBeUndefined();
    expect(view.context.userAgent).toMatch(/Chrome\/\d+ /);
    expect(view.context.userAgent).not.toMatch(/\d\.\d/);
  });

  it('sends nothing from capture plugins while the page is under [data-ct-ignore], only what the app tracks itself', async () => {
    const page = await browser.context.newPage();
    pages.push(page);
    const plugins =
      '[clicktrail.pageViews(), clicktrail.pageLeave(), clicktrail.clicks(), clicktrail.siteSearch(), clicktrail.scrollDepth(), clicktrail.engagement()]';
    collector.page(
      '/ignored.html',
      pluginPage({ url: collector.url + '/collect', appId: freshAppId(), plugins, body: '<div style="height:5000px"><button id="b">Buy</button></div>' }).replace('<body>', '<body data-ct-ignore>'),
    );
    await page.goto(collector.url + '/ignored.html?q=shoes');
    await page.click('#b');
    await page.mouse.wheel(0, 4000);
    await page.evaluate(() => history.pushState(null, '', '/ignored.html?q=boots'));
    await page.evaluate(() => (window as any).tracker.track('done3'));
    expect((await eventsUntil(collector, 'done3')).map((e) => e.name)).toEqual([]);
  });
});
