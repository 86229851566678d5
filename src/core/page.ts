import type { EventContext, PageInfo } from './types';

export const VERSION = '0.1.0';

/**
 * Reads the current page, redacted; rebuilt only when the URL or the title changed. The window's
 * location, document and navigation objects are taken once: each read of them is a call into
 * the browser, and track() reads the page on every call.
 */
export function pageReader(redact: (u: string) => string): () => PageInfo {
  const g = globalThis as { location?: Location; document?: Document; navigation?: { currentEntry: unknown } };
  const l = g.location;
  const d = g.document;
  const n = g.navigation;
  let cached: PageInfo | undefined;
  let entry: unknown;
  let href: string | undefined;
  let title: string | undefined;
  return () => {
    // Every URL change (push, replace, hash, traversal) brings a new navigation entry, and
    // checking that costs a tenth of reading location.href, which builds a new string each time.
    const e = n?.currentEntry;
    // Compared apart rather than joined: nothing is allocated here while the page stays.
    if (!cached || (e ? e != entry : l?.href != href) || d?.title != title) {
      entry = e;
      href = l?.href;
      title = d?.title;
      // The referrer cannot change within a document.
      cached = { url: redact(href!), path: l?.pathname || '', title: title || '', referrer: redact(d?.referrer!) };
    }
    return cached;
  };
}

export function eventContext(): EventContext {
  const n = globalThis.navigator;
  const s = globalThis.screen;
  return {
    locale: n?.language || '',
    timezone: Intl.DateTimeFormat().resolvedOptions().timeZone || '',
    screen: { width: s?.width || 0, height: s?.height || 0, density: globalThis.devicePixelRatio || 1 },
    userAgent: n?.userAgent || '',
    library: { name: 'clicktrail', version: VERSION },
  };
}
