import type { Plugin } from '../core/types';
import { guard, readOptions } from './lib/guard';
import { ignored } from './lib/ignored';
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
 * the back/forward cache. After a client-side navigation the view waits for the new page's
 * title: it is sent at the first of the `<title>` changing, any other `tracker.track()` (so the
 * view comes before the new page's events), the page being hidden, the next navigation, or
 * 300 ms. No view when the URL did not change, or when the app calls `tracker.page()` itself
 * while the view waits (the first view waits one task for that). None while the page is under
 * `[data-ct-ignore]` (on `<html>` or `<body>`).
 * {@link pageLeave} sends `page_leave`.
 * @public
 */
export function pageViews(options?: PageViewsOptions): Plugin {
  return {
    name: 'pageViews',
    setup(tracker) {
      const o = readOptions<PageViewsOptions>(tracker, 'pageViews', options, 'hashChanges');
      const g = <A extends unknown[]>(fn: (...a: A) => void) => guard(tracker, 'pageViews', fn);
      const key = (url?: string) => pageKey(url, o.hashChanges !== false);
      const { page, track } = tracker;
      let current = ''; // key of the page counted, or waiting to be counted
      let waiting = ''; // navigationType of the view waiting, '' when none
      let title = ''; // the title when the URL changed: the router sets the new one later
      let timer: ReturnType<typeof setTimeout> | undefined;
      const stop = () => {
        waiting = '';
        mo.disconnect();
      };
      const flush = g(() => {
        const t = waiting;
        if (t) stop(), ignored() || page({ navigationType: t });
      });
      const mo = new MutationObserver(() => document.title != title && flush());
      // A navigation's view waits up to 300 ms for the router's title; the first view and a
      // restored page have theirs (and the first view starts delivery before a quick bounce).
      // Without the Navigation API a back/forward or hash change is seen only once the URL has
      // changed, too late to send a view still waiting: there it waits one task, as routers
      // that set the title with the URL need.
      const schedule = (type: string, ms = (globalThis as { navigation?: unknown }).navigation ? 300 : 0) => {
        current = key();
        title = document.title;
        waiting = type;
        clearTimeout(timer);
        timer = setTimeout(flush, ms);
        mo.observe(document.head, { subtree: true, childList: true, characterData: true });
      };

      // Wrapped (the core has no hook): the app's own view of this page wins over the waiting one,
      // and the waiting view goes before any other event.
      const wrapped = (properties?: Record<string, unknown>) => {
        if (key() == current) stop();
        page(properties);
      };
      const before: typeof track = (name, properties) => {
        flush();
        track(name, properties);
      };
      tracker.page = wrapped;
      tracker.track = before;
      schedule('load', 0);
      return all([
        // Before any change of the URL (a fragment too) the waiting view is sent, with the URL it
        // names; after one without a "before" (popstate and hashchange in the fallback) it is
        // dropped: that URL is gone.
        onNavigate(g((after: boolean, type: string, url: string) => (after ? key(url) != current && schedule(type) : url != location.href && flush()))),
        onHidden(flush),
        onRestore(g(() => schedule('back_forward_cache', 0))),
        () => {
          stop();
          clearTimeout(timer);
          if (tracker.page === wrapped) tracker.page = page;
          if (tracker.track === before) tracker.track = track;
        },
      ]);
    },
  };
}
