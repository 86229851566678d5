// Bridges the Google Tag Manager / gtag.js dataLayer into clicktrail events. The page keeps
// pushing as it always did; GTM keeps working: its own push wrapper and ours call each other.
import { guard, readOptions } from '../capture/lib/guard';
import { ignored } from '../capture/lib/ignored';
import { cleanEvent, isCommerceName } from '../commerce/fields';
import { allowed } from '../privacy/fields';
import type { Plugin, Tracker } from '../core/types';

/**
 * Options of {@link dataLayerBridge}.
 * @public
 */
export interface DataLayerBridgeOptions {
  /** The global array's name (GTM's `dataLayerName`). @defaultValue 'dataLayer' */
  name?: string;
  /**
   * Events other than the GA4 e-commerce names to bridge: `true` for every event the page pushes
   * (GTM's own `gtm.*` events excepted), or a list of names.
   * @defaultValue false
   */
  passThrough?: boolean | string[];
  /** Track what was pushed before the bridge started (once). @defaultValue true */
  replay?: boolean;
}

type Push = (...items: unknown[]) => unknown;
// Keys GTM reads or writes on a push that are not event data.
const GTM_KEYS = /^(event|eventCallback|eventTimeout|gtm\..*)$/;

const isArguments = (v: unknown) => Object.prototype.toString.call(v) === '[object Arguments]';

// Entries already bridged, per appId: a tracker shut down and created again on the same page
// (React StrictMode runs effects twice) must not replay what the first one tracked. Made on
// first setup: nothing runs at import.
let bridged: Map<string, WeakSet<object>> | undefined;

/**
 * Tracks GA4 e-commerce events the page pushes to `window.dataLayer` — GTM's
 * `dataLayer.push({ event: 'add_to_cart', ecommerce: { items: [...] } })` and gtag.js's
 * `gtag('event', 'purchase', {...})` — including pushes made before clicktrail loaded.
 * `{ ecommerce: null }` clear-pushes are ignored. A bridge started again for the same `appId`
 * (a tracker shut down and created anew) replays only the pushes no earlier one of that app saw.
 * On teardown the previous `push` comes back if no one wrapped it since. Of a GA4 e-commerce
 * event, only GA4's fields (and its items' fields) pass, and the keys the tracker's
 * `privacy.ecommerceKeys` lists; others are left out, reported once. Nothing is bridged while
 * the page is under `[data-ct-ignore]`.
 * @public
 */
export function dataLayerBridge(options: DataLayerBridgeOptions = {}): Plugin {
  return {
    name: 'dataLayerBridge',
    setup(tracker: Tracker) {
      if (typeof window === 'undefined') return;
      const o = readOptions<DataLayerBridgeOptions>(tracker, 'dataLayerBridge', options, 'name passThrough replay');
      const key = typeof o.name === 'string' && o.name ? o.name : 'dataLayer';
      const pass = o.passThrough;
      const w = window as unknown as Record<string, unknown>;
      // The same line GTM's snippet runs: whichever of us comes first creates the array.
      const layer = (Array.isArray(w[key]) ? w[key] : (w[key] = [])) as { push: Push; slice(): unknown[] };
      let active = true;
      const done = (bridged ||= new Map()).get(tracker.appId) || new WeakSet<object>();
      bridged.set(tracker.appId, done);

      const told = new Set<string>();
      // GA4 fields and privacy.ecommerceKeys only, at the top and in each item.
      const pick = (o: Record<string, unknown>) => {
        const out: Record<string, unknown> = {};
        for (const k of Object.keys(o)) {
          const v = o[k];
          if (allowed(k, tracker.privacy?.ecommerceKeys)) {
            out[k] = k == 'items' && Array.isArray(v) ? v.map((i) => (i && typeof i == 'object' ? pick(i as Record<string, unknown>) : i)) : v;
          } else if (!told.has(k)) told.add(k), tracker.report('invalid_property', `dataLayerBridge: ${k} is neither a GA4 field nor in privacy.ecommerceKeys: left out`);
        }
        return out;
      };

      const wanted = (name: string) =>
        isCommerceName(name) || (!name.startsWith('gtm.') && (pass === true || (Array.isArray(pass) && pass.includes(name))));

      const handle = guard(tracker, 'dataLayerBridge', (entry: unknown, replay?: boolean) => {
        if (Object(entry) !== entry || (replay && done.has(entry as object))) return;
        done.add(entry as object);
        let name: unknown;
        let props: Record<string, unknown> = {};
        if (isArguments(entry)) {
          // gtag('event', name, params) pushes its arguments object.
          const a = entry as ArrayLike<unknown>;
          if (a[0] !== 'event') return;
          name = a[1];
          if (a[2] && typeof a[2] === 'object') props = { ...(a[2] as Record<string, unknown>) };
          for (const k of Object.keys(props)) if (/^(send_to|event_callback|event_timeout)$/.test(k)) delete props[k];
        } else if (entry && typeof entry === 'object' && !Array.isArray(entry)) {
          const e = entry as Record<string, unknown>;
          name = e.event;
          if (typeof name !== 'string' || e.ecommerce === null) return;
          // GA4's shape keeps the data under `ecommerce`; older set-ups put it at the top level.
          if (isCommerceName(name) && e.ecommerce && typeof e.ecommerce === 'object') props = { ...(e.ecommerce as Record<string, unknown>) };
          else for (const k of Object.keys(e)) if (!GTM_KEYS.test(k) && k !== 'ecommerce') props[k] = e[k];
        } else return;
        if (typeof name !== 'string' || !wanted(name) || ignored()) return;
        if (isCommerceName(name)) props = pick(props);
        const clean = cleanEvent(name, props, (m, dropped) =>
          tracker.report(dropped ? 'invalid_properties' : 'invalid_property', `dataLayerBridge: ${m}`),
        );
        if (clean) tracker.track(name, clean);
      });

      if (o.replay !== false) for (const entry of layer.slice()) handle(entry, true);

      const prev: Push = layer.push;
      const ours: Push = function (this: unknown, ...items: unknown[]) {
        try {
          // GTM's wrapper (or Array.prototype.push) first, with its own this and return value.
          return prev.apply(this === undefined ? layer : this, items);
        } finally {
          if (active) for (const item of items) handle(item);
        }
      };
      layer.push = ours;
      return () => {
        active = false;
        // Someone wrapped push after us (GTM loading late): leave their chain alone, inert.
        if (layer.push === ours) layer.push = prev;
      };
    },
  };
}
