// E-commerce events from HTML attributes, for shops without a framework: one delegated click and
// submit listener, one IntersectionObserver for list impressions, one MutationObserver for cards
// and views added later. Nothing runs before setup().
import { knownCurrency } from '../commerce/fields';
import { guard as guarded, readOptions } from '../capture/lib/guard';
import { listen } from '../capture/lib/listen';
import { onNavigate } from '../capture/lib/on-navigate';
import { ignored } from '../capture/lib/ignored';
import { pageKey } from '../capture/lib/page-key';
import { allowed } from '../privacy/fields';
import { attr, CARD, LIST, P, readEvent } from './dom-attributes';
import type { Plugin, Tracker } from '../core/types';

/**
 * Options of {@link domCommerce}.
 * @public
 */
export interface DomCommerceOptions {
  /** Where to listen and look for attributes. @defaultValue document */
  root?: Document | Element;
  /** Currency when neither the element nor its product card has `data-ct-currency`. */
  currency?: string;
  /** Send `view_item_list` for cards of `[data-ct-item-list]` lists as they scroll into view. @defaultValue true */
  impressions?: boolean;
  /** Share of a card that must be visible to count as seen. @defaultValue 0.5 */
  threshold?: number;
  /** Cards seen within this window are sent together: one `view_item_list` per list. @defaultValue 500 */
  batchMs?: number;
}

const LIST_CARD = `${LIST} ${CARD}`;
const VIEW = `[${P}view]`;
const EVENT = P + 'event';

/**
 * Tracks e-commerce events declared in HTML: `data-ct-event="add_to_cart"` on a button (any GA4
 * e-commerce name, or a custom one), item fields from `data-ct-item-id`, `data-ct-item-name`,
 * `data-ct-price`, `data-ct-quantity`, `data-ct-currency`, `data-ct-brand`, `data-ct-category`,
 * `data-ct-variant` on the element or its product card (the nearest `[data-ct-item-id]`),
 * `data-ct-items="#cart"` for all cards inside a container, other `data-ct-*` attributes as
 * event properties (`data-ct-transaction-id` → `transaction_id`) when GA4 names them or the
 * tracker's `privacy.dataAttributes` lists them (those masked; others left out, reported once);
 * on a `<form>`, the event is
 * sent when the form submits (after the browser's validation), not on clicks inside it;
 * `view_item_list` for cards of `[data-ct-item-list]` lists as they scroll into view (once per
 * card and page, again after a client-side navigation; several cards in one event);
 * `data-ct-view="view_item"` on a container sends that event when it appears.
 * Nothing is sent for elements, cards or lists inside `[data-ct-ignore]`.
 * Bad input is reported through `onError` and never throws.
 * @public
 */
export function domCommerce(options: DomCommerceOptions = {}): Plugin {
  return {
    name: 'domCommerce',
    setup(tracker: Tracker) {
      if (typeof document === 'undefined') return;
      const o = readOptions<DomCommerceOptions>(tracker, 'domCommerce', options, 'root currency impressions threshold batchMs');
      const root: Document | Element = o.root || document;
      const doc = (root as Element).ownerDocument || (root as Document);
      const win = doc.defaultView || window;
      const currency = knownCurrency(o.currency, (m) => tracker.report('invalid_option', `domCommerce: ${m}`));
      const threshold = typeof o.threshold === 'number' && o.threshold > 0 && o.threshold <= 1 ? o.threshold : 0.5;
      const batchMs = typeof o.batchMs === 'number' && o.batchMs >= 0 ? o.batchMs : 500;
      const off: (() => void)[] = [];
      const guard = <A extends unknown[]>(fn: (...a: A) => void) => guarded(tracker, 'domCommerce', fn);
      // Capture phase throughout: the attributes are read before the shop's own handlers change
      // the DOM or stop the event, and waiting impressions leave before the tracker's own
      // pagehide handler (registered earlier, without capture) sends the queue.
      const on = (t: EventTarget, types: string, fn: (e: Event) => void) => off.push(listen(types, guard(fn), t));

      // GA4 fields pass as written; others only when privacy.dataAttributes lists them, masked.
      const told = new Set<string>();
      const keep = (k: string, v: string) => {
        if (allowed(k, [])) return v;
        if (allowed(k, tracker.privacy?.dataAttributes)) return tracker.mask(v);
        if (!told.has(k)) told.add(k), tracker.report('invalid_property', `domCommerce: data-ct-${k} is neither a GA4 field nor in privacy.dataAttributes: left out`);
      };
      const send = (el: Element, name: string | null, batch?: Element[]) => {
        if (ignored(el)) return;
        if (!name) return tracker.report('invalid_event_name', `domCommerce: empty data-ct-event or data-ct-view on <${el.tagName.toLowerCase()}>`);
        const props = readEvent(
          el,
          name,
          currency,
          (m, dropped) => tracker.report(dropped ? 'invalid_properties' : 'invalid_property', `domCommerce: ${m}`),
          batch,
          keep,
        );
        if (props) tracker.track(name, props);
      };

      // Impressions: card → the page (URL without fragment) it was last counted on.
      const seen = new WeakMap<Element, string>();
      let pending = new Map<Element, Element[]>();
      let timer: ReturnType<typeof setTimeout> | undefined;
      const flush = guard(() => {
        clearTimeout(timer);
        timer = undefined;
        const lists = pending;
        pending = new Map();
        for (const [list, cards] of lists) {
          // Document order, as the shopper sees the list.
          send(list, 'view_item_list', cards.sort((a, b) => (a.compareDocumentPosition(b) & 4 ? -1 : 1)));
        }
      });
      const io =
        o.impressions !== false && typeof IntersectionObserver === 'function'
          ? new IntersectionObserver(
              guard((entries: IntersectionObserverEntry[]) => {
                const page = pageKey(win.location.href);
                for (const en of entries) {
                  // isIntersecting alone is also true on the way out, below the threshold.
                  if (!en.isIntersecting || en.intersectionRatio < threshold - 0.01) continue;
                  const card = en.target;
                  const list = card.closest(LIST);
                  if (!list || seen.get(card) === page || ignored(card)) continue;
                  seen.set(card, page);
                  pending.set(list, [...(pending.get(list) || []), card]);
                }
                if (pending.size && !timer) timer = setTimeout(flush, batchMs);
              }),
              { threshold },
            )
          : undefined;

      const viewed = new WeakSet<Element>();
      let ready = false;
      const view = (el: Element) => {
        if (viewed.has(el)) return;
        viewed.add(el);
        flush();
        send(el, attr(el, 'view'));
      };
      const within = (node: Element, sel: string) => [...(node.matches(sel) ? [node] : []), ...Array.from(node.querySelectorAll(sel))];
      const added = (node: Element) => {
        if (io) for (const c of within(node, LIST_CARD)) io.observe(c);
        if (ready) for (const v of within(node, VIEW)) view(v);
      };

      // `submit` fires only once the browser's validation passes, so a form's event is sent
      // then, not on the click: a "Place order" click blocked by an empty required field sends
      // nothing, and the click that does submit sends one event.
      on(root, 'click submit', (e) => {
        const t = e.target as Element | null;
        const submit = e.type == 'submit';
        const el = t && typeof t.closest === 'function' ? (submit ? (t.hasAttribute(EVENT) ? t : null) : t.closest(`[${EVENT}]`)) : null;
        // A submit button of such a form waits for the submit too.
        const f = el && (el as HTMLButtonElement).form;
        if (!el || (!submit && (el.tagName == 'FORM' || (f && f.hasAttribute(EVENT) && /^(submit|image)$/.test((el as HTMLButtonElement).type))))) return;
        flush(); // the list impressions happened before this click or submit
        send(el, attr(el, 'event'));
      });
      on(win, 'pagehide', flush);
      on(win, 'visibilitychange', () => doc.visibilityState === 'hidden' && flush());

      const top = root === doc ? doc.documentElement : (root as Element);
      if (typeof MutationObserver === 'function') {
        const mo = new MutationObserver(
          guard((records: MutationRecord[]) => {
            for (const r of records) {
              for (const n of Array.from(r.addedNodes)) if (n.nodeType === 1) added(n as Element);
              if (io) for (const n of Array.from(r.removedNodes)) if (n.nodeType === 1 && !n.isConnected) for (const c of within(n as Element, CARD)) io.unobserve(c);
            }
          }),
        );
        mo.observe(top, { childList: true, subtree: true });
        off.push(() => mo.disconnect());
      }
      if (io) {
        for (const c of within(top, LIST_CARD)) io.observe(c);
        off.push(() => io.disconnect());
        let at = pageKey(win.location.href);
        off.push(
          onNavigate(
            guard((after: boolean, _type: string, url: string) => {
              if (pageKey(url) == at) return;
              // Impressions of the old page leave with its URL.
              if (!after) return flush();
              at = pageKey(url);
              // The observer reports only changes of visibility: cards still on screen after a
              // client-side navigation are seen on the new page only if observed afresh.
              for (const c of within(top, LIST_CARD)) {
                io.unobserve(c);
                io.observe(c);
              }
            }),
          ),
        );
      }
      // Views wait for the parsed document: the parser adds a container before its children.
      const start = guard(() => {
        ready = true;
        for (const v of within(top, VIEW)) view(v);
      });
      if (doc.readyState === 'loading') on(doc, 'DOMContentLoaded', start);
      else start();
      off.push(() => clearTimeout(timer));
      return () => {
        for (const f of off.splice(0)) f();
      };
    },
  };
}
