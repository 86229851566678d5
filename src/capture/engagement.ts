import type { Plugin } from '../core/types';
import { engagedTime } from './lib/engaged-time';
import { guard, readOptions } from './lib/guard';
import { ignored } from './lib/ignored';
import { all } from './lib/listen';
import { onNavigate } from './lib/on-navigate';
import { onHidden } from './lib/on-hidden';
import { pageKey } from './lib/page-key';

/**
 * Options of {@link engagement}. None yet; the object is accepted for symmetry.
 * @public
 */
export type EngagementOptions = Record<string, never>;

/**
 * Sends `user_engagement` with `engagedMs`: the visible-and-active time on the page since the
 * last report (active = an input in the last 30 seconds). Reported when the shopper leaves the
 * page client-side (path or query changes) and each time the page is hidden; never with 0 ms,
 * nor while the page is under `[data-ct-ignore]`.
 * @public
 */
export function engagement(options?: EngagementOptions): Plugin {
  return {
    name: 'engagement',
    setup(tracker) {
      readOptions(tracker, 'engagement', options, '');
      const [take, stop] = engagedTime();
      let page = pageKey();
      let reported = false; // this page's time went out before its URL changed
      const report = guard(tracker, 'engagement', () => {
        const ms = take();
        if (ms > 0 && !ignored()) tracker.track('user_engagement', { engagedMs: ms });
      });
      return all([
        onNavigate((after, _type, url) => {
          if (pageKey(url) != page) {
            // Reported before the URL changes, so the event carries the page it measured; with
            // no "before" (popstate fallback) after it: late, but not lost.
            if (!after || !reported) report();
            reported = !after;
            if (after) page = pageKey(url);
          }
        }),
        onHidden(report),
        stop,
      ]);
    },
  };
}
