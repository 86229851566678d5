import type { EventContext, PageInfo } from './types';

export const VERSION = '0.1.0';

let cached: PageInfo | undefined;
let key = '';

/** The current page, redacted; rebuilt only when the URL, title or referrer changed. */
export function pageInfo(redact: (u: string) => string): PageInfo {
  const l = globalThis.location;
  const d = globalThis.document;
  // The referrer cannot change within a document: URL and title are all that can.
  const k = l && d ? l.href + '\n' + d.title : '';
  if (!cached || k != key) {
    key = k;
    cached = { url: redact(l?.href), path: l?.pathname || '', title: d?.title || '', referrer: redact(d?.referrer) };
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
