// Reads what the data-ct-* attributes of an element, its product cards and its list say an event is.
import { cleanEvent, isCommerceName } from '../commerce/fields';
import type { CommerceItem } from '../commerce/events';

export const P = 'data-ct-';
export const CARD = `[${P}item-id]`;
export const LIST = `[${P}item-list]`;
// Attribute (after data-ct-) → GA4 item field.
const ITEM: Record<string, string> = {
  'item-id': 'item_id',
  'item-name': 'item_name',
  price: 'price',
  quantity: 'quantity',
  brand: 'item_brand',
  category: 'item_category',
  category2: 'item_category2',
  category3: 'item_category3',
  variant: 'item_variant',
  discount: 'discount',
  index: 'index',
  affiliation: 'affiliation',
};
// Attributes that steer the plugin and are not event properties.
const CONTROL = ['event', 'view', 'items', 'item-list', 'item-list-name', 'currency'];
// GA4 puts `value` on these; the others describe lists and promotions.
const NO_VALUE = ['view_item_list', 'select_item', 'view_promotion', 'select_promotion', 'search'];

export const attr = (el: Element, name: string) => el.getAttribute(P + name);

/** The GA4 item fields written on one element. */
function itemFields(el: Element): Record<string, string> {
  const out: Record<string, string> = {};
  for (const a in ITEM) {
    const v = attr(el, a);
    if (v !== null) out[ITEM[a]] = v;
  }
  return out;
}

/**
 * The properties of event `name` declared by `el`: its own `data-ct-*` attributes (other than the
 * item fields and controls, each as `keep` gives it back: dropped when undefined), the items of
 * `batch`, of the container `data-ct-items` names, of its product card, or (for a view) of the
 * cards inside it. Undefined when the event must not be sent (reported).
 */
export function readEvent(
  el: Element,
  name: string,
  defaultCurrency: string | undefined,
  report: (message: string, dropped?: boolean) => void,
  batch?: Element[],
  keep: (attr: string, value: string) => string | undefined = (_, v) => v,
): Record<string, unknown> | undefined {
  const props: Record<string, unknown> = {};
  for (const { name: a, value } of Array.from(el.attributes)) {
    const k = a.startsWith(P) ? a.slice(P.length) : '';
    const v = k && !CONTROL.includes(k) && !(k in ITEM) ? keep(k, value) : undefined;
    if (v !== undefined) props[k.replace(/-/g, '_')] = v;
  }
  let cards: Element[] = [];
  let own = false;
  const sel = attr(el, 'items');
  if (batch) cards = batch;
  else if (sel) {
    let box: Element | null = null;
    try {
      box = el.ownerDocument.querySelector(sel);
    } catch {
      // not a selector: reported below like a missing container
    }
    if (box) cards = Array.from(box.querySelectorAll(CARD));
    else report(`${name}: data-ct-items="${sel}" matches no element`);
  } else {
    const card = el.closest(CARD);
    if (card) {
      cards = [card];
      own = card !== el;
    } else if (el.hasAttribute(P + 'view')) cards = Array.from(el.querySelectorAll(CARD));
  }
  let list: Element | null = null;
  const items = cards.map((card) => {
    const it: Record<string, unknown> = itemFields(card);
    // The clicked element's own fields win: a "+1" button inside a cart line sends quantity 1.
    if (own) Object.assign(it, itemFields(el));
    const l = card.closest(LIST);
    if (l) {
      list ||= l;
      it.item_list_id = attr(l, 'item-list');
      it.item_list_name = attr(l, 'item-list-name') || it.item_list_id;
    }
    return it;
  });
  if (items.length) props.items = items;
  if (list && (name === 'select_item' || name === 'view_item_list')) {
    props.item_list_id = attr(list, 'item-list');
    props.item_list_name = attr(list, 'item-list-name') || props.item_list_id;
  }
  const currency = attr(el, 'currency') ?? (cards[0] && attr(cards[0], 'currency'));
  if (currency) props.currency = currency;
  else if (defaultCurrency && items.length && !NO_VALUE.includes(name)) props.currency = defaultCurrency;

  const clean = cleanEvent(name, props, report);
  // GA4 requires a currency with a value; without one, no value (as in clicktrail/zustand).
  if (clean && clean.value === undefined && clean.currency && isCommerceName(name) && !NO_VALUE.includes(name)) {
    const its = (clean.items || []) as CommerceItem[];
    // value = Σ price × quantity when every item has a price; cents rounding hides float noise.
    if (its.length && its.every((i) => i.price !== undefined)) {
      clean.value = Math.round(its.reduce((s, i) => s + i.price! * (i.quantity ?? 1), 0) * 100) / 100;
    }
  }
  return clean;
}

