import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, launch, waitFor } from '../support/browser';

// `npm run demo` without the build step: the demo server as a user starts it.
describe('npm run demo (examples/collector/server.mjs)', () => {
  let child: ChildProcess;
  let out = '';
  let url = '';
  beforeAll(async () => {
    child = spawn(process.execPath, ['examples/collector/server.mjs'], { env: { ...process.env, PORT: '0' }, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout!.on('data', (d) => (out += d));
    child.stderr!.on('data', (d) => (out += d));
    url = await waitFor('the demo server to print its URL', () => out.match(/clicktrail demo: (http:\/\/127\.0\.0\.1:\d+)\//)?.[1], 15_000);
  });
  afterAll(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
  });

  it('serves the shop, the full <script> build and the dashboard on a loopback port', async () => {
    const home = await fetch(url + '/');
    expect(home.status).toBe(200);
    const html = await home.text();
    expect(html).toContain('<script src="/dist/clicktrail.full.min.js"></script>');
    expect(html).toContain('data-ct-item-list="featured"');
    const sdk = await fetch(url + '/dist/clicktrail.full.min.js');
    expect(sdk.status).toBe(200);
    expect(sdk.headers.get('content-type')).toMatch(/javascript/);
    expect(await sdk.text()).toContain('dataLayer');
    expect((await fetch(url + '/dashboard.html')).status).toBe(200);
  });

  it('prints each event it receives on one line and lists it, newest first, at /api/events', async () => {
    const event = (name: string, seq: number) => ({
      eventId: `0190f000-0000-7000-8000-00000000000${seq}`,
      name,
      type: 'track',
      timestamp: new Date().toISOString(),
      seq,
      page: { path: '/smoke' },
      properties: { items: [{ item_id: 'p-mug', quantity: 2 }], value: 25, currency: 'EUR' },
    });
    const r = await fetch(url + '/v1/events', { method: 'POST', body: JSON.stringify({ events: [event('add_to_cart', 1), event('begin_checkout', 2)] }) });
    expect(r.status).toBe(200);
    await waitFor('two lines on stdout', () => /add_to_cart\s+\/smoke p-mug×2 25 EUR\n.*begin_checkout/.test(out));
    const api = await (await fetch(url + '/api/events')).json();
    expect(api.events.map((e: { name: string }) => e.name).slice(0, 2)).toEqual(['begin_checkout', 'add_to_cart']);
  });

  it.runIf(browserAvailable())('shows a shopper\'s events on the live dashboard', async () => {
    const browser = await launch();
    try {
      const shop = await browser.context.newPage();
      await shop.goto(url + '/');
      await shop.click('#featured [data-ct-item-id="p-kettle"] a');
      await shop.waitForURL('**/product.html?id=p-kettle');
      await shop.fill('#qty', '2');
      await shop.click('#add');
      await shop.click('#in-cart a');
      await shop.waitForURL('**/cart.html');
      await shop.click('#checkout');
      await shop.waitForURL('**/checkout.html');
      await shop.click('#pay');
      await shop.waitForURL('**/success.html?*');
      await shop.evaluate(() => (window as any).clicktrail.flush());

      const dash = await browser.context.newPage();
      await dash.setViewportSize({ width: 960, height: 540 });
      await dash.goto(url + '/dashboard.html');
      const names = () => dash.$$eval('#rows td.name', (tds) => tds.map((td) => td.textContent));
      await waitFor('the purchase on the dashboard', async () => (await names()).includes('purchase'));
      const shown = await names();
      // Newest first: the purchase comes before the add_to_cart that led to it.
      expect(shown.indexOf('purchase')).toBeLessThan(shown.indexOf('add_to_cart'));
      expect(shown).toEqual(expect.arrayContaining(['view_item_list', 'select_item', 'view_item', 'view_cart', 'begin_checkout', 'page_view']));
      // The README's picture comes from test/e2e/demo-pipeline.e2e.test.ts (Kinesis mode).
    } finally {
      await browser.close();
    }
  });
});
