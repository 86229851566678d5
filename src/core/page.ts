import type { EventContext, PageInfo } from './types';

export const VERSION = '0.1.0';

let cached: PageInfo | undefined;
let by: unknown;
let entry: unknown;
let href: string | undefined;
let title: string | undefined;

/** The current page, redacted; rebuilt only when the URL or the title changed. */
export function pageInfo(redact: (u: string) => string): PageInfo {
  const l = globalThis.location;
  const d = globalThis.document;
  // Every URL change (push, replace, hash, traversal) brings a new navigation entry, and checking
  // that costs a tenth of reading location.href, which builds a new string each time.
  const e = (globalThis as { navigation?: { currentEntry: unknown } }).navigation?.currentEntry;
  // Compared apart rather than joined: track() allocates nothing here while the page stays.
  if (!cached || by != redact || (e ? e != entry : l?.href != href) || d?.title != title) {
    by = redact;
    entry = e;
    href = l?.href;
    title = d?.title;
    // The referrer cannot change within a document.
    cached = { url: redact(href!), path: l?.pathname || '', title: title || '', referrer: redact(d?.referrer) };
  }
  return cached;
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
