/**
 * `after` false: a same-document navigation to `url` is about to happen (the page is still the
 * old one). `after` true: the URL is now `url`. Listeners compare URLs themselves: calls may repeat.
 */
export type NavigateListener = (after: boolean, type: string, url: string) => void;

// One shared history patch per window, whichever bundle or tracker installed it.
const KEY = Symbol.for('clicktrail.history.v1');

type Listen = [EventTarget, string, (e: any) => void]; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Same-document navigations: the Navigation API where there is one, else a history patch + popstate. */
export function onNavigate(fn: NavigateListener): () => void {
  const nav = (globalThis as { navigation?: EventTarget }).navigation;
  const w = window as unknown as Record<symbol, Set<NavigateListener>> & EventTarget;
  const pop = () => fn(true, 'traverse', location.href);
  // Back/forward, and fragment navigations (location.hash = ...) that fire hashchange.
  const on: Listen[] = nav
    ? [
        [nav, 'navigate', (e) => e.destination.sameDocument && fn(false, e.navigationType, e.destination.url)],
        [nav, 'currententrychange', (e) => fn(true, e.navigationType, location.href)],
      ]
    : [
        [w, 'popstate', pop],
        [w, 'hashchange', pop],
      ];
  const set = nav ? undefined : (w[KEY] ||= patch());
  set?.add(fn);
  for (const [t, n, f] of on) t.addEventListener(n, f);
  return () => {
    set?.delete(fn);
    for (const [t, n, f] of on) t.removeEventListener(n, f);
  };
}

function patch(): Set<NavigateListener> {
  const all = new Set<NavigateListener>();
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
  return all;
}
