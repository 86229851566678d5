import type { Plugin } from '../core/types';
import { guard, readOptions } from './lib/guard';
import { all } from './lib/listen';
import { onNavigate } from './lib/on-navigate';
import { onHidden, onRestore } from './lib/on-hidden';
import { pageKey } from './lib/page-key';

/**
 * Options of {@link pageViews}.
 * @public
 */
export interface PageViewsOptions {
  /** A change of the URL fragment alone (`#reviews`) is a new page view. @defaultValue true */
  hashChanges?: boolean;
}

/**
 * Sends `page_view` for the first view and every client-side navigation (Navigation API where
 * the browser has it, else one shared history patch and popstate), and for pages restored from
 * the back/forward cache. No view when the URL did not change or when the app called
 * `tracker.page()` for the same URL within the last second. {@link pageLeave} sends `page_leave`.
 * @public
 */
export function pageViews(options?: PageViewsOptions): Plugin {
  return {
    name: 'pageViews',
    setup(tracker) {
      const o = readOptions<PageViewsOptions>(tracker, 'pageViews', options, 'hashChanges');
      const g = <A extends unknown[]>(fn: (...a: A) => void) => guard(tracker, 'pageViews', fn);
      const key = (url?: string) => pageKey(url, o.hashChanges !== false);
      const page = tracker.page;
      let manualUrl = '';
      let manualAt = 0;
      let current = ''; // key of the page counted, or waiting for its task to be counted
      let pending: (() => void) | undefined; // that view, while it waits

      // Wraps the app's calls (the core has no hook) to learn which URL it already counted.
      const wrapped = (properties?: Record<string, unknown>) => {
        manualUrl = location.href;
        manualAt = Date.now();
        page(properties);
      };
      tracker.page = wrapped;

      // An app's own tracker.page() for the URL the plugin is about to count, this recently, wins.
      const view = (type: string) => (manualUrl != location.href || Date.now() - manualAt >= 1000) && page({ navigationType: type });
      // A task later: routers set document.title after they change the URL. A newer navigation
      // replaces `pending`, and the older task then does nothing.
      const schedule = (type: string) => {
        current = key();
        const run: () => void = (pending = g(() => {
          if (pending == run) {
            pending = undefined;
            view(type);
          }
        }));
        setTimeout(run);
      };
      // A view still waiting for its task is counted before the page changes or hides; after a
      // navigation it is dropped (popstate gives no "before" to count it in time): the URL moved on.
      const flush = () => pending?.();
      schedule('load');
      return all([
        onNavigate(g((after: boolean, type: string, url: string) => key(url) != current && (after ? schedule(type) : flush()))),
        onHidden(flush),
        onRestore(g(() => view('back_forward_cache'))),
        () => {
          pending = undefined;
          if (tracker.page === wrapped) tracker.page = page;
        },
      ]);
    },
  };
}
