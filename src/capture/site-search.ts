import type { Plugin } from '../core/types';
import { guard, readOptions } from './lib/guard';
import { maskEmails } from './lib/mask';
import { onNavigate } from './lib/on-navigate';
import { onRestore } from './lib/on-hidden';
import { pageKey } from './lib/page-key';

/**
 * Options of {@link siteSearch}.
 * @public
 */
export interface SiteSearchOptions {
  /** Query parameters that carry the search term, first match wins. @defaultValue ['q', 'query', 'search', 's', 'keyword'] */
  params?: string[];
}

/**
 * Sends GA4's `search` event with `search_term` when the URL carries a search parameter: on load,
 * after client-side navigations, once per distinct term per page. Terms are trimmed, cut to 100
 * characters, and e-mail addresses in them are replaced by `[email]`.
 * @public
 */
export function siteSearch(options?: SiteSearchOptions): Plugin {
  return {
    name: 'siteSearch',
    setup(tracker) {
      const o = readOptions<SiteSearchOptions>(tracker, 'siteSearch', options, ['params']);
      let params = ['q', 'query', 'search', 's', 'keyword'];
      if (o.params !== undefined) {
        if (Array.isArray(o.params) && o.params.length && o.params.every((p) => typeof p === 'string' && p)) params = o.params;
        else tracker.report('invalid_option', 'siteSearch: params must be a non-empty array of names');
      }
      let page = '';
      let seen: string[] = [];
      let timer: ReturnType<typeof setTimeout> | undefined;
      const check = guard(tracker, 'siteSearch', () => {
        if (pageKey() !== page) {
          page = pageKey();
          seen = [];
        }
        const q = new URLSearchParams(location.search);
        for (const p of params) {
          const term = maskEmails((q.get(p) || '').trim()).slice(0, 100);
          if (!term) continue;
          if (!seen.includes(term)) {
            seen.push(term);
            tracker.track('search', { search_term: term });
          }
          return;
        }
      });
      // A task later, like pageViews, so the search follows the page_view it belongs to.
      const later = () => {
        clearTimeout(timer);
        timer = setTimeout(check);
      };
      const stops = [
        onNavigate((after) => after && later()),
        onRestore(() => {
          page = '';
          later();
        }),
      ];
      later();
      return () => {
        clearTimeout(timer);
        for (const s of stops) s();
      };
    },
  };
}
