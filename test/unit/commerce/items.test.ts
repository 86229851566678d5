import { describe, expect, it } from 'vitest';
import { toAmount, toCurrency, toItem } from '../../../src/commerce/items';

const shopcart = {
  _id: 'p-1',
  name: 'Smart Watch',
  slug: { current: 'smart-watch' },
  price: 120,
  discount: 10,
  variant: 'gadget',
  brand: 'Apple',
  categories: ['Watches', 'Gadgets'],
};

describe('toItem', () => {
  it('maps a Shopcart product to a GA4 item with its quantity', () => {
    expect(toItem(shopcart, undefined, 2)).toEqual({
      item: {
        item_id: 'p-1',
        item_name: 'Smart Watch',
        price: 120,
        discount: 12,
        quantity: 2,
        item_brand: 'Apple',
        item_category: 'Watches',
        item_category2: 'Gadgets',
        item_variant: 'gadget',
      },
    });
  });

  it('reads the discount as a percentage of the price unless the mapping says it is an amount', () => {
    expect(toItem({ _id: 'm', price: 2_690_000, discount: 10 }).item).toEqual({ item_id: 'm', price: 2_690_000, discount: 269_000 });
    expect(toItem({ _id: 'm', price: 90, discount: 10 }, { discountKind: 'amount' }).item).toEqual({ item_id: 'm', price: 90, discount: 10 });
    expect(toItem({ _id: 'm', discount: 10 })).toEqual({ item: { item_id: 'm' }, reason: 'product m: a discount of 10% needs a price and at most 100; left out' });
  });

  it('reads numeric string prices such as "12.50"', () => {
    expect(toItem({ id: 7, title: 'Cup', price: '12.50' }).item).toEqual({ item_id: '7', item_name: 'Cup', price: 12.5 });
  });

  it('leaves out a price that is not an amount and says why', () => {
    const r = toItem({ _id: 'x', price: '12,50 EUR' });
    expect(r.item).toEqual({ item_id: 'x' });
    expect(r.reason).toMatch(/price "12,50 EUR" is not an amount/);
  });

  it('gives no item and a reason for a product without an id', () => {
    expect(toItem({ name: 'nameless', price: 3 })).toEqual({ reason: 'a product has no id' });
    expect(toItem(null).reason).toMatch(/must be an object, got null/);
  });

  it('gives no item for a NaN or fractional quantity', () => {
    expect(toItem(shopcart, undefined, NaN).reason).toMatch(/quantity must be a positive whole number, got NaN/);
    expect(toItem(shopcart, undefined, 1.5).item).toBeUndefined();
  });

  it('follows a mapping of paths and functions, and survives one that throws', () => {
    const m = { id: 'slug.current', brand: (p: typeof shopcart) => p.brand.toUpperCase(), category: 'nope' };
    expect(toItem(shopcart, m).item).toMatchObject({ item_id: 'smart-watch', item_brand: 'APPLE' });
    expect(toItem(shopcart, m).item).not.toHaveProperty('item_category');
    const bad = toItem(shopcart, { name: () => { throw new Error('boom'); } });
    expect(bad).toEqual({ reason: 'mapping a product failed: boom' });
  });

  it('reads brand and category objects by title or name', () => {
    const r = toItem({ _id: 'a', brand: { title: 'Sony' }, categories: [{ name: 'TV' }] });
    expect(r.item).toEqual({ item_id: 'a', item_brand: 'Sony', item_category: 'TV' });
  });
});

describe('toAmount and toCurrency', () => {
  it('accepts finite non-negative numbers and numeric strings only', () => {
    expect(toAmount(' 3.25 ')).toBe(3.25);
    expect(toAmount(-1)).toBeUndefined();
    expect(toAmount(Infinity)).toBeUndefined();
    expect(toAmount('1e3')).toBeUndefined();
  });

  it('normalises currency codes and refuses anything that is not three letters', () => {
    expect(toCurrency(' eur ')).toBe('EUR');
    expect(toCurrency('euro')).toBeUndefined();
    expect(toCurrency(978)).toBeUndefined();
  });
});
