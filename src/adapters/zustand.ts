import type { CommerceItem, ItemsPayload } from '../commerce/events';
import { knownCurrency } from '../commerce/fields';
import { toItem as mapItem, type ItemMapping } from '../commerce/items';
import type { Tracker } from '../core/types';

export { toAmount, toCurrency, toItem } from '../commerce/items';
export type { ItemField, ItemMapping, ItemResult } from '../commerce/items';

/**
 * The part of a store {@link trackCart} uses: zustand's vanilla `createStore()` result and the
 * `useStore` hook from `create()` both have it. `persist` is zustand's persist middleware API.
 * @public
 */
export interface CartStore<S = any> {
  /** The current state. */
  getState(): S;
  /** Calls `listener` after every change; returns the unsubscribe function. */
  subscribe(listener: (state: S, previous: S) => void): () => void;
  /** Present with zustand's `persist` middleware. */
  persist?: { hasHydrated(): boolean; onFinishHydration(fn: (state: S) => void): () => void };
}

/**
 * Options of {@link trackCart}.
 * @public
 */
export interface TrackCartOptions<S = any, P = any> {
  /** The tracker that sends the events and hears about problems. */
  tracker: Tracker;
  /** ISO 4217 code sent with every event; `value` is sent only with a currency. */
  currency?: string;
  /** The cart's lines. @defaultValue `state.items` */
  itemsSelector?: (state: S) => unknown;
  /**
   * A line's product and quantity. @defaultValue `{ product: line.product, quantity: line.quantity }`
   * when the line has a `product`, else the line itself with its `quantity` (or 1)
   */
  line?: (line: any) => { product: P; quantity: unknown };
  /**
   * The favourites (wishlist) as a list of products; `false` turns wishlist events off.
   * @defaultValue `state.favoriteProduct`, else `state.favorites`, else `state.wishlist`
   */
  favoritesSelector?: ((state: S) => unknown) | false;
  /** How a product becomes a GA4 item, field by field (see {@link ItemMapping}). */
  mapping?: ItemMapping<P>;
  /**
   * What a product's discount holds: `'percent'` of the price (the Shopcart template's products),
   * sent as GA4's per-unit amount `price × percent / 100`, or `'amount'` per unit, sent as it is.
   * Overrides `mapping.discountKind`. @defaultValue `'percent'`
   */
  discount?: 'percent' | 'amount';
  /** Replaces `mapping` entirely: returns the GA4 item, or undefined to skip the product. */
  toItem?: (product: P, quantity?: number) => CommerceItem | undefined;
}

/**
 * Stops tracking the store.
 * @public
 */
export type StopCartTracking = () => void;

interface Line {
  product: unknown;
  qty: number;
}
type Snapshot = Map<string, Line>;

const KNOWN = ['tracker', 'currency', 'itemsSelector', 'line', 'favoritesSelector', 'mapping', 'discount', 'toItem'];

// Stores whose changes are taken as a new baseline right now (see untracked()).
let quiet: WeakMap<object, number> | undefined;

/**
 * Runs `update` (synchronous store changes) without cart or wishlist events: the state after it
 * is the new baseline. Use it for a cart emptied after a purchase, which is not a removal.
 * @public
 */
export function untracked(store: object, update: () => void): void {
  quiet = quiet || new WeakMap();
  quiet.set(store, (quiet.get(store) || 0) + 1);
  try {
    update();
  } finally {
    quiet.set(store, quiet.get(store)! - 1);
  }
}

/**
 * Turns every change of a cart store into GA4 events: it compares the lines before and after and
 * sends `add_to_cart` / `remove_from_cart` with the quantity that changed (so +/- buttons, "add"
 * buttons and deletes need no code of their own), and `add_to_wishlist` / `remove_from_wishlist`
 * from the favourites list. Emptying a cart is one `remove_from_cart` carrying every line.
 *
 * Restoring a persisted store (zustand `persist`) sends nothing: the restored state is a baseline.
 * Fits the Shopcart store (`items: { product, quantity }[]`, `favoriteProduct: Product[]`, a
 * product's `discount` a percentage) as it is; selectors, `mapping` and `discount` fit other
 * shapes. Bad input is reported through the tracker (`invalid_properties`), never thrown.
 * @returns a function that stops tracking.
 * @public
 */
export function trackCart<S = any, P = any>(store: CartStore<S>, options: TrackCartOptions<S, P>): StopCartTracking {
  const o = (options && typeof options === 'object' ? options : {}) as TrackCartOptions<S, P>;
  const tracker = o.tracker;
  if (!tracker || typeof tracker.track !== 'function') {
    if (typeof console !== 'undefined') console.warn('[clicktrail] trackCart needs options.tracker');
    return () => undefined;
  }
  const said = new Set<string>();
  // Each distinct problem once: a bad product in the cart would otherwise be reported on every change.
  const report = (code: 'invalid_option' | 'invalid_properties' | 'internal', msg: string) => {
    if (said.has(msg) || said.size > 100) return;
    said.add(msg);
    tracker.report(code, `trackCart: ${msg}`);
  };
  if (!store || typeof store.getState !== 'function' || typeof store.subscribe !== 'function') {
    report('invalid_option', 'the store needs getState() and subscribe() (a zustand store or hook)');
    return () => undefined;
  }
  for (const k of Object.keys(o)) if (!KNOWN.includes(k)) report('invalid_option', `unknown option "${k}"`);
  // The same check as clicktrail/dom and the dataLayer bridge: a known ISO 4217 code, not just three letters.
  const currency = knownCurrency(o.currency, (m) => report('invalid_option', `${m}, and so is value`));
  const mapping = o.discount ? { ...o.mapping, discountKind: o.discount } : o.mapping;
  if (o.discount && o.discount != 'percent' && o.discount != 'amount') report('invalid_option', `discount is 'percent' or 'amount', not ${o.discount}`);

  const item = (product: P, quantity?: number): CommerceItem | undefined => {
    if (o.toItem) {
      try {
        const it = o.toItem(product, quantity);
        if (it && typeof it.item_id === 'string' && it.item_id) return it;
        report('invalid_properties', `toItem gave no item with an item_id for ${JSON.stringify(product)?.slice(0, 80)}`);
      } catch (e) {
        report('invalid_properties', `toItem failed: ${(e as Error)?.message || e}`);
      }
      return undefined;
    }
    const r = mapItem(product, mapping, quantity);
    if (r.reason) report('invalid_properties', r.reason);
    return r.item;
  };

  const list = (state: S, pick: ((s: S) => unknown) | undefined, keys: string[], what: string): unknown[] | undefined => {
    const v = pick ? pick(state) : keys.map((k) => (state as any)?.[k]).find((x) => x !== undefined);
    if (Array.isArray(v)) return v;
    if (v !== undefined || pick || keys[0] === 'items') {
      report('invalid_properties', `the ${what} are not a list (got ${v === null ? 'null' : typeof v}); check ${pick ? 'the selector' : `state.${keys[0]} or pass a selector`}`);
    }
    return undefined;
  };

  // Lines by item id, quantities added up. Undefined when the state does not have the expected shape.
  const cartOf = (state: S, prev: Snapshot | undefined): Snapshot | undefined => {
    const lines = list(state, o.itemsSelector, ['items'], 'cart items');
    if (!lines) return undefined;
    const snap: Snapshot = new Map();
    for (const l of lines) {
      let product: unknown = l;
      let qty: unknown = 1;
      if (o.line) ({ product, quantity: qty } = o.line(l));
      else if (l && typeof l === 'object' && 'product' in l) ({ product, quantity: qty = 1 } = l as { product: unknown; quantity?: unknown });
      else if (l && typeof l === 'object' && 'quantity' in l) qty = (l as { quantity: unknown }).quantity;
      const id = item(product as P)?.item_id;
      if (!id) continue;
      if (typeof qty !== 'number' || !Number.isInteger(qty) || qty < 0) {
        report('invalid_properties', `product ${id} has quantity ${String(qty)}; its line is left as it was`);
        const was = prev?.get(id);
        if (was) snap.set(id, was);
        continue;
      }
      const had = snap.get(id);
      snap.set(id, { product, qty: (had ? had.qty : 0) + qty });
    }
    return snap;
  };

  const favsOf = (state: S): Snapshot | undefined => {
    if (o.favoritesSelector === false) return undefined;
    const favs = list(state, o.favoritesSelector || undefined, ['favoriteProduct', 'favorites', 'wishlist'], 'favourites');
    if (!favs) return undefined;
    const snap: Snapshot = new Map();
    for (const p of favs) {
      const id = item(p as P)?.item_id;
      if (id) snap.set(id, { product: p, qty: 1 });
    }
    return snap;
  };

  const send = (name: 'add_to_cart' | 'remove_from_cart' | 'add_to_wishlist' | 'remove_from_wishlist', lines: Line[], withQty: boolean) => {
    const items = lines.map((l) => item(l.product as P, withQty ? l.qty : undefined)).filter((x): x is CommerceItem => !!x);
    if (!items.length) return;
    const payload: ItemsPayload = { items };
    if (currency) {
      payload.currency = currency;
      if (items.every((i) => typeof i.price === 'number')) {
        const v = items.reduce((s, i) => s + i.price! * (i.quantity ?? 1), 0);
        payload.value = Math.round(v * 100) / 100;
      }
    }
    tracker.track(name, payload);
  };

  const diff = (prev: Snapshot, next: Snapshot, added: Line[], removed: Line[]) => {
    for (const [id, l] of next) {
      const d = l.qty - (prev.get(id)?.qty || 0);
      if (d > 0) added.push({ product: l.product, qty: d });
      else if (d < 0) removed.push({ product: l.product, qty: -d });
    }
    for (const [id, l] of prev) if (!next.has(id) && l.qty > 0) removed.push(l);
  };

  let cart: Snapshot | undefined;
  let favs: Snapshot | undefined;
  const baseline = () => {
    const s = store.getState();
    cart = cartOf(s, cart) || cart;
    favs = favsOf(s) || favs;
  };

  const hydrating = () => {
    try {
      return !!store.persist && !store.persist.hasHydrated();
    } catch {
      return false;
    }
  };

  const onChange = (state: S) => {
    try {
      if (hydrating() || (quiet && quiet.get(store))) return baseline();
      const nextCart = cartOf(state, cart);
      if (nextCart && cart) {
        const added: Line[] = [];
        const removed: Line[] = [];
        diff(cart, nextCart, added, removed);
        send('add_to_cart', added, true);
        send('remove_from_cart', removed, true);
      }
      if (nextCart) cart = nextCart;
      const nextFavs = favsOf(state);
      if (nextFavs && favs) {
        const added: Line[] = [];
        const removed: Line[] = [];
        diff(favs, nextFavs, added, removed);
        send('add_to_wishlist', added, false);
        send('remove_from_wishlist', removed, false);
      }
      if (nextFavs) favs = nextFavs;
    } catch (e) {
      report('internal', `a store change could not be read: ${(e as Error)?.message || e}`);
    }
  };

  const stops: (() => void)[] = [];
  try {
    baseline();
    stops.push(store.subscribe(onChange));
    // Hydration from storage may finish after this call (async storage, skipHydration): its
    // result is the baseline, not a change the shopper made.
    if (store.persist && typeof store.persist.onFinishHydration === 'function') stops.push(store.persist.onFinishHydration(baseline));
  } catch (e) {
    report('internal', `could not subscribe to the store: ${(e as Error)?.message || e}`);
  }
  return () => {
    for (const s of stops.splice(0)) {
      try {
        s();
      } catch {
        /* already unsubscribed */
      }
    }
  };
}
