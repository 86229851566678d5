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
 * or more times within a second. One capture-phase listener on `document`. A click on a label
 * is one click: the click the browser forwards to the label's control is not recorded.
 * Nothing inside `[data-ct-ignore]` is recorded; text is never read from form fields.
 * Link URLs are redacted by the tracker (its `redactParams` included), as page URLs are.
 * @public
 */
export function clicks(options?: ClicksOptions): Plugin {
  return {
    name: 'clicks',
    setup(tracker) {
      // for-in over undefined (or a primitive) runs no iteration and throws nothing.
      for (const k in options as object) if (k != 'rageClicks') tracker.report('invalid_option', `clicks: unknown option "${k}"`);
      const send = (name: string, el: Element) => tracker.track(name, describeElement(el, tracker) as never);
      let last: Element | undefined;
      let times: number[] = []; // this burst's clicks in the last second
      let fired = 0;
      let forwarded: unknown; // a clicked label's control, until the task ends
      const onClick = (e: Event) => {
        try {
          // composedPath: the real target inside open shadow roots, and its ancestors across them.
          const path = (e.composedPath() as Element[]).filter((n) => n.matches);
          // The browser forwards a label's click to its control in the same task: one shopper click.
          if (!path[0] || path.some((n) => n == forwarded || n.matches('[data-ct-ignore]'))) return;
          const hit = path.find((n) => n.matches(INTERACTIVE) || hasData(n));
          // A timer, not a microtask: microtasks run between the two dispatches.
          forwarded = (hit as HTMLLabelElement)?.control;
          setTimeout(() => (forwarded = 0));
          if (hit) send('click', hit);
          const el = hit || path[0];
          const now = e.timeStamp;
          // One rage_click per burst: the burst ends at another element or a second without clicks.
          times = [now, ...(el == last ? times : [])].filter((t) => now - t < 1e3);
          last = el;
          if (!times[1]) fired = 0;
          else if (times[2] && options?.rageClicks !== false && !fired++) send('rage_click', el);
        } catch (x) {
          tracker.report('plugin_failed', 'clicks: ' + x);
        }
      };
      // Capture phase: the click is seen before the page's own handlers can stop it. Not marked
      // passive: that only matters for scroll-blocking events, and it never cancels the click.
      document.addEventListener('click', onClick, true);
      return () => document.removeEventListener('click', onClick, true);
    },
  };
}
