import { createRedactor } from '../core/redact';
import type { Plugin } from '../core/types';
import { describeElement } from './lib/describe-element';
import { guard, readOptions } from './lib/guard';

/**
 * Options of {@link clicks}.
 * @public
 */
export interface ClicksOptions {
  /** A CSS selector for regions whose clicks are not recorded, besides `[data-ct-ignore]`. An invalid selector is reported and skipped. */
  ignore?: string;
  /** Query parameters redacted in link URLs, added to the built-in list (token, password, email, auth, session...). */
  redactParams?: string[];
  /** Record `rage_click`. @defaultValue true */
  rageClicks?: boolean;
}

// What counts as the clicked thing: the nearest of these around the click target.
const INTERACTIVE =
  'a,area,button,label,summary,[role=button],[role=link],[role=menuitem],[role=tab],[role=checkbox],[role=switch],' +
  'input[type=submit],input[type=button],input[type=reset],input[type=image],input[type=checkbox],input[type=radio]';

/**
 * Records a `click` for clicks on links, buttons and other interactive elements (or anything
 * carrying a `data-ct-*` attribute), and one `rage_click` when the same element is clicked three
 * or more times within a second. One passive, capture-phase listener on `document`.
 * Nothing inside `[data-ct-ignore]` is recorded; text is never read from form fields.
 * @public
 */
export function clicks(options?: ClicksOptions): Plugin {
  return {
    name: 'clicks',
    setup(tracker) {
      const o = readOptions<ClicksOptions>(tracker, 'clicks', options, ['ignore', 'redactParams', 'rageClicks']);
      let ignore = o.ignore ? String(o.ignore) : '';
      try {
        if (ignore) document.createDocumentFragment().querySelector(ignore);
      } catch {
        tracker.report('invalid_option', `clicks: ignore is not a valid CSS selector: ${ignore}`);
        ignore = '';
      }
      const redact = createRedactor(Array.isArray(o.redactParams) ? o.redactParams : []);
      let last: Element | undefined;
      let prev = 0;
      let times: number[] = [];
      let fired = false;

      const onClick = guard(tracker, 'clicks', (e: Event) => {
        let target: Element | undefined;
        let hit: Element | undefined;
        // composedPath: the real target inside open shadow roots, and its ancestors across them.
        for (const n of e.composedPath ? e.composedPath() : [e.target]) {
          if (!n || (n as Node).nodeType !== 1) continue;
          const el = n as Element;
          if (el.hasAttribute('data-ct-ignore') || (ignore && el.matches(ignore))) return;
          target = target || el;
          if (!hit && (el.matches(INTERACTIVE) || [...el.attributes].some((a) => a.name.startsWith('data-ct-')))) hit = el;
        }
        if (!target) return;
        const el = hit || target;
        if (hit) tracker.track('click', describeElement(hit, redact) as unknown as Record<string, unknown>);
        if (o.rageClicks === false) return;
        const now = e.timeStamp || performance.now();
        // One rage_click per burst: the burst ends at another element or a second without clicks.
        if (el !== last || now - prev >= 1000) {
          times = [];
          fired = false;
        }
        last = el;
        prev = now;
        times = times.filter((t) => now - t < 1000);
        times.push(now);
        if (times.length >= 3 && !fired && (fired = true)) tracker.track('rage_click', describeElement(el, redact) as unknown as Record<string, unknown>);
      });
      const opts = { capture: true, passive: true };
      document.addEventListener('click', onClick, opts);
      return () => document.removeEventListener('click', onClick, opts);
    },
  };
}
