// @vitest-environment node
// Security checks in Chromium: the full <script> build under a strict CSP with Trusted Types,
// nothing typed into a form in any payload, redacted URL parameters never sent, and no eval,
// Function constructor or string timer in the built files. Needs `npm run build` first.
import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, launch, waitFor, type LaunchedBrowser } from '../support/browser';
import { startCollector, type Collector } from '../support/collector';

const PLUGINS = ['pageViews', 'pageLeave', 'clicks', 'scrollDepth', 'engagement', 'siteSearch', 'domCommerce', ['dataLayerBridge', { passThrough: ['newsletter_signup'] }]];
// Typed by the test into every kind of field, or preset in the page's markup.
const TYPED = ['TYPEDtext1', 'TYPEDpass2', 'TYPEDmail3', 'TYPEDarea4', 'TYPEDedit5', 'TYPEDsrch6'];
const PRESET = ['PRESETvalue7', 'PRESETarea8'];
// URL parameters the default redaction list names, in the page URL, the referrer, a pushState
// URL and a clicked link.
const QUERY = ['QSECRETtok1', 'QSECRETmail2', 'QSECRETcode3', 'QSECREThash4', 'QSECRETref5', 'QSECRETpush6', 'QSECRETlink7'];

const listen = `window.violations = [];
document.addEventListener('securitypolicyviolation', function (e) {
  violations.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + e.sourceFile + ':' + e.lineNumber);
});`;

const setup = (url: string) => `clicktrail.init({ url: ${JSON.stringify(url)}, appId: 'csp', batch: { maxEvents: 5 },
  plugins: ${JSON.stringify(PLUGINS)}, onError: function (e) { (window.errors = window.errors || []).push(e.code + ': ' + e.message); } });
clicktrail.identify('user-1', { plan: 'gold' });
// Over 1 KB: the body is gzipped with CompressionStream.
clicktrail.track('big_event', { filler: 'x'.repeat(3000) });
window.dataLayer = window.dataLayer || [];
dataLayer.push({ event: 'newsletter_signup' });
document.getElementById('push').addEventListener('click', function () { history.pushState({}, '', '/csp.html?session=${QUERY[5]}&utm_medium=ok2'); });
// No inline handler or style attribute: the CSP refuses them (script-src-attr, style-src-attr).
document.getElementById('f').addEventListener('submit', function (e) { e.preventDefault(); });
document.getElementById('tall').style.height = '3000px';
document.getElementById('stay').addEventListener('click', function (e) { e.preventDefault(); });
// The control: a string timer must be refused and reported, or the listener proves nothing.
window.control = function () { try { setTimeout('window.ran = 1', 0); } catch (e) { window.controlThrew = String(e); } };`;

const body = `<h1>CSP page</h1>
<form id="f">
  <input id="text" name="name"><input id="pass" type="password" name="password"><input id="mail" type="email" name="email">
  <textarea id="area" name="note"></textarea><div id="edit" contenteditable="true">edit me</div>
  <input id="srch" type="search" name="q"><input id="preset" name="coupon" value="${PRESET[0]}"><textarea id="presetArea">${PRESET[1]}</textarea>
  <select id="sel" name="size"><option>S</option><option selected>M</option></select>
  <button id="add" type="button" data-ct-event="add_to_cart" data-ct-item-id="mug" data-ct-price="9.5" data-ct-currency="EUR">Add to cart</button>
</form>
<button id="push" type="button">Next step</button>
<a id="stay" href="/elsewhere?api_key=${QUERY[6]}&utm_term=ok3">A link with a key</a>
<div id="tall"></div>`;

describe.runIf(browserAvailable())('security: the full <script> build in Chromium', () => {
  let site: Collector; // pages and dist/
  let collector: Collector; // events, another origin
  let browser: LaunchedBrowser;
  beforeAll(async () => {
    collector = await startCollector({ eventsPath: '/e' });
    site = await startCollector({ static: { '/dist/': 'dist' } });
    const csp = `default-src 'self'; connect-src ${collector.url}; require-trusted-types-for 'script'`;
    const headers = { 'Content-Security-Policy': csp };
    site.page('/sec/listen.js', listen, 'text/javascript');
    site.page('/sec/setup.js', setup(collector.url + '/e'), 'text/javascript');
    site.page(
      '/csp.html',
      `<!doctype html><html><head><meta charset="utf-8"><title>CSP</title><script src="/sec/listen.js"></script>
<script src="/dist/clicktrail.full.min.js"></script></head><body>${body}<script src="/sec/setup.js"></script></body></html>`,
      undefined,
      undefined,
      headers,
    );
    site.page('/start.html', `<!doctype html><meta charset="utf-8"><a id="go" href="/csp.html?token=${QUERY[0]}&email=${QUERY[1]}&code=${QUERY[2]}&utm_source=ok1#access_token=${QUERY[3]}">go</a>`, undefined, undefined, headers);
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
    await site?.close();
    await collector?.close();
  });

  it('runs under default-src self, connect-src the collector and Trusted Types with no violation, and sends nothing typed or redacted', async () => {
    const page = await browser.context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(String(e)));
    await page.goto(`${site.url}/start.html?password=${QUERY[4]}`);
    await page.click('#go');
    await page.waitForURL(/csp\.html/);
    await page.type('#text', TYPED[0]);
    await page.type('#pass', TYPED[1]);
    await page.type('#mail', TYPED[2] + '@example.com');
    await page.type('#area', TYPED[3]);
    await page.click('#edit');
    await page.keyboard.type(TYPED[4]);
    await page.type('#srch', TYPED[5]);
    await page.keyboard.press('Enter');
    await page.selectOption('#sel', 'S');
    for (const id of ['#text', '#pass', '#preset', '#presetArea', '#sel', '#add', '#stay', '#push']) await page.click(id);
    await page.mouse.wheel(0, 2500);
    await page.evaluate(() => (window as any).clicktrail.flush());
    const state = async () => JSON.stringify({ names: [...new Set(collector.events.map((e) => e.name))], ...(await page.evaluate(() => ({ v: (window as any).violations, e: (window as any).errors }))) });
    await waitFor('the captured events', () => {
      const names = new Set(collector.events.map((e) => e.name));
      return ['page_view', 'identify', 'big_event', 'add_to_cart', 'newsletter_signup'].every((n) => names.has(n)) && names.size >= 7;
    }, 20_000).catch(async (e) => {
      throw new Error(`${e.message}: ${await state()}`);
    });
    expect(await page.evaluate(() => (window as any).violations)).toEqual([]);
    // Page hide: page_leave and whatever is unsent go by keepalive fetch or beacon.
    await page.close({ runBeforeUnload: true });
    // The page view of the pushed URL goes at close: wait for it, not only for a page_leave.
    await waitFor('page_leave and the pushed page view', () => collector.events.some((e) => e.name == 'page_leave') && collector.requests.some((r) => (r.body || '').includes('utm_medium=ok2')));

    const bodies = collector.requests.map((r) => r.body || '').join('\n');
    expect(collector.requests.some((r) => r.headers['content-encoding'] == 'gzip'), 'a gzipped body was sent').toBe(true);
    for (const s of [...TYPED, ...PRESET, ...QUERY]) expect(bodies.includes(s), `${s} left the page`).toBe(false);
    // Not vacuous: the URLs were sent, with their harmless parameters and the redaction marker.
    for (const s of ['utm_source=ok1', 'utm_medium=ok2', 'REDACTED']) expect(bodies).toContain(s);
    expect(pageErrors).toEqual([]);

    // A second page, to read the violation log before and after the control.
    const again = await browser.context.newPage();
    await again.goto(`${site.url}/csp.html?utm_source=again`);
    await again.click('#add');
    await again.evaluate(() => (window as any).clicktrail.flush());
    expect(await again.evaluate(() => (window as any).violations)).toEqual([]);
    expect(await again.evaluate(() => (window as any).errors || [])).toEqual([]);
    await again.evaluate(() => (window as any).control());
    await waitFor('the control violation', () => again.evaluate(() => (window as any).violations.length > 0));
    expect(await again.evaluate(() => (window as any).ran)).toBeUndefined();
    await again.close();
  }, 120_000);

  it('has no eval, Function constructor or string timer in any built file', () => {
    const files = readdirSync('dist', { recursive: true, encoding: 'utf8' }).filter((f) => /\.(c?js|mjs)$/.test(f));
    expect(files.length).toBeGreaterThan(10);
    const found: string[] = [];
    for (const f of files) {
      const src = readFileSync(`dist/${f}`, 'utf8');
      for (const re of [/\beval\s*\(/, /\bnew\s+Function\s*\(/, /[^.\w]Function\s*\(/, /\bset(Timeout|Interval)\s*\(\s*["'`]/, /\bimportScripts\b/, /\.innerHTML\s*=/, /document\.write/]) {
        const m = re.exec(src);
        if (m) found.push(`${f}: ${src.slice(Math.max(0, m.index - 30), m.index + 40)}`);
      }
    }
    expect(found).toEqual([]);
  });
});
