'use client';
import { usePathname, useSearchParams } from 'next/navigation';
import { Suspense, useEffect, useRef, type ReactElement } from 'react';
import type { Tracker } from '../core/types';
import { useTracker } from './react';

/**
 * Props of {@link PageViews}.
 * @public
 */
export interface PageViewsProps {
  /** @defaultValue the tracker of the nearest `ClicktrailProvider` */
  tracker?: Tracker | null;
  /** Extra properties sent with every `page_view`. */
  properties?: Record<string, unknown>;
}

function Views(props: PageViewsProps): null {
  const fromContext = useTracker();
  const tracker = props.tracker === undefined ? fromContext : props.tracker;
  const path = usePathname();
  const search = useSearchParams();
  const url = `${path}?${search ? search.toString() : ''}`;
  // The last URL sent: StrictMode's second effect run and re-renders for the same URL send nothing.
  const last = useRef<string | undefined>(undefined);
  const extra = useRef(props.properties);
  extra.current = props.properties;
  useEffect(() => {
    if (!tracker || last.current === url) return;
    last.current = url;
    tracker.page(extra.current);
  }, [tracker, url]);
  return null;
}

/**
 * Sends a `page_view` for the first page and for every App Router navigation (path or query
 * change), one per URL. Put it once in the root layout, inside the `ClicktrailProvider`.
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
