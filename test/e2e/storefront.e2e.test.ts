import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { browserAvailable, launch, waitFor, type LaunchedBrowser } from '../support/browser';
import { idCounts, startCollector, type Collector } from '../support/collector';

const COMMERCE = /^(view_promotion|view_item_list|select_item|view_item|add_to_cart|remove_from_cart|view_cart|begin_checkout|purchase)$/;
const watch = { item_id: 'p-watch', item_name: 'Smart Watch', price: 120, item_brand: 'Apple', item_category: 'Watches', item_variant: 'gadget' };
const listed = (list: string, name: string) => ({ item_list_id: list, item_list_name: name });
const ids = (e: Record<string, any>) => (e.properties.items || []).map((i: { item_id: string }) => i.item_id);

describe.runIf(browserAvailable())('the static storefront on the <script> build', () => {
  let collector: Collector;
  let browser: LaunchedBrowser;
  beforeAll(async () => {
    // The same collector and directories as `npm run demo` (examples/collector/server.mjs).
    collector = await startCollector({ eventsPath: '/v1/events', static: { '/dist/': 'dist', '/': 'examples/storefront' } });
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
    await collector?.close();
  });

  // Every event with a distinct eventId, in capture order (UUIDv7 ids sort by time).
  const unique = () => {
    const m = new Map<string, Record<string, any>>();
    for (const e of collector.events) if (!m.has(e.eventId)) m.set(e.eventId, e);
    return [...m.values()].sort((a, b) => (a.eventId < b.eventId ? -1 : 1));
  };
  const received = (name: string, n = 1) => waitFor(`${n} × ${name} at the collector`, () => unique().filter((e) => e.name === name).length >= n);
  const noErrors = async (page: Page) => expect(await page.evaluate(() => (window as any).ctErrors)).toEqual([]);

  it('turns a shopper journey into exactly the expected commerce events, items and all', async () => {
    const page = await browser.context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(String(e)));

    await page.goto(collector.url + '/');
    await received('view_item_list'); // the featured row is in view on load; sent within the batch window
    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    await received('view_item_list', 2); // the second list only once scrolled to
    await noErrors(page);
    await page.click('#featured [data-ct-item-id="p-watch"] a');

    await page.waitForURL('**/product.html?id=p-watch');
    await page.fill('#qty', '2');
    await page.click('#add');
    await page.click('#plus');
    await page.click('#minus');
    expect(await page.textContent('#count')).toBe('2');
    await noErrors(page);
    await page.click('#in-cart a');

    await page.waitForURL('**/cart.html');
    await noErrors(page);
    await page.click('#checkout');

    await page.waitForURL('**/checkout.html');
    const order = await page.getAttribute('#checkout-form', 'data-ct-transaction-id');
    await noErrors(page);
    await page.click('#pay');

    await page.waitForURL('**/success.html?orderNumber=*');
    expect(await page.textContent('#order-number')).toBe(order);
    await page.evaluate(() => (window as any).clicktrail.flush());
    await noErrors(page);
    await received('purchase');
    await waitFor('the success page\'s view', () => unique().some((e) => e.name === 'page_view' && e.page.path === '/success.html'));
    expect(pageErrors).toEqual([]);

    const commerce = unique().filter((e) => COMMERCE.test(e.name));
    expect(commerce.map((e) => [e.name, ids(e)])).toEqual([
      ['view_promotion', []],
      ['view_item_list', ['p-kettle', 'p-watch', 'p-lamp', 'p-buds']],
      ['view_item_list', ['p-mug', 'p-pack', 'p-book', 'p-fan']],
      ['select_item', ['p-watch']],
      ['view_item', ['p-watch']],
      ['add_to_cart', ['p-watch']],
      ['add_to_cart', ['p-watch']],
      ['remove_from_cart', ['p-watch']],
      ['view_cart', ['p-watch']],
      ['begin_checkout', ['p-watch']],
      ['purchase', ['p-watch']],
    ]);
    const [promotion, featured, more, select, view, add2, plus, minus, cart, checkout, purchase] = commerce.map((e) => e.properties);
    // pushed to window.dataLayer before the SDK loaded
    expect(promotion).toEqual({ promotion_id: 'free-shipping', promotion_name: 'Free shipping over €50', creative_slot: 'home_hero' });
    expect(featured).toEqual({
      ...listed('featured', 'Featured'),
      items: [
        { item_id: 'p-kettle', item_name: 'Steel Kettle', price: 35, item_brand: 'Philips', item_category: 'Kitchen', item_variant: 'appliances', ...listed('featured', 'Featured') },
        { ...watch, ...listed('featured', 'Featured') },
        { item_id: 'p-lamp', item_name: 'Desk Lamp', price: 24.5, item_brand: 'Ikea', item_category: 'Home', item_variant: 'lighting', ...listed('featured', 'Featured') },
        { item_id: 'p-buds', item_name: 'Wireless Earbuds', price: 59.9, item_brand: 'Sony', item_category: 'Audio', item_variant: 'gadget', ...listed('featured', 'Featured') },
      ],
      currency: 'EUR',
    });
    expect(more).toMatchObject(listed('more', 'More to explore'));
    expect(select).toEqual({ ...listed('featured', 'Featured'), items: [{ ...watch, ...listed('featured', 'Featured') }], currency: 'EUR' });
    expect(view).toEqual({ items: [watch], currency: 'EUR', value: 120 });
    expect(add2).toEqual({ items: [{ ...watch, quantity: 2 }], currency: 'EUR', value: 240 });
    expect(plus).toEqual({ items: [{ ...watch, quantity: 1 }], currency: 'EUR', value: 120 });
    expect(minus).toEqual({ items: [{ ...watch, quantity: 1 }], currency: 'EUR', value: 120 });
    expect(cart).toEqual({ items: [{ ...watch, quantity: 2 }], currency: 'EUR', value: 240 });
    expect(checkout).toEqual({ items: [{ ...watch, quantity: 2 }], currency: 'EUR', value: 240 });
    expect(purchase).toEqual({ transaction_id: order, shipping: 4.9, items: [{ ...watch, quantity: 2 }], currency: 'EUR', value: 240 });

    // The capture plugins named in analytics.js ran too: one page view per page, in order.
    expect(unique().filter((e) => e.name === 'page_view').map((e) => e.page.path)).toEqual([
      '/', '/product.html', '/cart.html', '/checkout.html', '/success.html',
    ]);
    // Each page of the shop hands what is queued to the next page rather than sending it at
    // page hide too, so with a healthy collector every event arrives exactly once.
    expect([...idCounts(collector.events as { eventId: string }[])].filter(([, n]) => n > 1)).toEqual([]);
    expect(new Set(unique().map((e) => e.seq)).size).toBe(unique().length);
    // One session, one anonymous id, across the five pages.
    expect(new Set(unique().map((e) => e.sessionId)).size).toBe(1);
    expect(new Set(unique().map((e) => e.anonymousId)).size).toBe(1);
    await page.close();
  });

  it('sends purchase once, when the browser lets the checkout form submit, not on a click it blocks', async () => {
    const page = await browser.context.newPage();
    await page.goto(collector.url + '/success.html'); // any page of the origin, to reach its localStorage
    await page.evaluate(() => localStorage.setItem('storefront-cart', JSON.stringify([{ id: 'p-mug', qty: 2 }])));
    await page.goto(collector.url + '/checkout.html');
    const order = await page.getAttribute('#checkout-form', 'data-ct-transaction-id');
    const purchases = () => unique().filter((e) => e.name === 'purchase' && e.properties.transaction_id === order);

    await page.fill('input[name="name"]', ''); // a required field left empty: the browser blocks the submit
    await page.click('#pay');
    expect(await page.evaluate(() => (document.querySelector('#checkout-form') as HTMLFormElement).checkValidity())).toBe(false);
    // A marker tracked after the blocked click: once it arrives, a purchase sent on that click would have too.
    await page.evaluate((o) => (window as any).clicktrail.track('blocked_marker', { order: o }), order);
    await page.evaluate(() => (window as any).clicktrail.flush());
    await waitFor('the marker', () => unique().some((e) => e.name === 'blocked_marker' && e.properties.order === order));
    expect(purchases()).toEqual([]);

    await page.fill('input[name="name"]', 'Ada Lovelace');
    await page.click('#pay');
    await page.waitForURL('**/success.html?orderNumber=*');
    await page.evaluate((o) => (window as any).clicktrail.track('paid_marker', { order: o }), order);
    await page.evaluate(() => (window as any).clicktrail.flush());
    await waitFor('the purchase and a marker after it', () => purchases().length >= 1 && unique().some((e) => e.name === 'paid_marker' && e.properties.order === order));
    expect(purchases().map((e) => e.properties)).toEqual([
      { transaction_id: order, shipping: 4.9, items: [{ item_id: 'p-mug', item_name: 'Blue Mug', price: 12.5, item_brand: 'Potter', item_category: 'Kitchen', item_variant: 'ceramics', quantity: 2 }], currency: 'EUR', value: 25 },
    ]);
    await noErrors(page);
    await page.close();
  });

  it('tracks the cart page\'s +, − and Remove buttons with the quantity each one changed', async () => {
    const page = await browser.context.newPage();
    await page.goto(collector.url + '/success.html'); // any page of the origin, to reach its localStorage
    await page.evaluate(() => localStorage.setItem('storefront-cart', JSON.stringify([{ id: 'p-mug', qty: 3 }, { id: 'p-lamp', qty: 1 }])));
    await page.goto(collector.url + '/cart.html');
    const line = (id: string) => `#lines [data-ct-item-id="${id}"]`;
    await page.click(`${line('p-mug')} button[aria-label="one more"]`);
    await page.click(`${line('p-lamp')} button[aria-label="one less"]`);
    await page.click(`${line('p-mug')} button.link`); // Remove: the whole line, now 4 mugs
    expect(await page.textContent('#lines')).toContain('Your cart is empty');
    await page.evaluate(() => (window as any).clicktrail.flush());
    await noErrors(page);
    const cartEvents = () => unique().filter((e) => e.page.path === '/cart.html' && /_cart$/.test(e.name));
    await waitFor('four cart events', () => cartEvents().filter((e) => e.name !== 'view_cart').length >= 3);
    const line4 = cartEvents().slice(-4);
    expect(line4.map((e) => [e.name, e.properties.items.map((i: any) => `${i.item_id}×${i.quantity}`), e.properties.value])).toEqual([
      ['view_cart', ['p-mug×3', 'p-lamp×1'], 62],
      ['add_to_cart', ['p-mug×1'], 12.5],
      ['remove_from_cart', ['p-lamp×1'], 24.5],
      ['remove_from_cart', ['p-mug×4'], 50],
    ]);
    await page.close();
  });
});
