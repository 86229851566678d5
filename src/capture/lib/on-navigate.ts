import { listen } from './listen';

/**
 * `after` false: a same-document navigation to `url` is about to happen (the page is still the
 * old one). `after` true: the URL is now `url`. Listeners compare URLs themselves: calls may repeat.
 */
export type NavigateListener = (after: boolean, type: string, url: string) => void;

// One shared history patch per window, whichever bundle or tracker installed it.
const KEY = Symbol.for('clicktrail.history.v1');

/** Same-document navigations: the Navigation API where there is one, else a history patch + popstate. */
export function onNavigate(fn: NavigateListener): () => void {
  const nav = (globalThis as { navigation?: EventTarget }).navigation;
  // `navigate` (with its destination) comes before a navigation, `currententrychange` after it.
  if (nav)
    return listen(
      'navigate currententrychange',
      (e) => (e.destination ? e.destination.sameDocument && fn(false, e.navigationType, e.destination.url) : fn(true, e.navigationType, location.href)),
      nav,
    );
  const w = window as unknown as Record<symbol, Set<NavigateListener>>;
  const set = (w[KEY] ||= patch());
  set.add(fn);
  // Back/forward, and fragment navigations (location.hash = ...) that fire hashchange.
  const off = listen('popstate hashchange', () => fn(true, 'traverse', location.href));
  return () => {
    set.delete(fn);
    off();
  };
}

function patch(): Set<NavigateListener> {
  const all = new Set<NavigateListener>();
  for (const m of ['pushState', 'replaceState'] as const) {
    const original = history[m];
    // Wraps whatever is there (another library's patch included) and is never removed: taking
    // it out later would also remove patches installed on top of it. With no listeners it only
    // calls through. Listeners never throw (each plugin guards its own), so the app's call does not.
    history[m] = function (this: History, ...args: Parameters<History['pushState']>) {
      let url = location.href;
      try {
        url = new URL(args[2] ?? url, url).href;
      } catch {
        /* the original call below reports a bad URL */
      }
      for (const f of all) f(false, m.slice(0, -5), url); // push, replace
      const r = original.apply(this, args);
      for (const f of all) f(true, m.slice(0, -5), location.href);
      return r;
    };
  }
  return all;
}
