/** What the page's life tells the tracker. */
export interface PageLife {
  /** The page is hidden (`unloading`: being unloaded, not entering the back/forward cache). */
  hide(unloading: boolean): void;
  /** Visible again, or back from the back/forward cache: drain. */
  show(): void;
}

type On = (target: EventTarget, type: string, fn: (e: any) => unknown) => void;

/**
 * Page hide, page show and the page changes that replace this page with another of the same
 * origin. `nextPage()` is the time of the latest such change: that page sends what is queued,
 * and sending it at page hide too would deliver it twice, as no answer can arrive in between.
 * `leaving()`: a page change of any kind began (a request failing now was aborted).
 */
export function pageLife(on: On, life: PageLife) {
  let next = 0;
  let left = 0;
  let gone = false;
  const same = (url: string | URL) => {
    try {
      const u = new URL(url, location.href);
      // A change of the hash alone stays in this document.
      return u.origin == location.origin && !(u.pathname == location.pathname && u.search == location.search && u.hash);
    } catch {
      return false;
    }
  };
  on(document, 'visibilitychange', () => (document.visibilityState == 'hidden' ? life.hide(gone) : life.show()));
  on(window, 'pagehide', (e: PageTransitionEvent) => ((gone = !e.persisted), (left = Date.now()), life.hide(gone)));
  // Back from the bfcache: whatever page change was under way did not replace this page.
  on(window, 'pageshow', (e: PageTransitionEvent) => ((gone = false), e.persisted && ((next = left = 0), life.show())));
  on(window, 'beforeunload', () => (left = Date.now()));
  const nav = (globalThis as { navigation?: EventTarget }).navigation;
  if (nav) {
    // A download does not replace the page.
    on(nav, 'navigate', (e: { destination: { sameDocument: boolean; url: string }; downloadRequest: unknown }) => {
      if (!e.destination.sameDocument && e.downloadRequest == null && same(e.destination.url)) next = left = Date.now();
    });
  } else {
    // Firefox and WebKit have no Navigation API: a same-origin link or form that the page lets
    // go (seen at the window, after the page's own handlers) is the page change.
    on(window, 'click', (e: MouseEvent) => {
      const a = (e.target as Element)?.closest?.('a[href]') as HTMLAnchorElement | null;
      if (a && !e.defaultPrevented && !e.button && !(e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) && !a.hasAttribute('download') && (!a.target || a.target == '_self') && same(a.href)) next = left = Date.now();
    });
    on(window, 'submit', (e: SubmitEvent) => {
      const f = e.target as HTMLFormElement;
      if (!e.defaultPrevented && (!f.target || f.target == '_self') && f.method != 'dialog' && same(f.action)) next = left = Date.now();
    });
  }
  return {
    nextPage: () => Date.now() - next < 3e4,
    leaving: () => Date.now() - left < 3e4,
    gone: () => gone,
  };
}
