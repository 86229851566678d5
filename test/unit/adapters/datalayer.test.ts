import { afterEach, describe, expect, it } from 'vitest';
import { dataLayerBridge } from '../../../src/adapters/datalayer';
import { captureTracker } from '../../support/capture-tracker';

type Layer = Omit<unknown[], "push"> & { push: (...a: unknown[]) => unknown };
const w = window as unknown as { dataLayer?: Layer; myLayer?: Layer };
const shoe = { item_id: 'SKU_1', item_name: 'Trail shoe', price: 80, quantity: 1 };
const names = (events: { name: string }[]) => events.map((e) => e.name);

// What GTM's gtm.js does when it loads: wrap push, call the push it found, process the entries.
function gtmWrap(layer: Layer, seen: unknown[]) {
  const found = layer.push;
  layer.push = function (...items: unknown[]) {
    const r = found.apply(layer, items);
    seen.push(...items);
    return r;
  };
}

afterEach(() => {
  delete w.dataLayer;
  delete w.myLayer;
  localStorage.clear();
});

describe('dataLayerBridge', () => {
  it('tracks e-commerce pushes made before it started once, then later pushes', async () => {
    w.dataLayer = [{ event: 'add_to_cart', ecommerce: { currency: 'EUR', value: 80, items: [shoe] } }] as Layer;
    const { tracker, sent, errors } = captureTracker({ plugins: [dataLayerBridge()] });
    w.dataLayer.push({ event: 'begin_checkout', ecommerce: { currency: 'EUR', value: 80, items: [shoe] } });
    const events = await sent();
    expect(names(events)).toEqual(['add_to_cart', 'begin_checkout']);
    expect(events[0].properties).toEqual({ currency: 'EUR', value: 80, items: [shoe] });
    expect(w.dataLayer).toHaveLength(2);
    expect(errors).toEqual([]);
    await tracker.shutdown();
  });

  it('does not replay, for a tracker created again with the same appId, what the first one bridged', async () => {
    // React StrictMode in development: the effect that creates the tracker runs, is cleaned up, runs again.
    w.dataLayer = [{ event: 'add_to_cart', ecommerce: { currency: 'EUR', value: 80, items: [shoe] } }] as Layer;
    const first = captureTracker({ appId: 'strict-shop', plugins: [dataLayerBridge()] });
    w.dataLayer.push({ event: 'begin_checkout', ecommerce: { currency: 'EUR', value: 80, items: [shoe] } });
    expect(names(await first.sent())).toEqual(['add_to_cart', 'begin_checkout']);
    await first.tracker.shutdown();
    // Pushed while no bridge listened: the next one's replay tracks it.
    w.dataLayer.push({ event: 'add_payment_info', ecommerce: { currency: 'EUR', value: 80, items: [shoe] } });
    const second = captureTracker({ appId: 'strict-shop', plugins: [dataLayerBridge()] });
    w.dataLayer.push({ event: 'purchase', ecommerce: { transaction_id: 'T1', currency: 'EUR', value: 80, items: [shoe] } });
    expect(names(await second.sent())).toEqual(['add_payment_info', 'purchase']);
    // Another app on the same page still gets the whole replay.
    const other = captureTracker({ appId: 'other-app', plugins: [dataLayerBridge()] });
    expect(names(await other.sent())).toEqual(['add_to_cart', 'begin_checkout', 'add_payment_info', 'purchase']);
    await second.tracker.shutdown();
    await other.tracker.shutdown();
  });

  it('creates the array when the page has none, and pushes still land in it', async () => {
    const { tracker, sent } = captureTracker({ plugins: [dataLayerBridge()] });
    expect(Array.isArray(w.dataLayer)).toBe(true);
    w.dataLayer!.push({ event: 'view_item', ecommerce: { items: [shoe] } });
    expect(w.dataLayer).toHaveLength(1);
    expect(names(await sent())).toEqual(['view_item']);
    await tracker.shutdown();
  });

  it('chains to a GTM push loaded before it, and GTM still sees every push', async () => {
    w.dataLayer = [] as unknown as Layer;
    const gtm: unknown[] = [];
    gtmWrap(w.dataLayer, gtm);
    const { tracker, sent } = captureTracker({ plugins: [dataLayerBridge()] });
    const push = { event: 'add_to_cart', ecommerce: { items: [shoe] } };
    w.dataLayer.push(push);
    expect(gtm).toEqual([push]);
    expect([...w.dataLayer]).toEqual([push]);
    expect(names(await sent())).toEqual(['add_to_cart']);
    await tracker.shutdown();
    // teardown gave GTM its push back
    w.dataLayer.push({ event: 'add_to_cart', ecommerce: { items: [shoe] } });
    expect(gtm).toHaveLength(2);
  });

  it('keeps working when GTM wraps push after it, and leaves GTM in place on teardown', async () => {
    const { tracker, sent } = captureTracker({ plugins: [dataLayerBridge()] });
    const gtm: unknown[] = [];
    gtmWrap(w.dataLayer!, gtm);
    const gtmPush = w.dataLayer!.push;
    w.dataLayer!.push({ event: 'remove_from_cart', ecommerce: { items: [shoe] } });
    expect(names(await sent())).toEqual(['remove_from_cart']);
    expect(gtm).toHaveLength(1);
    await tracker.shutdown();
    expect(w.dataLayer!.push).toBe(gtmPush);
    w.dataLayer!.push({ event: 'add_to_cart', ecommerce: { items: [shoe] } });
    expect(gtm).toHaveLength(2);
    expect(w.dataLayer).toHaveLength(2);
  });

  it('stops tracking and restores the previous push on teardown', async () => {
    const { tracker, sent } = captureTracker({ plugins: [dataLayerBridge()] });
    await tracker.shutdown();
    expect(w.dataLayer!.push).toBe(Array.prototype.push);
    w.dataLayer!.push({ event: 'add_to_cart', ecommerce: { items: [shoe] } });
    expect(await sent()).toEqual([]);
  });

  it('tracks gtag() calls, which push an Arguments object, and ignores other gtag commands', async () => {
    w.dataLayer = [] as unknown as Layer;
    // gtag.js's own definition
    function gtag(..._a: unknown[]) {
      // eslint-disable-next-line prefer-rest-params
      w.dataLayer!.push(arguments);
    }
    gtag('js', new Date());
    gtag('config', 'G-TEST');
    gtag('event', 'view_item', { currency: 'usd', value: '80.00', items: [shoe], send_to: 'G-TEST' });
    const { tracker, sent, errors } = captureTracker({ plugins: [dataLayerBridge()] });
    gtag('event', 'purchase', { transaction_id: 'T-1', currency: 'USD', value: 160, items: [{ ...shoe, quantity: 2 }] });
    gtag('event', 'page_view');
    const events = await sent();
    expect(names(events)).toEqual(['view_item', 'purchase']);
    expect(events[0].properties).toEqual({ currency: 'USD', value: 80, items: [shoe] });
    expect(events[1].properties).toEqual({ transaction_id: 'T-1', currency: 'USD', value: 160, items: [{ ...shoe, quantity: 2 }] });
    expect(errors).toEqual([]);
    await tracker.shutdown();
  });

  it('reads e-commerce fields pushed at the top level when there is no ecommerce object', async () => {
    const { tracker, sent } = captureTracker({ plugins: [dataLayerBridge()] });
    w.dataLayer!.push({ event: 'purchase', transaction_id: 'T-9', value: 80, currency: 'EUR', items: [shoe], 'gtm.uniqueEventId': 3 });
    const events = await sent();
    expect(events.map((e) => [e.name, e.properties])).toEqual([['purchase', { transaction_id: 'T-9', value: 80, currency: 'EUR', items: [shoe] }]]);
    await tracker.shutdown();
  });

  it('ignores { ecommerce: null } clear-pushes', async () => {
    const { tracker, sent, errors } = captureTracker({ plugins: [dataLayerBridge()] });
    w.dataLayer!.push({ ecommerce: null });
    w.dataLayer!.push({ event: 'add_to_cart', ecommerce: null });
    w.dataLayer!.push({ event: 'add_to_cart', ecommerce: { items: [shoe] } });
    expect(names(await sent())).toEqual(['add_to_cart']);
    expect(errors).toEqual([]);
    await tracker.shutdown();
  });

  it('leaves other events out unless passThrough names them or is true', async () => {
    const signup = { event: 'newsletter_signup', plan: 'weekly', 'gtm.uniqueEventId': 7, eventCallback: () => undefined };
    const a = captureTracker({ plugins: [dataLayerBridge()] });
    w.dataLayer!.push(signup, { event: 'gtm.js' });
    expect(await a.sent()).toEqual([]);
    await a.tracker.shutdown();
    delete w.dataLayer;

    const b = captureTracker({ plugins: [dataLayerBridge({ passThrough: ['newsletter_signup'] })] });
    w.dataLayer!.push(signup, { event: 'video_start' }, { event: 'gtm.dom' });
    const events = await b.sent();
    expect(names(events)).toEqual(['newsletter_signup']);
    expect(events[0].properties).toEqual({ plan: 'weekly' });
    await b.tracker.shutdown();
    delete w.dataLayer;

    const c = captureTracker({ plugins: [dataLayerBridge({ passThrough: true, name: 'myLayer' })] });
    w.myLayer!.push({ event: 'video_start', video: 'intro' }, { event: 'gtm.load' });
    expect(names(await c.sent())).toEqual(['video_start']);
    expect(w.dataLayer).toBeUndefined();
    await c.tracker.shutdown();
  });

  it('coerces string amounts, drops items without an id and reports each problem', async () => {
    const { tracker, sent, errors } = captureTracker({ plugins: [dataLayerBridge()] });
    w.dataLayer!.push({
      event: 'add_to_cart',
      ecommerce: { currency: 'ZZZ', value: '95.50', items: [{ item_id: 'A', price: '12.50', quantity: 'two' }, { item_name: 'no id' }] },
    });
    w.dataLayer!.push({ event: 'add_to_cart', ecommerce: { items: [{ price: 3 }] } });
    const events = await sent();
    expect(names(events)).toEqual(['add_to_cart']);
    expect(events[0].properties).toEqual({ value: 95.5, items: [{ item_id: 'A', price: 12.5, quantity: 1 }] });
    expect(errors.map((e) => e.code)).toEqual(['invalid_property', 'invalid_property', 'invalid_property', 'invalid_property', 'invalid_properties']);
    expect(errors.map((e) => e.message).join('\n')).toMatch(/quantity is "two".*sent as 1[\s\S]*no item_id[\s\S]*ZZZ[\s\S]*no valid items/);
    await tracker.shutdown();
  });

  it('never throws into the page, whatever is pushed', async () => {
    const { tracker, sent } = captureTracker({ plugins: [dataLayerBridge()] });
    const odd = [null, 42, 'event', () => undefined, [1, 2], { event: 7 }, { event: 'purchase', ecommerce: 'x' }, { event: 'add_to_cart', ecommerce: { items: 'nope' } }];
    expect(() => w.dataLayer!.push(...odd)).not.toThrow();
    expect(w.dataLayer).toHaveLength(odd.length);
    expect(await sent()).toEqual([]);
    await tracker.shutdown();
  });
});

describe('dataLayerBridge, privacy', () => {
  it('bridges only GA4 keys of ecommerce and of its items, and the keys privacy.ecommerceKeys adds', async () => {
    w.dataLayer = [] as unknown as Layer;
    const { tracker, sent, errors } = captureTracker({ plugins: [dataLayerBridge()] });
    const push = (ecommerce: object) => w.dataLayer!.push({ event: 'purchase', ecommerce });
    push({ transaction_id: 'T-1', currency: 'EUR', value: 80, customer_email: 'jane@example.com', items: [{ ...shoe, buyer_name: 'Jane Doe' }] });
    push({ transaction_id: 'T-2', currency: 'EUR', value: 80, customer_email: 'jane@example.com', items: [shoe] });
    gtagPurchase();
    const events = await sent();
    expect(events.map((e) => e.properties)).toEqual([
      { transaction_id: 'T-1', currency: 'EUR', value: 80, items: [shoe] },
      { transaction_id: 'T-2', currency: 'EUR', value: 80, items: [shoe] },
      { transaction_id: 'T-3', currency: 'EUR', value: 80, items: [shoe] },
    ]);
    // Each key reported once, however often it comes.
    expect(errors.map((e) => e.message)).toEqual([
      'invalid_property: dataLayerBridge: customer_email is neither a GA4 field nor in privacy.ecommerceKeys: left out',
      'invalid_property: dataLayerBridge: buyer_name is neither a GA4 field nor in privacy.ecommerceKeys: left out',
    ]);
    await tracker.shutdown();

    w.dataLayer = [] as unknown as Layer;
    const more = captureTracker({ plugins: [dataLayerBridge()], privacy: { ecommerceKeys: ['loyalty_tier'] } });
    push({ transaction_id: 'T-4', currency: 'EUR', value: 80, loyalty_tier: 'gold', items: [shoe] });
    expect((await more.sent())[0].properties).toEqual({ transaction_id: 'T-4', currency: 'EUR', value: 80, loyalty_tier: 'gold', items: [shoe] });
    await more.tracker.shutdown();
  });

  it('bridges nothing while the page is under [data-ct-ignore]', async () => {
    w.dataLayer = [] as unknown as Layer;
    const { tracker, sent } = captureTracker({ plugins: [dataLayerBridge()] });
    document.body.setAttribute('data-ct-ignore', '');
    w.dataLayer.push({ event: 'add_to_cart', ecommerce: { currency: 'EUR', value: 80, items: [shoe] } });
    document.body.removeAttribute('data-ct-ignore');
    w.dataLayer.push({ event: 'begin_checkout', ecommerce: { currency: 'EUR', value: 80, items: [shoe] } });
    expect(names(await sent())).toEqual(['begin_checkout']);
    await tracker.shutdown();
  });
});

// gtag('event', ...) pushes its arguments object.
function gtagPurchase() {
  // eslint-disable-next-line prefer-rest-params
  (function (..._: unknown[]) {
    w.dataLayer!.push(arguments);
  })('event', 'purchase', { transaction_id: 'T-3', currency: 'EUR', value: 80, customer_email: 'jane@example.com', items: [shoe] });
}
