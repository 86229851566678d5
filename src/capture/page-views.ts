import type { Plugin } from '../core/types';
import { engagedTime } from './lib/engaged-time';
import { guard, readOptions } from './lib/guard';
import { all, listen } from './lib/listen';
import { onNavigate } from './lib/on-navigate';
import { onHidden, onRestore } from './lib/on-hidden';
import { pageKey } from './lib/page-key';
import { scrollPercent } from './lib/scroll-percent';

/**
 * Options of {@link pageViews}.
 * @public
 */
export interface PageViewsOptions {
  /** A change of the URL fragment alone (`#reviews`) is a new page view. @defaultValue true */
  hashChanges?: boolean;
  /** Also send `page_leave` (engaged time and deepest scroll) once per page view. @defaultValue false */
  pageLeave?: boolean;
}

/**
 * Sends `page_view` for the first view and every client-side navigation (Navigation API where
 * the browser has it, else one shared history patch and popstate), and for pages restored from
 * the back/forward cache. No view when the URL did not change or when the app called
 * `tracker.page()` for the same URL within the last second. With `pageLeave`, sends `page_leave`.
 * @public
 */
export function pageViews(options?: PageViewsOptions): Plugin {
  return {
    name: 'pageViews',
    setup(tracker) {
      const o = readOptions<PageViewsOptions>(tracker, 'pageViews', options, 'hashChanges pageLeave');
      const g = <A extends unknown[]>(fn: (...a: A) => void) => guard(tracker, 'pageViews', fn);
      const key = (url?: string) => pageKey(url, o.hashChanges !== false);
      const page = tracker.page;
      let manualUrl = '';
      let manualAt = 0;
      let current = ''; // key of the page counted, or waiting for its task to be counted
      let type = '';
      let timer: ReturnType<typeof setTimeout> | undefined;
      let left = true;
      let deepest = 0;
      let take: (() => number) | undefined;

      // Wraps the app's calls (the core has no hook) to learn which URL it already counted.
      const wrapped = (properties?: Record<string, unknown>) => {
        manualUrl = location.href;
        manualAt = Date.now();
        page(properties);
      };
      tracker.page = wrapped;

      // An app's own tracker.page() for the URL the plugin is about to count, this recently, wins.
      const view = g(() => {
        clearTimeout(timer);
        timer = undefined;
        if (manualUrl != location.href || Date.now() - manualAt >= 1000) page({ navigationType: type });
      });
      // A task later: routers set document.title after they change the URL.
      const schedule = (t: string) => {
        clearTimeout(timer);
        type = t;
        current = key();
        timer = setTimeout(view);
      };
      const enter = () => {
        left = false;
        deepest = 0; // not measured here: at setup the body may not be parsed yet
        take?.();
      };
      // `drop`: the view still waiting for its task is not counted (the URL already moved on).
      const leave = g((drop?: boolean) => {
        if (timer && !drop) view(); // counts a view still waiting for its task while the page is the same
        if (left || !take) return;
        left = true;
        tracker.track('page_leave', { engagedMs: take(), maxScrollPercent: Math.max(deepest, scrollPercent()) });
      });

      const stops = [
        onNavigate(
          g((after: boolean, t: string, url: string) => {
            if (key(url) == current) return;
            // popstate gives no "before" to count a waiting view in time: this navigation replaces it.
            leave(after);
            if (after) {
              enter();
              schedule(t);
            }
          }),
        ),
        onHidden(leave),
        onRestore(() => {
          enter();
          type = 'back_forward_cache';
          view();
        }),
        () => {
          clearTimeout(timer);
          if (tracker.page === wrapped) tracker.page = page;
        },
      ];
      if (o.pageLeave) {
        const [t, stop] = engagedTime();
        take = t;
        stops.push(stop, listen('scroll', () => (deepest = Math.max(deepest, scrollPercent()))));
      }
      enter();
      schedule('load');
      return all(stops);
    },
  };
}
