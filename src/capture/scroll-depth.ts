import type { Plugin } from '../core/types';
import { guard, readOptions } from './lib/guard';
import { ignored } from './lib/ignored';
import { all, listen } from './lib/listen';
import { onNavigate } from './lib/on-navigate';
import { onRestore } from './lib/on-hidden';
import { pageKey } from './lib/page-key';
import { scrollPercent } from './lib/scroll-percent';

/**
 * Options of {@link scrollDepth}.
 * @public
 */
export interface ScrollDepthOptions {
  /** Percentages of the page seen (viewport included) that send an event. @defaultValue [25, 50, 75, 90, 100] */
  thresholds?: number[];
}

/**
 * Sends `scroll_depth` with `percent` the first time the shopper scrolls past each threshold,
 * once per page (reset when the path or query changes client-side, or on a back/forward-cache
 * restore). A page that cannot scroll, or is under `[data-ct-ignore]`, sends nothing.
 * @public
 */
export function scrollDepth(options?: ScrollDepthOptions): Plugin {
  return {
    name: 'scrollDepth',
    setup(tracker) {
      const t = readOptions<ScrollDepthOptions>(tracker, 'scrollDepth', options, 'thresholds').thresholds;
      let marks = [25, 50, 75, 90, 100];
      if (t !== undefined) {
        if (Array.isArray(t) && t.every((n) => typeof n == 'number' && n > 0 && n <= 100)) marks = [...t].sort((a, b) => a - b);
        else tracker.report('invalid_option', 'scrollDepth: thresholds must be numbers in (0, 100]');
      }
      let page = pageKey();
      let done = 0; // thresholds sent on this page
      const reset = () => {
        page = pageKey();
        done = 0;
      };
      return all([
        onNavigate((after) => after && pageKey() != page && reset()),
        onRestore(reset),
        listen(
          'scroll',
          // The document's own scroll only: capture on window also sees every overflow:auto
          // element scrolling, and a document that cannot scroll counts as 100% seen.
          guard(tracker, 'scrollDepth', (e: Event) => {
            if (e.target != document || ignored()) return;
            const p = scrollPercent();
            while (marks[done] <= p) tracker.track('scroll_depth', { percent: marks[done++] });
          }),
        ),
      ]);
    },
  };
}
