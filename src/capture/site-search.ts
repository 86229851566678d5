import type { Plugin } from '../core/types';
import { guard, readOptions } from './lib/guard';
import { all } from './lib/listen';
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
      let { params } = readOptions<SiteSearchOptions>(tracker, 'siteSearch', options, 'params');
      if (params !== undefined && !(Array.isArray(params) && params.length && params.every((p) => p && typeof p == 'string'))) {
        tracker.report('invalid_option', 'siteSearch: params must be a non-empty array of names');
        params = undefined;
      }
      const names = params || ['q', 'query', 'search', 's', 'keyword'];
      let page = '';
      let timer: ReturnType<typeof setTimeout> | undefined;
      // The term comes from the query, which is part of the page key: one check per page suffices.
      const check = guard(tracker, 'siteSearch', () => {
        if (pageKey() == page) return;
        page = pageKey();
        const q = new URLSearchParams(location.search);
        const term = names.map((p) => q.get(p)?.trim()).find((t) => t);
        if (term) tracker.track('search', { search_term: maskEmails(term).slice(0, 100) });
      });
      // A task later, like pageViews, so the search follows the page_view it belongs to.
      const later = () => {
        clearTimeout(timer);
        timer = setTimeout(check);
      };
      later();
      return all([
        onNavigate((after) => after && later()),
        onRestore(() => {
          page = '';
          later();
        }),
        () => clearTimeout(timer),
      ]);
    },
  };
}
