import type { CommerceItem } from './events';

/**
 * Where a field of a product comes from: a dotted path (`'slug.current'`) or a function.
 * @public
 */
export type ItemField<P = any> = string | ((product: P) => unknown);

/**
 * How a product of the shop becomes a GA4 item (`CommerceItem`). Each field is optional and
 * replaces the default for that field only.
 *
 * The defaults fit Sanity-shaped products (`_id`, `name`, `price`, `discount`, `variant`,
 * `brand`, `categories`) and common alternatives (`id`, `sku`, `title`, `brandName`, `category`).
 * @public
 */
export interface ItemMapping<P = any> {
  /** @defaultValue the first of `_id`, `id`, `item_id`, `sku` */
  id?: ItemField<P>;
  /** @defaultValue the first of `name`, `title`, `item_name` */
  name?: ItemField<P>;
  /** A number or a numeric string (`"12.50"`). @defaultValue `price` */
  price?: ItemField<P>;
  /** The product's discount, read as `discountKind` says. @defaultValue `discount` */
  discount?: ItemField<P>;
  /**
   * What the discount field holds: `'percent'` of the price (as the Shopcart template's products
   * do), sent as GA4's per-unit amount `price × percent / 100`; or `'amount'`, a money amount per
   * unit, sent as it is. @defaultValue `'percent'`
   */
  discountKind?: 'percent' | 'amount';
  /** A string or an object with `name` or `title`. @defaultValue `brand`, else `brandName` */
  brand?: ItemField<P>;
  /**
   * A string, or a list of up to five (item_category … item_category5); entries may be objects
   * with `title` or `name`. @defaultValue `categories`, else `category`
   */
  category?: ItemField<P>;
  /** @defaultValue `variant` */
  variant?: ItemField<P>;
}

/**
 * What {@link toItem} returns: the item, or `undefined` when the product cannot be one; `reason`
 * says what was wrong (also when a bad field was only left out of the item).
 * @public
 */
export interface ItemResult {
  item?: CommerceItem;
  reason?: string;
}

const get = (p: any, f: ItemField | undefined, fallbacks: string[]): unknown => {
  if (typeof f === 'function') return f(p);
  for (const path of f ? [f] : fallbacks) {
    let v = p;
    for (const k of path.split('.')) v = v == null ? undefined : v[k];
    if (v != null && v !== '') return v;
  }
  return undefined;
};

const label = (v: unknown): string | undefined => {
  if (v && typeof v === 'object') v = (v as any).title ?? (v as any).name;
  if (typeof v === 'number') v = String(v);
  return typeof v === 'string' && v.trim() ? v.trim() : undefined;
};

/**
 * A finite, non-negative amount from a number or a numeric string (`"12.50"`); `undefined`
 * for anything else.
 * @public
 */
export function toAmount(v: unknown): number | undefined {
  if (typeof v === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(v)) v = Number(v);
  return typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : undefined;
}

/**
 * An ISO 4217 code (`'EUR'`) from `'eur'` or `' EUR '`; `undefined` for anything that is not
 * three letters.
 * @public
 */
export function toCurrency(v: unknown): string | undefined {
  const c = typeof v === 'string' ? v.trim().toUpperCase() : '';
  return /^[A-Z]{3}$/.test(c) ? c : undefined;
}

/**
 * Turns a shop's product into a GA4 item. Never throws: a product without an id, a quantity that
 * is not a positive whole number, or a mapping function that throws gives `{ reason }` without
 * an item; a bad price or discount is left out of the item and named in `reason`.
 * @param quantity - the item's quantity, when it has one.
 * @public
 */
export function toItem<P = any>(product: P, mapping?: ItemMapping<P>, quantity?: number): ItemResult {
  try {
    if (!product || typeof product !== 'object') return { reason: `a product must be an object, got ${product === null ? 'null' : typeof product}` };
    const m = mapping || {};
    const rawId = get(product, m.id, ['_id', 'id', 'item_id', 'sku']);
    const id = typeof rawId === 'number' && Number.isFinite(rawId) ? String(rawId) : label(rawId);
    if (!id) return { reason: 'a product has no id' };
    if (quantity !== undefined && !(Number.isInteger(quantity) && quantity > 0)) {
      return { reason: `product ${id}: quantity must be a positive whole number, got ${quantity}` };
    }
    const notes: string[] = [];
    const item: CommerceItem = { item_id: id };
    const name = label(get(product, m.name, ['name', 'title', 'item_name']));
    if (name) item.item_name = name;
    for (const [key, field, dflt] of [
      ['price', m.price, 'price'],
      ['discount', m.discount, 'discount'],
    ] as const) {
      const raw = get(product, field, [dflt]);
      if (raw === undefined) continue;
      const n = toAmount(raw);
      if (n === undefined) notes.push(`product ${id}: ${key} ${JSON.stringify(raw)} is not an amount; left out`);
      else item[key] = n;
    }
    if (item.discount !== undefined && m.discountKind != 'amount') {
      // GA4's discount is money per unit; Shopcart's PriceView and getSubTotalPrice read a percentage.
      const pct = item.discount;
      delete item.discount;
      if (pct <= 100 && item.price !== undefined) item.discount = Math.round(item.price * pct) / 100;
      else notes.push(`product ${id}: a discount of ${pct}% needs a price and at most 100; left out`);
    }
    if (quantity !== undefined) item.quantity = quantity;
    const brand = label(get(product, m.brand, ['brand', 'brandName']));
    if (brand) item.item_brand = brand;
    const cats = get(product, m.category, ['categories', 'category']);
    const list = (Array.isArray(cats) ? cats : [cats]).map(label).filter(Boolean).slice(0, 5) as string[];
    list.forEach((c, i) => ((item as any)[i ? `item_category${i + 1}` : 'item_category'] = c));
    const variant = label(get(product, m.variant, ['variant']));
    if (variant) item.item_variant = variant;
    return notes.length ? { item, reason: notes.join('; ') } : { item };
  } catch (e) {
    return { reason: `mapping a product failed: ${(e as Error)?.message || e}` };
  }
}
