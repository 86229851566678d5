import type { Plugin } from '../core/types';
import { engagedTime } from './lib/engaged-time';
import { guard, readOptions } from './lib/guard';
import { ignored } from './lib/ignored';
import { all, listen } from './lib/listen';
import { onNavigate } from './lib/on-navigate';
import { onHidden, onRestore } from './lib/on-hidden';
import { pageKey } from './lib/page-key';
import { scrollPercent } from './lib/scroll-percent';

/**
 * Options of {@link pageLeave}.
 * @public
 */
export interface PageLeaveOptions {
  /** A change of the URL fragment alone (`#reviews`) is a new page, as in {@link pageViews}. @defaultValue true */
  hashChanges?: boolean;
}

/**
 * Sends `page_leave` with `engagedMs` and `maxScrollPercent` once per page view: before a
 * client-side navigation to another page (so it carries the page it measures), or when the page
 * is hidden or unloaded, whichever comes first. A page restored from the back/forward cache is a
 * new view. None while the page is under `[data-ct-ignore]`. Give it the same `hashChanges` as {@link pageViews}, and list it after that plugin.
 * @public
 */
export function pageLeave(options?: PageLeaveOptions): Plugin {
  return {
    name: 'pageLeave',
    setup(tracker) {
      const o = readOptions<PageLeaveOptions>(tracker, 'pageLeave', options, 'hashChanges');
      const key = (url?: string) => pageKey(url, o.hashChanges !== false);
      const [take, stop] = engagedTime();
      let current: string;
      let left: boolean;
      let deepest: number;
      const enter = () => {
        current = key();
        left = false;
        deepest = 0; // not measured here: at setup the body may not be parsed yet
        take();
      };
      const leave = guard(tracker, 'pageLeave', () => {
        if (left) return;
        left = true;
        if (!ignored()) tracker.track('page_leave', { engagedMs: take(), maxScrollPercent: Math.max(deepest, scrollPercent()) });
      });
      enter();
      return all([
        onNavigate((after, _type, url) => {
          if (key(url) != current) {
            leave();
            if (after) enter();
          }
        }),
        onHidden(leave),
        onRestore(enter),
        stop,
        listen('scroll', () => (deepest = Math.max(deepest, scrollPercent()))),
      ]);
    },
  };
}
