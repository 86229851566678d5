import type { Plugin } from '../core/types';
import { describeElement, hasData } from './lib/describe-element';

/**
 * Options of {@link clicks}.
 * @public
 */
export interface ClicksOptions {
  /** Record `rage_click`. @defaultValue true */
  rageClicks?: boolean;
}

// What counts as the clicked thing: the nearest of these around the click target.
// Form fields count (as in PostHog's autocapture): their click is recorded, never their text or value.
const INTERACTIVE = 'a,area,button,input,label,select,summary,textarea,[role=button],[role=link],[role=menuitem],[role=tab],[role=checkbox],[role=switch]';

/**
 * Records a `click` for clicks on links, buttons and other interactive elements (or anything
 * carrying a `data-ct-*` attribute), and one `rage_click` when the same element is clicked three
 * or more times within a second. One passive, capture-phase listener on `document`.
 * Nothing inside `[data-ct-ignore]` is recorded; text is never read from form fields.
 * Link URLs are redacted by the tracker (its `redactParams` included), as page URLs are.
 * @public
 */
export function clicks(options?: ClicksOptions): Plugin {
  return {
    name: 'clicks',
    setup(tracker) {
      const o = Object(options) as ClicksOptions;
      for (const k in o) if (k != 'rageClicks') tracker.report('invalid_option', `clicks: unknown option "${k}"`);
      const send = (name: string, el: Element) => tracker.track(name, describeElement(el, tracker) as unknown as Record<string, unknown>);
      let last: Element | undefined;
      let times: number[] = []; // this burst's clicks in the last second
      let fired = 0;
      const onClick = (e: Event) => {
        try {
          // composedPath: the real target inside open shadow roots, and its ancestors across them.
          const path = (e.composedPath() as Element[]).filter((n) => n.matches);
          if (!path[0] || path.some((n) => n.matches('[data-ct-ignore]'))) return;
          const hit = path.find((n) => n.matches(INTERACTIVE) || hasData(n));
          if (hit) send('click', hit);
          const el = hit || path[0];
          const now = e.timeStamp;
          // One rage_click per burst: the burst ends at another element or a second without clicks.
          times = [now, ...(el == last ? times.filter((t) => now - t < 1e3) : [])];
          last = el;
          if (!times[1]) fired = 0;
          if (times[2] && o.rageClicks !== false && !fired++) send('rage_click', el);
        } catch (x) {
          tracker.report('plugin_failed', 'clicks: ' + x);
        }
      };
      const opts = { capture: true, passive: true };
      document.addEventListener('click', onClick, opts);
      return () => document.removeEventListener('click', onClick, opts);
    },
  };
}
