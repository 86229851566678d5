import type { Plugin, Tracker } from '../core/types';
import { engagedTime, type EngagedTime } from './lib/engaged-time';
import { guard, readOptions } from './lib/guard';
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

// An app's own tracker.page() for the URL the plugin is about to count, this recently, wins.
const MANUAL_MS = 1000;

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
    setup(tracker: Tracker) {
      const o = readOptions<PageViewsOptions>(tracker, 'pageViews', options, ['hashChanges', 'pageLeave']);
      const hash = o.hashChanges !== false;
      const page = tracker.page;
      let manualUrl = '';
      let manualAt = 0;
      let current = ''; // key of the page counted last
      let timer: ReturnType<typeof setTimeout> | undefined;
      let pendingType = '';
      let pendingKey = '';
      let left = true;
      let deepest = 0;
      let time: EngagedTime | undefined;
      const key = (url?: string) => pageKey(url, hash);

      // Wraps the app's calls (the core has no hook) to learn which URL it already counted.
      const wrapped = (properties?: Record<string, unknown>) => {
        manualUrl = location.href;
        manualAt = Date.now();
        page(properties);
      };
      tracker.page = wrapped;

      const view = guard(tracker, 'pageViews', () => {
        clearTimeout(timer);
        timer = undefined;
        current = key();
        if (manualUrl === location.href && Date.now() - manualAt < MANUAL_MS) return;
        page({ navigationType: pendingType });
      });
      // A task later: routers set document.title after they change the URL.
      const schedule = (type: string) => {
        clearTimeout(timer);
        pendingType = type;
        pendingKey = key();
        timer = setTimeout(view);
      };
      const enter = () => {
        left = false;
        deepest = 0; // not measured here: at setup the body may not be parsed yet
        time?.reset();
      };
      const leave = guard(tracker, 'pageViews', () => {
        if (timer) view(); // counts a view still waiting for its task while the page is the same
        if (left || !o.pageLeave) return;
        left = true;
        tracker.track('page_leave', { engagedMs: time!.read(), maxScrollPercent: Math.max(deepest, scrollPercent()) });
      });
      const onScroll = () => (deepest = Math.max(deepest, scrollPercent()));

      const stops = [
        onNavigate(
          guard(tracker, 'pageViews', (after: boolean, type: string, url: string) => {
            if (!after) {
              if (key(url) !== key()) leave();
            } else if (key() !== (timer ? pendingKey : current)) {
              // A view still waiting here is dropped: the URL already moved on (popstate gives
              // no "before" to count it in time), so this navigation replaces it.
              clearTimeout(timer);
              timer = undefined;
              leave();
              enter();
              schedule(type);
            }
          }),
        ),
        onHidden(leave),
        onRestore(() => {
          enter();
          pendingType = 'back_forward_cache';
          view();
        }),
      ];
      if (o.pageLeave) {
        time = engagedTime();
        addEventListener('scroll', onScroll, { capture: true, passive: true });
        stops.push(time.stop, () => removeEventListener('scroll', onScroll, true));
      }
      enter();
      schedule('load');
      return () => {
        clearTimeout(timer);
        for (const s of stops) s();
        if (tracker.page === wrapped) tracker.page = page;
      };
    },
  };
}
