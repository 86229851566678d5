// Turns loosely typed commerce input (attribute strings, dataLayer objects written by hand) into
// GA4 values with one defined outcome per problem: a field left off or defaulted, and a report.
import type { CommerceItem } from './events';
import { toAmount, toCurrency } from './items';
import { SEGMENT_NAMES } from './names';

/** Reports one problem; `dropped` when the whole event is not sent. */
export type FieldReport = (message: string, dropped?: boolean) => void;

// SEGMENT_NAMES is keyed by every GA4 e-commerce name of CommerceEvents: one list, not two.
export const isCommerceName = (name: string): boolean => Object.prototype.hasOwnProperty.call(SEGMENT_NAMES, name);

// GA4 requires `items` on every e-commerce event but these.
const ITEMS_OPTIONAL = ['search', 'refund', 'view_promotion', 'select_promotion'];
const NUMBERS = ['price', 'discount', 'index'];
const EVENT_NUMBERS = ['value', 'tax', 'shipping'];
const MAX_ITEMS = 200; // GA4's limit per event

let currencies: string[] | undefined;

/**
 * An ISO 4217 code in upper case, or undefined (reported) when the code is not one: the
 * engine's list of currencies where it has one (`Intl.supportedValuesOf`), else three letters.
 */
export function knownCurrency(v: unknown, report: FieldReport): string | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  const c = toCurrency(v);
  let ok = !!c;
  if (c && typeof Intl !== 'undefined' && Intl.supportedValuesOf) {
    try {
      currencies ||= Intl.supportedValuesOf('currency');
      ok = currencies.includes(c);
    } catch {
      // an engine without the list: the pattern check stands
    }
  }
  if (!ok) report(`unknown currency code "${String(v)}": currency left off`);
  return ok ? c : undefined;
}

/** One item: `item_id` required (else undefined, reported), numbers coerced, bad fields left off. */
export function cleanItem(raw: unknown, where: string, report: FieldReport): CommerceItem | undefined {
  if (!raw || typeof raw !== 'object') {
    report(`${where} is not an object: item left out`);
    return undefined;
  }
  const item = { ...(raw as Record<string, unknown>) };
  const id = item.item_id;
  if ((typeof id !== 'string' && typeof id !== 'number') || !String(id).trim()) {
    report(`${where} has no item_id: item left out`);
    return undefined;
  }
  item.item_id = String(id).trim();
  for (const k of NUMBERS) {
    if (item[k] === undefined) continue;
    const n = toAmount(item[k]);
    if (n !== undefined) item[k] = n;
    else {
      report(`${where}.${k} is ${JSON.stringify(item[k])}, not a number ≥ 0: left off`);
      delete item[k];
    }
  }
  if (item.quantity !== undefined) {
    const q = toAmount(item.quantity);
    if (q === undefined || q < 1 || !Number.isInteger(q)) {
      report(`${where}.quantity is ${JSON.stringify(item.quantity)}, not a whole number ≥ 1: sent as 1`);
      item.quantity = 1;
    } else item.quantity = q;
  }
  return item as unknown as CommerceItem;
}

/**
 * An event's properties with clean items, currency and amounts. Returns undefined (reported)
 * when a GA4 e-commerce event that requires items has none left.
 */
export function cleanEvent(
  name: string,
  props: Record<string, unknown>,
  report: FieldReport,
): Record<string, unknown> | undefined {
  const out = { ...props };
  if (out.items !== undefined) {
    const raw = Array.isArray(out.items) ? out.items : [];
    if (!Array.isArray(out.items)) report(`${name}: items is not an array`);
    const items = raw.map((it, i) => cleanItem(it, `${name}: items[${i}]`, report)).filter(Boolean) as CommerceItem[];
    if (items.length > MAX_ITEMS) report(`${name}: ${items.length} items; only the first ${MAX_ITEMS} are sent`);
    out.items = items.slice(0, MAX_ITEMS);
  }
  if (isCommerceName(name) && !ITEMS_OPTIONAL.includes(name) && !(out.items as unknown[] | undefined)?.length) {
    report(`${name} has no valid items: event not sent`, true);
    return undefined;
  }
  if (out.currency !== undefined) {
    const c = knownCurrency(out.currency, (m) => report(`${name}: ${m}`));
    if (c) out.currency = c;
    else delete out.currency;
  }
  for (const k of EVENT_NUMBERS) {
    if (out[k] === undefined) continue;
    const n = toAmount(out[k]);
    if (n === undefined) {
      report(`${name}.${k} is ${JSON.stringify(out[k])}, not an amount: left off`);
      delete out[k];
    } else out[k] = n;
  }
  return out;
}
