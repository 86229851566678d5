'use client';
import { usePathname, useSearchParams } from 'next/navigation';
import { Suspense, useContext, useEffect, useRef, type ReactElement } from 'react';
import { onNavigate } from '../capture/lib/on-navigate';
import type { Tracker } from '../core/types';
import { Ctx, outside } from './react-context';

/**
 * Props of {@link PageViews}.
 * @public
 */
export interface PageViewsProps {
  /** @defaultValue the tracker of the nearest `ClicktrailProvider` */
  tracker?: Tracker | null;
  /** Extra properties sent with every `page_view`, besides `navigationType`. */
  properties?: Record<string, unknown>;
}

function Views(props: PageViewsProps): null {
  const ctx = useContext(Ctx);
  // A tracker given as a prop needs no provider: no warning then.
  const tracker = props.tracker !== undefined ? props.tracker : ctx === undefined ? outside('<PageViews>') : ctx;
  const path = usePathname();
  const search = useSearchParams();
  const url = `${path}?${search ? search.toString() : ''}`;
  // The last URL sent: StrictMode's second effect run and re-renders for the same URL send nothing.
  const last = useRef<string | undefined>(undefined);
  const extra = useRef(props.properties);
  extra.current = props.properties;
  // How the URL last changed, named as the pageViews() plugin names it: 'load' for the first
  // view, then push, replace or traverse (the router's history calls, back and forward).
  const how = useRef('load');
  useEffect(() => {
    let href = location.href;
    return onNavigate((after, type, to) => {
      // The router also replaces the current entry without changing the URL (its own state).
      if (after && to !== href) (how.current = type), (href = to);
    });
  }, []);
  useEffect(() => {
    if (!tracker || last.current === url) return;
    last.current = url;
    tracker.page({ navigationType: how.current, ...extra.current });
  }, [tracker, url]);
  return null;
}

/**
 * Sends a `page_view` for the first page and for every App Router navigation (path or query
 * change), one per URL, with `navigationType` as the `pageViews()` plugin sends it (`load`,
 * `push`, `replace`, `traverse`; where the browser has no Navigation API a router's replace of
 * the URL is seen as `replace` too, through the same shared history patch). Put it once in the root layout, inside the `ClicktrailProvider`.
 * It wraps itself in `<Suspense>`, which Next 15 requires around `useSearchParams()` in pages
 * rendered at build time. Use it or the `pageViews()` plugin, not both: each sends its own
 * `page_view`.
 * @public
 */
export function PageViews(props: PageViewsProps): ReactElement {
  return (
    <Suspense fallback={null}>
      <Views {...props} />
    </Suspense>
  );
}
