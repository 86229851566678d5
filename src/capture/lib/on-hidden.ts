/**
 * Calls `fn` when the page is hidden or unloaded (it may be called for both).
 * Capture-phase listeners on window run before the tracker's own hide handler on document, so
 * events tracked here still make the tracker's page-hide send.
 */
export function onHidden(fn: () => void): () => void {
  const hidden = () => document.visibilityState === 'hidden' && fn();
  // pagehide too: Safari before 14.1 fires no visibilitychange on unload (web-vitals does the same).
  addEventListener('visibilitychange', hidden, true);
  addEventListener('pagehide', fn, true);
  return () => {
    removeEventListener('visibilitychange', hidden, true);
    removeEventListener('pagehide', fn, true);
  };
}

/** Calls `fn` when the page comes back from the back/forward cache. */
export function onRestore(fn: () => void): () => void {
  const show = (e: PageTransitionEvent) => e.persisted && fn();
  addEventListener('pageshow', show, true);
  return () => removeEventListener('pageshow', show, true);
}
