import type { ContextOptions, EventContext, PageInfo } from './types';

export const VERSION = '0.1.0';

/**
 * Reads the current page, URL, path and referrer redacted, the title masked (`title` is the
 * masker, or gives ''); rebuilt only when the URL or the title changed. The window's
 * location, document and navigation objects are taken once: each read of them is a call into
 * the browser, and track() reads the page on every call.
 */
export function pageReader(redact: (u: string) => string, mask: (t: string) => string): () => PageInfo {
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
      cached = { url: redact(href!), path: redact(l?.pathname!), title: mask(title || ''), referrer: redact(d?.referrer!) };
    }
    return cached;
  };
}

export function eventContext(o: ContextOptions = {}): EventContext {
  const n = globalThis.navigator;
  const s = globalThis.screen;
  const ua = n?.userAgent || '';
  const r = (v = 0) => Math.round(v / 100) * 100;
  const c: EventContext = {
    locale: n?.language || '',
    timezone: Intl.DateTimeFormat().resolvedOptions().timeZone || '',
    screen:
      o.screen == 'coarse'
        ? { width: r(s?.width), height: r(s?.height), density: Math.round(globalThis.devicePixelRatio || 1) }
        : { width: s?.width || 0, height: s?.height || 0, density: globalThis.devicePixelRatio || 1 },
    // Coarse: major versions only ("Chrome/150.0.0.0" → "Chrome/150", "rv:140.0" → "rv:140").
    userAgent: o.userAgent == 'coarse' ? ua.replace(/(\d+)(\.\d+)+/g, '$1') : ua,
    library: { name: 'clicktrail', version: VERSION },
  };
  for (const k in o) if ((o as Record<string, unknown>)[k] === false && k != 'library') delete c[k as 'screen'];
  return c;
}
