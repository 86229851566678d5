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
  if (nav && typeof nav.addEventListener === 'function') {
    const before = (e: Event) => {
      const { destination: d, navigationType: t } = e as Event & { destination: { sameDocument: boolean; url: string }; navigationType: string };
      if (d && d.sameDocument) fn(false, t, d.url);
    };
    const after = (e: Event) => fn(true, (e as Event & { navigationType: string }).navigationType, location.href);
    nav.addEventListener('navigate', before);
    nav.addEventListener('currententrychange', after);
    return () => {
      nav.removeEventListener('navigate', before);
      nav.removeEventListener('currententrychange', after);
    };
  }
  const w = window as unknown as Record<symbol, Set<NavigateListener>>;
  let set = w[KEY];
  if (!set) {
    const all = (set = w[KEY] = new Set());
    const each = (after: boolean, type: string, url: string) => {
      for (const f of all) {
        try {
          f(after, type, url);
        } catch {
          /* listeners report their own errors */
        }
      }
    };
    for (const m of ['pushState', 'replaceState'] as const) {
      const original = history[m];
      const type = m === 'pushState' ? 'push' : 'replace';
      // Wraps whatever is there (another library's patch included) and is never removed: taking
      // it out later would also remove patches installed on top of it. With no listeners it only
      // calls through.
      history[m] = function (this: History, ...args: Parameters<History['pushState']>) {
        let url = location.href;
        try {
          if (args[2] != null) url = new URL(String(args[2]), url).href;
        } catch {
          /* the original call below reports a bad URL */
        }
        each(false, type, url);
        const r = original.apply(this, args);
        each(true, type, location.href);
        return r;
      };
    }
  }
  // Back/forward, and fragment navigations (location.hash = ...) that fire hashchange.
  const pop = () => fn(true, 'traverse', location.href);
  set.add(fn);
  addEventListener('popstate', pop);
  addEventListener('hashchange', pop);
  return () => {
    set.delete(fn);
    removeEventListener('popstate', pop);
    removeEventListener('hashchange', pop);
  };
}
