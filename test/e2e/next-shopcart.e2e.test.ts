// The Next.js Shopcart example, built with `next build` and served by `next start`, driven in
// Chromium through a shopping journey; the events are checked where they land: the collector.
// The app takes its collector from `?collector=` (loopback only, kept in sessionStorage), because
// NEXT_PUBLIC_COLLECTOR_URL is fixed at build time and the test's collector has a random port.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, launch, waitFor, type LaunchedBrowser } from '../support/browser';
import { startCollector, type Collector } from '../support/collector';

const APP = resolve(__dirname, '../../examples/next-shopcart');
const NEXT_BIN = join(APP, 'node_modules/next/dist/bin/next');

/** Builds the example when it is not built yet; fails with the fix when it cannot be. */
function ensureBuilt(): void {
  if (existsSync(join(APP, '.next/BUILD_ID'))) return;
  if (!existsSync(NEXT_BIN)) {
    throw new Error('examples/next-shopcart is not installed: run `npm run build` at the root, then `npm ci && npm run build` in examples/next-shopcart (.ci/run does)');
  }
  if (!existsSync(resolve(__dirname, '../../dist/react.js'))) throw new Error('dist/ is missing: run `npm run build` at the root first');
  const r = spawnSync(process.execPath, [NEXT_BIN, 'build'], { cwd: APP, stdio: 'inherit', env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' } });
  if (r.status !== 0) throw new Error(`next build failed in examples/next-shopcart (exit ${r.status})`);
}

const freePort = () =>
  new Promise<number>((ok, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => ok(port));
    });
  });

describe.runIf(browserAvailable())('the Next.js Shopcart example in Chromium', () => {
  let collector: Collector;
  let browser: LaunchedBrowser;
  let next: ChildProcess | undefined;
  let app = '';
  let output = '';

  beforeAll(async () => {
    ensureBuilt();
    collector = await startCollector({ eventsPath: '/v1/events' });
    const port = await freePort();
    next = spawn(process.execPath, [NEXT_BIN, 'start', '-p', String(port), '-H', '127.0.0.1'], {
      cwd: APP,
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', NODE_ENV: 'production' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    next.stdout!.on('data', (d) => (output += d));
    next.stderr!.on('data', (d) => (output += d));
    app = `http://127.0.0.1:${port}`;
    await waitFor(`next start on ${app}`, async () => {
      if (next!.exitCode !== null) throw new Error(`next start exited: ${output}`);
      return (await fetch(app + '/').catch(() => undefined))?.ok;
    }, 60_000);
    browser = await launch();
  });

  afterAll(async () => {
    await browser?.close();
    if (next && next.exitCode === null) {
      const exited = new Promise((ok) => next!.once('exit', ok));
      next.kill('SIGTERM');
      await exited;
    }
    await collector?.close();
  });

  /** Events received so far, each eventId once (delivery is at least once). */
  const events = () => {
    const seen = new Set<string>();
    return collector.events.filter((e) => !seen.has(e.eventId) && seen.add(e.eventId));
  };
  const names = (list: Array<Record<string, any>>) => list.map((e) => (e.name === 'page_view' ? `page_view ${e.page.path}` : e.name));
  const count = (page: Page) => page.locator('article [data-test="count"]').textContent();

  it('sends the journey\'s events in order with GA4 items, and nothing when the stored cart is restored', async () => {
    const page = await browser.context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(String(e)));
    await page.goto(`${app}/?collector=${encodeURIComponent(collector.url + '/v1/events')}`);
    await page.locator('[data-product="smart-watch"] [data-test="add"]:not([disabled])').waitFor();
    await waitFor('the first page_view', () => events().some((e) => e.name === 'page_view'));

    // Client-side navigation to a product; add 2 (add, +), then +1 and -1, then the heart.
    await page.click('[data-product="smart-watch"] a[href="/product/smart-watch"]');
    await page.locator('article [data-test="add"]').click();
    await page.locator('article [data-test="plus"]').click();
    await waitFor('2 in the cart', async () => (await count(page)) === '2');
    await page.locator('article [data-test="plus"]').click();
    await waitFor('3 in the cart', async () => (await count(page)) === '3');
    await page.locator('article [data-test="minus"]').click();
    await waitFor('2 in the cart again', async () => (await count(page)) === '2');
    await page.locator('article [data-test="heart"]').click();
    await waitFor('the heart on', async () => (await page.locator('article [data-test="heart"]').getAttribute('aria-pressed')) === 'true');

    await page.click('[data-test="cart-link"]');
    await page.locator('[data-test="checkout"]').click();
    await page.waitForURL(/\/success\?orderNumber=/);
    const order = await page.locator('[data-test="order"]').textContent();
    expect(order).toMatch(/^ORD-/);
    await waitFor('the purchase and the success page view', () => names(events()).includes('page_view /success'));

    expect(names(events())).toEqual([
      'page_view /',
      'page_view /product/smart-watch',
      'view_item',
      'add_to_cart',
      'add_to_cart',
      'add_to_cart',
      'remove_from_cart',
      'add_to_wishlist',
      'page_view /cart',
      'begin_checkout',
      'purchase',
      'page_view /success',
    ]);
    // As the pageViews() plugin names them: the first view, then the router's navigations.
    const how = events().filter((e) => e.name === 'page_view').map((e) => e.properties.navigationType);
    expect(how[0]).toBe('load');
    expect(how.slice(1).every((t: string) => t === 'push' || t === 'replace')).toBe(true);
    expect(how).toContain('push');
    const watch = {
      item_id: 'prd-watch',
      item_name: 'Smart Watch',
      price: 120,
      discount: 12, // 10% of 120: the example's products carry a percentage, as Shopcart's do
      item_brand: 'Apple',
      item_category: 'Watches',
      item_category2: 'Gadgets',
      item_variant: 'gadget',
    };
    const props = (name: string) => events().filter((e) => e.name === name).map((e) => e.properties);
    expect(props('view_item')).toEqual([{ currency: 'USD', value: 120, items: [watch] }]);
    expect(props('add_to_cart')).toEqual(Array(3).fill({ items: [{ ...watch, quantity: 1 }], currency: 'USD', value: 120 }));
    expect(props('remove_from_cart')).toEqual([{ items: [{ ...watch, quantity: 1 }], currency: 'USD', value: 120 }]);
    expect(props('add_to_wishlist')).toEqual([{ items: [watch], currency: 'USD', value: 120 }]);
    expect(props('begin_checkout')).toEqual([{ currency: 'USD', value: 240, items: [{ ...watch, quantity: 2 }] }]);
    expect(props('purchase')).toEqual([{ currency: 'USD', value: 240, items: [{ ...watch, quantity: 2 }], transaction_id: order }]);
    const all = events();
    expect(new Set(all.map((e) => e.sessionId)).size).toBe(1);
    expect(all.map((e) => e.seq)).toEqual([...all.map((e) => e.seq)].sort((a, b) => a - b));

    // A line in the cart and a favourite in localStorage; reloading restores both and sends no
    // cart or wishlist event; the next + is a change of one from the restored quantity.
    await page.goto(`${app}/product/electric-kettle`);
    await page.locator('article [data-test="add"]').click();
    await waitFor('the kettle in the cart', () => events().some((e) => e.name === 'add_to_cart' && e.properties.items[0].item_id === 'prd-kettle'));
    const before = new Set(events().map((e) => e.eventId));
    await page.reload();
    await waitFor('the restored cart on screen', async () => (await count(page)) === '1');
    expect(await page.evaluate(() => JSON.parse(localStorage.getItem('cart-store')!).state.favoriteProduct.length)).toBe(1);
    await page.locator('article [data-test="plus"]').click();
    await waitFor('the + after the reload', () => events().filter((e) => !before.has(e.eventId)).some((e) => e.name === 'add_to_cart'));
    const after = events().filter((e) => !before.has(e.eventId));
    expect(names(after)).toEqual(['page_view /product/electric-kettle', 'view_item', 'add_to_cart']);
    expect(after[2].properties.items).toEqual([expect.objectContaining({ item_id: 'prd-kettle', quantity: 1 })]);
    expect(pageErrors).toEqual([]);
    await page.close();
  });

  it('identifies the signed-in user by their Cognito sub, and starts afresh on sign-out', async () => {
    const page = await browser.context.newPage();
    // The collector override lives in sessionStorage: a new tab names it again.
    await page.goto(`${app}/shop?collector=${encodeURIComponent(collector.url + '/v1/events')}`);
    await page.locator('[data-product="android-phone"] [data-test="add"]:not([disabled])').waitFor();
    const before = new Set(events().map((e) => e.eventId));
    const fresh = () => events().filter((e) => !before.has(e.eventId));
    await page.getByRole('button', { name: 'Sign in' }).click();
    await waitFor('the identify event', () => fresh().some((e) => e.name === 'identify'));
    await page.locator('[data-product="android-phone"] [data-test="heart"]').click();
    await waitFor('the wishlist event', () => fresh().some((e) => e.name === 'add_to_wishlist'));
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.locator('[data-product="android-phone"] [data-test="heart"]').click();
    await waitFor('the second wishlist event', () => fresh().some((e) => e.name === 'remove_from_wishlist'));
    const got = fresh().filter((e) => e.name !== 'page_view' && e.name !== 'view_item_list');
    expect(got.map((e) => [e.name, e.userId])).toEqual([
      ['identify', '3f1c2a9e-demo-cognito-sub'],
      ['add_to_wishlist', '3f1c2a9e-demo-cognito-sub'],
      ['remove_from_wishlist', null],
    ]);
    expect(got[2].anonymousId).not.toBe(got[1].anonymousId);
    // A reload while signed in sends no second identify: the tracker remembers its user.
    await page.getByRole('button', { name: 'Sign in' }).click();
    await waitFor('the second identify', () => fresh().filter((e) => e.name === 'identify').length === 2);
    await page.reload();
    await page.locator('[data-product="android-phone"] [data-test="heart"]').click();
    await waitFor('the heart after the reload', () => fresh().filter((e) => e.name === 'add_to_wishlist').length === 2);
    expect(fresh().filter((e) => e.name === 'identify')).toHaveLength(2);
    await page.close();
  });
});
