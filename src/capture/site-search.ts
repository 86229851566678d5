import type { Plugin } from '../core/types';
import { guard, readOptions } from './lib/guard';
import { all } from './lib/listen';
import { ignored } from './lib/ignored';
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
 * Sends GA4's `search` event with `search_term` (and the same term as `searchTerm`) when the URL
 * carries a search parameter: on load, after client-side navigations, once per distinct term per
 * page. Terms are trimmed, masked as the tracker's `privacy.mask` says (an e-mail address
 * becomes `[email]`) and cut to 100 characters. Nothing while the page is under `[data-ct-ignore]`.
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
        let term = names.map((p) => q.get(p)?.trim()).find((t) => t);
        // GA4's search_term, and searchTerm as the issue that asked for this event names it
        // (the typed commerce map knows GA4's field only).
        if (term && !ignored()) tracker.track('search', { search_term: (term = tracker.mask(term).slice(0, 100)), searchTerm: term } as { search_term: string });
      });
      // A task later, so the search follows the page_view it belongs to (a view of pageViews still
      // waiting for its title goes out first when this tracks).
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
