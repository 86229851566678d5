import { afterEach, describe, expect, it } from 'vitest';
import { segmentNames } from '../../../src/segment';
import { createStore } from 'zustand/vanilla';
import { trackCart, untracked } from '../../../src/adapters/zustand';
import { captureTracker } from '../../support/capture-tracker';
import { kettle, persistedShopcart, vanillaShopcart, watch } from './shopcart-store';

const watchItem = { item_id: 'p-watch', item_name: 'Smart Watch', price: 120, discount: 12, item_brand: 'Apple', item_category: 'Watches', item_variant: 'gadget' };
const kettleItem = { item_id: 'p-kettle', item_name: 'Kettle', price: 35, discount: 0, item_brand: 'Philips', item_category: 'Kitchen', item_variant: 'appliances' };
// The core may prefix messages with their code; the adapter's text is what these tests check.
const text = (e: { message: string }) => e.message.replace(/^[a-z_]+: /, '');
const summary = (events: { name: string; properties: any }[]) =>
  events.map((e) => [e.name, e.properties.items.map((i: any) => `${i.item_id}${i.quantity ? ' x' + i.quantity : ''}`).join(','), e.properties.value]);

afterEach(() => localStorage.clear());

describe('trackCart on the Shopcart store', () => {
  it('sends add_to_cart and remove_from_cart with the quantity each change made', async () => {
    const store = vanillaShopcart();
    const { tracker, sent, errors } = captureTracker();
    trackCart(store, { tracker, currency: 'usd' });
    const s = store.getState();
    s.addItem(watch);
    s.addItem(watch); // the + button
    s.addItem(kettle);
    s.removeItem('p-watch'); // the - button
    s.deleteCartProduct('p-watch');
    const events = await sent();
    expect(summary(events)).toEqual([
      ['add_to_cart', 'p-watch x1', 120],
      ['add_to_cart', 'p-watch x1', 120],
      ['add_to_cart', 'p-kettle x1', 35],
      ['remove_from_cart', 'p-watch x1', 120],
      ['remove_from_cart', 'p-watch x1', 120],
    ]);
    expect(events[0].properties).toEqual({ items: [{ ...watchItem, quantity: 1 }], currency: 'USD', value: 120 });
    expect(errors).toEqual([]);
  });

  it('sends one remove_from_cart with every line when the cart is reset', async () => {
    const store = vanillaShopcart();
    const { tracker, sent } = captureTracker();
    store.getState().addItem(watch);
    store.getState().addItem(watch);
    store.getState().addItem(kettle);
    trackCart(store, { tracker, currency: 'USD' });
    store.getState().resetCart();
    const events = await sent();
    expect(events.map((e) => e.name)).toEqual(['remove_from_cart']);
    expect(events[0].properties).toEqual({
      items: [{ ...watchItem, quantity: 2 }, { ...kettleItem, quantity: 1 }],
      currency: 'USD',
      value: 275,
    });
  });

  it('sends add_to_wishlist and remove_from_wishlist as the heart toggles', async () => {
    const store = vanillaShopcart();
    const { tracker, sent } = captureTracker();
    trackCart(store, { tracker });
    await store.getState().addToFavorite(kettle);
    await store.getState().addToFavorite(kettle);
    await store.getState().addToFavorite(watch);
    store.getState().removeFromFavorite('p-watch');
    const events = await sent();
    expect(events.map((e) => [e.name, e.properties])).toEqual([
      ['add_to_wishlist', { items: [kettleItem] }],
      ['remove_from_wishlist', { items: [kettleItem] }],
      ['add_to_wishlist', { items: [watchItem] }],
      ['remove_from_wishlist', { items: [watchItem] }],
    ]);
  });

  it('sends nothing for changes made inside untracked(), such as the reset after a purchase', async () => {
    const store = vanillaShopcart();
    const { tracker, sent } = captureTracker();
    trackCart(store, { tracker });
    store.getState().addItem(watch);
    untracked(store, () => store.getState().resetCart());
    store.getState().addItem(kettle);
    expect(summary(await sent())).toEqual([
      ['add_to_cart', 'p-watch x1', undefined],
      ['add_to_cart', 'p-kettle x1', undefined],
    ]);
  });

  it('stops sending once the returned function is called', async () => {
    const store = vanillaShopcart();
    const { tracker, sent } = captureTracker();
    const stop = trackCart(store, { tracker });
    store.getState().addItem(watch);
    stop();
    store.getState().addItem(kettle);
    expect(summary(await sent())).toEqual([['add_to_cart', 'p-watch x1', undefined]]);
  });

  it('renames the events with the tracker\'s eventNames option', async () => {
    const store = vanillaShopcart();
    const { tracker, sent } = captureTracker({ eventNames: segmentNames });
    trackCart(store, { tracker });
    store.getState().addItem(watch);
    store.getState().resetCart();
    expect((await sent()).map((e) => e.name)).toEqual(['Product Added', 'Product Removed']);
  });
});

describe('trackCart on a store persisted to localStorage', () => {
  const saved = JSON.stringify({ state: { items: [{ product: watch, quantity: 3 }], favoriteProduct: [kettle] }, version: 0 });

  it('sends nothing when the store is restored from localStorage, then only the shopper\'s changes', async () => {
    localStorage.setItem('cart-store', saved);
    const useStore = persistedShopcart();
    expect(useStore.getState().items[0]?.quantity).toBe(3);
    const { tracker, sent } = captureTracker();
    trackCart(useStore, { tracker });
    useStore.getState().addItem(watch);
    await useStore.getState().addToFavorite(kettle);
    expect(summary(await sent())).toEqual([
      ['add_to_cart', 'p-watch x1', undefined],
      ['remove_from_wishlist', 'p-kettle', undefined],
    ]);
  });

  it('takes a hydration that finishes after trackCart as the baseline (skipHydration, rehydrate)', async () => {
    localStorage.setItem('cart-store', saved);
    const useStore = persistedShopcart({ skipHydration: true });
    const { tracker, sent } = captureTracker();
    trackCart(useStore, { tracker });
    expect(useStore.persist.hasHydrated()).toBe(false);
    await useStore.persist.rehydrate();
    expect(useStore.getState().items).toHaveLength(1);
    useStore.getState().removeItem('p-watch');
    expect(summary(await sent())).toEqual([['remove_from_cart', 'p-watch x1', undefined]]);
  });
});

describe('trackCart with bad input', () => {
  it('reports products without an id and lines with NaN quantities instead of throwing', async () => {
    const store = vanillaShopcart();
    const { tracker, sent, errors } = captureTracker();
    trackCart(store, { tracker });
    store.getState().addItem({ name: 'no id', price: 3 });
    store.getState().addItem(watch);
    store.setState({ items: [{ product: watch, quantity: NaN }] });
    store.setState({ items: [{ product: watch, quantity: 2 }] });
    expect(summary(await sent())).toEqual([
      ['add_to_cart', 'p-watch x1', undefined],
      ['add_to_cart', 'p-watch x1', undefined],
    ]);
    expect(errors.map((e) => [e.code, text(e)])).toEqual([
      ['invalid_properties', 'trackCart: a product has no id'],
      ['invalid_properties', 'trackCart: product p-watch has quantity NaN; its line is left as it was'],
    ]);
  });

  it('reads string prices such as "12.50" as numbers', async () => {
    const store = vanillaShopcart();
    const { tracker, sent } = captureTracker();
    trackCart(store, { tracker, currency: 'EUR' });
    store.getState().addItem({ _id: 's', name: 'Socks', price: '12.50' });
    store.getState().addItem({ _id: 's', name: 'Socks', price: '12.50' });
    const [e] = await sent();
    expect(e.properties).toEqual({ items: [{ item_id: 's', item_name: 'Socks', price: 12.5, quantity: 1 }], currency: 'EUR', value: 12.5 });
  });

  it('reports a three-letter currency that is no ISO 4217 code, as clicktrail/dom does, and sends no value', async () => {
    const store = vanillaShopcart();
    const { tracker, sent, errors } = captureTracker();
    trackCart(store, { tracker, currency: 'XYZ' });
    store.getState().addItem(watch);
    const [e] = await sent();
    expect(e.properties).toEqual({ items: [{ ...watchItem, quantity: 1 }] });
    expect(errors.map((x) => [x.code, text(x)])).toEqual([['invalid_option', 'trackCart: unknown currency code "XYZ": currency left off, and so is value']]);
  });

  it('reports a store whose state does not match, a store that is not one, and a bad currency', async () => {
    const { tracker, sent, errors } = captureTracker();
    const other = createStore(() => ({ basket: [{ sku: 'x' }] }));
    expect(() => trackCart(other, { tracker, currency: 'dollars' })).not.toThrow();
    other.setState({ basket: [] });
    const stop = trackCart({} as any, { tracker });
    expect(stop).toBeTypeOf('function');
    expect(await sent()).toEqual([]);
    expect(errors.map(text)).toEqual([
      'trackCart: unknown currency code "dollars": currency left off, and so is value',
      'trackCart: the cart items are not a list (got undefined); check state.items or pass a selector',
      'trackCart: the store needs getState() and subscribe() (a zustand store or hook)',
    ]);
  });
});

describe('trackCart and a percentage discount', () => {
  const monitor = { _id: 'p-monitor', name: 'Monitor 27"', price: 2_690_000, discount: 10, brand: 'LG', categories: ['Monitors'] };

  it('sends a Shopcart product\'s 10% off a 2,690,000 VND monitor as a discount of 269,000 per unit', async () => {
    const store = vanillaShopcart();
    const { tracker, sent, errors } = captureTracker();
    trackCart(store, { tracker, currency: 'VND' });
    store.getState().addItem(monitor);
    store.getState().addItem(monitor);
    const events = await sent();
    expect(events.map((e) => e.properties.items[0].discount)).toEqual([269_000, 269_000]);
    expect(events[0].properties.value).toBe(2_690_000);
    expect(errors).toEqual([]);
  });

  it('sends the discount as it is with discount: \'amount\'', async () => {
    const store = vanillaShopcart();
    const { tracker, sent } = captureTracker();
    trackCart(store, { tracker, discount: 'amount' });
    store.getState().addItem({ ...monitor, discount: 50_000 });
    expect((await sent())[0].properties.items[0].discount).toBe(50_000);
  });

  it('rounds the amount to cents, leaves out a percentage over 100 and reports a bad option', async () => {
    const store = vanillaShopcart();
    const { tracker, sent, errors } = captureTracker();
    trackCart(store, { tracker, discount: 'percentage' as 'percent' });
    store.getState().addItem({ _id: 'lamp', name: 'Lamp', price: 19.99, discount: 15 });
    store.getState().addItem({ _id: 'rug', name: 'Rug', price: 40, discount: 250 });
    const items = (await sent()).map((e) => e.properties.items[0]);
    expect(items[0].discount).toBe(3);
    expect(items[1]).not.toHaveProperty('discount');
    expect(errors.map(text)).toEqual([
      "trackCart: discount is 'percent' or 'amount', not percentage",
      'trackCart: product rug: a discount of 250% needs a price and at most 100; left out',
    ]);
  });
});

describe('trackCart on other store shapes', () => {
  it('follows itemsSelector, line, favoritesSelector and mapping', async () => {
    type Line = { sku: string; title: string; unitPrice: string; qty: number };
    const store = createStore<{ cart: { lines: Line[] }; saved: { sku: string; title: string }[] }>(() => ({ cart: { lines: [] }, saved: [] }));
    const { tracker, sent } = captureTracker();
    trackCart(store, {
      tracker,
      currency: 'GBP',
      itemsSelector: (s) => s.cart.lines,
      line: (l: Line) => ({ product: l, quantity: l.qty }),
      favoritesSelector: (s) => s.saved,
      mapping: { id: 'sku', price: 'unitPrice' },
    });
    store.setState({ cart: { lines: [{ sku: 'A1', title: 'Lamp', unitPrice: '19.99', qty: 3 }] } });
    store.setState({ cart: { lines: [{ sku: 'A1', title: 'Lamp', unitPrice: '19.99', qty: 1 }] } });
    store.setState({ saved: [{ sku: 'B2', title: 'Rug' }] });
    expect((await sent()).map((e) => [e.name, e.properties])).toEqual([
      ['add_to_cart', { items: [{ item_id: 'A1', item_name: 'Lamp', price: 19.99, quantity: 3 }], currency: 'GBP', value: 59.97 }],
      ['remove_from_cart', { items: [{ item_id: 'A1', item_name: 'Lamp', price: 19.99, quantity: 2 }], currency: 'GBP', value: 39.98 }],
      ['add_to_wishlist', { items: [{ item_id: 'B2', item_name: 'Rug' }], currency: 'GBP' }],
    ]);
  });

  it('uses a toItem function in place of the mapping and reports one that throws', async () => {
    const store = vanillaShopcart();
    const { tracker, sent, errors } = captureTracker();
    trackCart(store, {
      tracker,
      toItem: (p, quantity) => {
        if (p.name === 'bad') throw new Error('no');
        return { item_id: p.slug!.current, quantity };
      },
    });
    store.getState().addItem(watch);
    store.getState().addItem({ _id: 'z', name: 'bad' });
    expect((await sent()).map((e) => e.properties)).toEqual([{ items: [{ item_id: 'smart-watch', quantity: 1 }] }]);
    expect(errors.map(text)).toEqual(['trackCart: toItem failed: no']);
  });
});
