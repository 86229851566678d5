import { afterEach, describe, expect, it } from 'vitest';
import { domCommerce } from '../../../src/adapters/dom';
import type { PrivacyOptions } from '../../../src/core/types';
import { captureTracker } from '../../support/capture-tracker';

const click = (sel: string) => (document.querySelector(sel) as HTMLElement).click();
const trackers: { shutdown(): Promise<void> }[] = [];
function start(html: string, options?: Parameters<typeof domCommerce>[0], privacy?: PrivacyOptions) {
  document.body.innerHTML = html;
  const c = captureTracker({ plugins: [domCommerce(options)], privacy });
  trackers.push(c.tracker);
  return c;
}

afterEach(async () => {
  for (const t of trackers.splice(0)) await t.shutdown();
  document.body.innerHTML = '';
  localStorage.clear();
});

const card = (inner: string, attrs = '') =>
  `<article data-ct-item-id="mug-1" data-ct-item-name="Blue mug" data-ct-price="12.50" data-ct-currency="eur"
    data-ct-brand="Potter" data-ct-category="Kitchen" data-ct-variant="blue" ${attrs}>${inner}</article>`;

describe('domCommerce attributes', () => {
  it('sends add_to_cart with the item fields of the product card around the button', async () => {
    const { sent, errors } = start(card('<button id="add" data-ct-event="add_to_cart"><span id="label">Add</span></button>'));
    click('#label'); // a click on the button's content counts
    const events = await sent();
    expect(events.map((e) => [e.name, e.properties])).toEqual([
      [
        'add_to_cart',
        {
          currency: 'EUR',
          value: 12.5,
          items: [{ item_id: 'mug-1', item_name: 'Blue mug', price: 12.5, item_brand: 'Potter', item_category: 'Kitchen', item_variant: 'blue' }],
        },
      ],
    ]);
    expect(errors).toEqual([]);
  });

  it('lets the clicked element override card fields, so a +1 button in a cart line sends quantity 1', async () => {
    const { sent } = start(
      card('<button id="plus" data-ct-event="add_to_cart" data-ct-quantity="1">+</button><button id="minus" data-ct-event="remove_from_cart" data-ct-quantity="1">−</button>', 'data-ct-quantity="3"'),
    );
    click('#plus');
    click('#minus');
    const events = await sent();
    expect(events.map((e) => [e.name, e.properties.items[0].quantity, e.properties.value])).toEqual([
      ['add_to_cart', 1, 12.5],
      ['remove_from_cart', 1, 12.5],
    ]);
  });

  it('sends every card of the data-ct-items container, and other data-ct-* attributes as properties', async () => {
    const { sent } = start(`
      <ul id="cart">
        <li data-ct-item-id="a" data-ct-price="10" data-ct-quantity="2"></li>
        <li data-ct-item-id="b" data-ct-price="5.25" data-ct-quantity="1"></li>
      </ul>
      <button id="buy" data-ct-event="purchase" data-ct-items="#cart" data-ct-currency="USD"
        data-ct-transaction-id="T-100" data-ct-shipping="4.00" data-ct-tax="2.5">Pay</button>`);
    click('#buy');
    const [e] = await sent();
    expect(e.name).toBe('purchase');
    expect(e.properties).toEqual({
      transaction_id: 'T-100',
      shipping: 4,
      tax: 2.5,
      currency: 'USD',
      value: 25.25,
      items: [
        { item_id: 'a', price: 10, quantity: 2 },
        { item_id: 'b', price: 5.25, quantity: 1 },
      ],
    });
  });

  it('sends custom event names with the attributes privacy.dataAttributes lists, masked, and no items when there is no card', async () => {
    const { sent, errors } = start(
      '<a id="n" href="#" data-ct-event="newsletter_signup" data-ct-plan="weekly" data-ct-signup-email="jane@example.com">Sign up</a>',
      undefined,
      { dataAttributes: ['plan', 'signup_email'] },
    );
    click('#n');
    const events = await sent();
    expect(events.map((e) => [e.name, e.properties])).toEqual([['newsletter_signup', { plan: 'weekly', signup_email: '[email]' }]]);
    expect(errors).toEqual([]);
  });

  it('leaves out data-ct-* attributes that are neither GA4 fields nor listed, reporting each name once', async () => {
    const { sent, errors } = start(`<button id="b" data-ct-event="purchase" data-ct-transaction-id="T-1" data-ct-user-email="jane@example.com"
      data-ct-items="#cart">Pay</button><ul id="cart">${card('')}</ul>`);
    click('#b');
    click('#b');
    const events = await sent();
    expect(events).toHaveLength(2);
    expect(events[0].properties).toMatchObject({ transaction_id: 'T-1', items: [{ item_id: 'mug-1' }] });
    expect(events[0].properties.user_email).toBeUndefined();
    expect(errors.map((e) => [e.code, e.message])).toEqual([
      ['invalid_property', 'invalid_property: domCommerce: data-ct-user-email is neither a GA4 field nor in privacy.dataAttributes: left out'],
    ]);
  });

  it('sends nothing for elements, cards and views inside [data-ct-ignore]', async () => {
    const { sent, tracker } = start(`<div data-ct-ignore><button id="in" data-ct-event="add_to_cart">Add</button>
      <section data-ct-view="view_item">${card('')}</section></div>${card('<button id="out" data-ct-event="add_to_cart">Add</button>')}`);
    click('#in');
    click('#out');
    tracker.track('marker');
    expect((await sent()).map((e) => e.name)).toEqual(['add_to_cart', 'marker']);
  });

  it('adds the list to select_item from the data-ct-item-list around the card', async () => {
    const { sent } = start(`<section data-ct-item-list="home" data-ct-item-list-name="Home picks">
      ${card('<a id="open" href="#" data-ct-event="select_item">Blue mug</a>')}</section>`);
    click('#open');
    const [e] = await sent();
    expect(e.properties.item_list_id).toBe('home');
    expect(e.properties.item_list_name).toBe('Home picks');
    expect(e.properties.items[0]).toMatchObject({ item_id: 'mug-1', item_list_id: 'home', item_list_name: 'Home picks' });
    expect(e.properties.value).toBeUndefined();
  });

  it('does not send an add_to_cart without an item id, and reports it', async () => {
    const { sent, errors } = start('<div data-ct-item-name="No id" data-ct-price="3"><button id="add" data-ct-event="add_to_cart">Add</button></div>');
    expect(() => click('#add')).not.toThrow();
    expect(await sent()).toEqual([]);
    expect(errors.map((e) => e.code)).toEqual(['invalid_properties']);
    expect(errors[0].message).toMatch(/add_to_cart has no valid items/);
  });

  it('sends NaN quantities as 1, leaves off unparseable prices and unknown currencies, and reports each', async () => {
    const { sent, errors } = start(
      `<div data-ct-item-id="x" data-ct-price="twelve" data-ct-quantity="NaN" data-ct-currency="XYZ">
        <button id="add" data-ct-event="add_to_cart">Add</button></div>`,
    );
    click('#add');
    const [e] = await sent();
    expect(e.properties).toEqual({ items: [{ item_id: 'x', quantity: 1 }] });
    expect(errors.map((x) => x.code)).toEqual(['invalid_property', 'invalid_property', 'invalid_property']);
    expect(errors.map((x) => x.message).join('\n')).toMatch(/price is "twelve"[\s\S]*quantity is "NaN"[\s\S]*unknown currency code "XYZ"/);
  });

  it('uses the currency option when the page names none', async () => {
    const { sent } = start('<div data-ct-item-id="x" data-ct-price="2"><button id="add" data-ct-event="add_to_cart">Add</button></div>', { currency: 'gbp' });
    click('#add');
    const [e] = await sent();
    expect(e.properties).toEqual({ currency: 'GBP', value: 2, items: [{ item_id: 'x', price: 2 }] });
  });

  it('sends no value when no currency is known, as clicktrail/zustand does', async () => {
    const { sent } = start('<div data-ct-item-id="x" data-ct-price="2"><button id="add" data-ct-event="add_to_cart">Add</button></div>');
    click('#add');
    const [e] = await sent();
    expect(e.properties).toEqual({ items: [{ item_id: 'x', price: 2 }] });
  });

  it('sends a form\'s event on submit, not on clicks inside it, its submit button\'s included', async () => {
    const { sent } = start(`<ul id="order"><li data-ct-item-id="a" data-ct-price="10"></li></ul>
      <form id="f" data-ct-event="purchase" data-ct-items="#order" data-ct-transaction-id="T-1" data-ct-currency="EUR">
        <input id="name"><button id="pay" data-ct-event="purchase">Pay</button>
        <button id="coupon" type="button" data-ct-event="add_coupon">Coupon</button>
      </form>`);
    const form = document.querySelector('#f') as HTMLFormElement;
    form.addEventListener('submit', (e) => e.preventDefault());
    click('#name');
    click('#coupon');
    click('#pay'); // submits the form: one purchase, from the submit
    const events = await sent();
    expect(events.map((e) => [e.name, e.properties])).toEqual([
      ['add_coupon', {}],
      ['purchase', { transaction_id: 'T-1', currency: 'EUR', value: 10, items: [{ item_id: 'a', price: 10 }] }],
    ]);
  });

  it('sends data-ct-view events once when the container is in the page, and for containers added later', async () => {
    const { sent } = start(card('', 'id="p" data-ct-view="view_item"'));
    await new Promise((r) => setTimeout(r, 0)); // let the MutationObserver see nothing new
    const box = document.createElement('div');
    box.innerHTML = '<main data-ct-view="view_cart"><p data-ct-item-id="a" data-ct-quantity="2"></p><p data-ct-item-id="b"></p></main>';
    document.body.append(box);
    await new Promise((r) => setTimeout(r, 0));
    const events = await sent();
    expect(events.map((e) => [e.name, e.properties.items.map((i: { item_id: string }) => i.item_id)])).toEqual([
      ['view_item', ['mug-1']],
      ['view_cart', ['a', 'b']],
    ]);
  });

  it('reports unknown options and stops listening on teardown', async () => {
    const { tracker, errors } = start('<button id="bad" data-ct-event="add_to_cart">Add</button>', { colour: 'red' } as never);
    expect(errors.map((e) => e.message)).toEqual([expect.stringContaining('domCommerce: unknown option "colour"')]);
    click('#bad'); // no item: reported while listening
    expect(errors).toHaveLength(2);
    await tracker.shutdown();
    click('#bad');
    expect(errors).toHaveLength(2);
  });
});
