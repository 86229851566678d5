import { listen } from './listen';

/**
 * Calls `fn` when the page is hidden or unloaded (it may be called for both).
 * pagehide too: Safari before 14.1 fires no visibilitychange on unload (web-vitals does the same).
 */
export const onHidden = (fn: () => void): (() => void) =>
  listen('visibilitychange pagehide', (e: Event) => (document.hidden || e.type == 'pagehide') && fn());

/** Calls `fn` when the page comes back from the back/forward cache. */
export const onRestore = (fn: () => void): (() => void) => listen('pageshow', (e: PageTransitionEvent) => e.persisted && fn());
