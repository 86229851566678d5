import type { Plugin } from '../core/types';
import { engagedTime } from './lib/engaged-time';
import { guard, readOptions } from './lib/guard';
import { onNavigate } from './lib/on-navigate';
import { onHidden, onRestore } from './lib/on-hidden';
import { pageKey } from './lib/page-key';

/**
 * Options of {@link engagement}. None yet; the object is accepted for symmetry.
 * @public
 */
export type EngagementOptions = Record<string, never>;

/**
 * Sends `user_engagement` with `engagedMs`: the visible-and-active time on the page since the
 * last report (active = an input in the last 30 seconds). Reported when the shopper leaves the
 * page client-side (path or query changes) and each time the page is hidden; never with 0 ms.
 * @public
 */
export function engagement(options?: EngagementOptions): Plugin {
  return {
    name: 'engagement',
    setup(tracker) {
      readOptions(tracker, 'engagement', options, []);
      const time = engagedTime();
      let sent = 0;
      let page = pageKey();
      let reported = false; // this page's time went out before its URL changed
      const report = guard(tracker, 'engagement', () => {
        const ms = time.read() - sent;
        if (ms <= 0) return;
        sent += ms;
        tracker.track('user_engagement', { engagedMs: ms });
      });
      const next = () => {
        time.reset();
        sent = 0;
        page = pageKey();
      };
      const stops = [
        onNavigate((after, _type, url) => {
          // Report before the URL changes, so the event carries the page it measured.
          if (!after && pageKey(url) !== page) {
            report();
            reported = true;
          }
          if (after && pageKey() !== page) {
            if (!reported) report(); // no "before" (popstate fallback): late, but not lost
            reported = false;
            next();
          }
        }),
        onHidden(report),
        onRestore(next),
        time.stop,
      ];
      return () => {
        for (const s of stops) s();
      };
    },
  };
}
