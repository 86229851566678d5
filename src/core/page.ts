import type { EventContext, PageInfo } from './types';

export const VERSION = '0.1.0';

let cached: PageInfo | undefined;
let cachedKey = '';

/** The current page, redacted; rebuilt only when the URL, title or referrer changed. */
export function pageInfo(redact: (u: string) => string): PageInfo {
  if (typeof location === 'undefined') return { url: '', path: '', title: '', referrer: '' };
  const href = location.href;
  const title = document.title;
  const ref = document.referrer;
  const key = href + '\n' + title + '\n' + ref;
  if (!cached || key !== cachedKey) {
    cachedKey = key;
    cached = { url: redact(href), path: location.pathname, title, referrer: redact(ref) };
  }
  return cached;
}

export function eventContext(): EventContext {
  const nav = typeof navigator === 'undefined' ? undefined : navigator;
  let timezone = '';
  try {
    timezone = Intl.DateTimeFormat().resolvedOptions().timeZone || '';
  } catch {
    /* old engines */
  }
  const s = typeof screen === 'undefined' ? undefined : screen;
  return {
    locale: nav?.language || '',
    timezone,
    screen: {
      width: s?.width || 0,
      height: s?.height || 0,
      density: (typeof devicePixelRatio === 'number' && devicePixelRatio) || 1,
    },
    userAgent: nav?.userAgent || '',
    library: { name: 'clicktrail', version: VERSION },
  };
}
