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
      const o = readOptions<ClicksOptions>(tracker, 'clicks', options, 'ignore redactParams rageClicks');
      let skip = '[data-ct-ignore]';
      try {
        if (o.ignore) document.documentElement.matches((skip += ',' + o.ignore));
      } catch {
        tracker.report('invalid_option', `clicks: ignore is not a valid CSS selector: ${o.ignore}`);
        skip = '[data-ct-ignore]';
      }
      const redact = createRedactor(Array.isArray(o.redactParams) ? o.redactParams : []);
      const send = (name: string, el: Element) => tracker.track(name, describeElement(el, redact) as unknown as Record<string, unknown>);
      let last: Element | undefined;
      let times: number[] = []; // the last three clicks of this burst
      let fired = 0;
      const onClick = guard(tracker, 'clicks', (e: Event) => {
        // composedPath: the real target inside open shadow roots, and its ancestors across them.
        const path = (e.composedPath() as Element[]).filter((n) => n.nodeType == 1);
        if (!path[0] || path.some((n) => n.matches(skip))) return;
        const hit = path.find((n) => n.matches(INTERACTIVE) || n.getAttributeNames().some((a) => a.startsWith('data-ct-')));
        if (hit) send('click', hit);
        const el = hit || path[0];
        const now = e.timeStamp;
        // One rage_click per burst: the burst ends at another element or a second without clicks.
        // Three clicks within a second: the third-last of the burst is less than a second old.
        times = el == last && now - times[times.length - 1] < 1000 ? [...times.slice(-2), now] : ((fired = 0), [now]);
        last = el;
        if (o.rageClicks !== false && times[2] && now - times[0] < 1000 && !fired++) send('rage_click', el);
      });
      const opts = { capture: true, passive: true };
      document.addEventListener('click', onClick, opts);
      return () => document.removeEventListener('click', onClick, opts);
    },
  };
}
