'use client';
import { useContext, useEffect, useRef, type ReactElement, type ReactNode } from 'react';
import type { EventProperties } from '../commerce/events';
import type { Tracker } from '../core/types';
import { Ctx, outside } from './react-context';

/**
 * Props of {@link ClicktrailProvider}.
 * @public
 */
export interface ClicktrailProviderProps {
  /** The app's tracker; `null` while there is none yet (on the server, before the client creates it). */
  tracker: Tracker | null | undefined;
  /** The app. */
  children?: ReactNode;
}

/**
 * Makes a tracker available to {@link useTracker}, {@link useTrackView} and {@link TrackView}
 * below it. Create the tracker in a client component (`createTracker` belongs in the browser).
 * @public
 */
export function ClicktrailProvider(props: ClicktrailProviderProps): ReactElement {
  return <Ctx.Provider value={props.tracker || null}>{props.children}</Ctx.Provider>;
}

/**
 * The tracker of the nearest {@link ClicktrailProvider}, or `null` where there is none yet (server
 * rendering). Outside any provider it is also `null`, with a console warning once in the browser.
 * @public
 */
export function useTracker(): Tracker | null {
  const t = useContext(Ctx);
  return t === undefined ? outside('useTracker()') : t;
}

const keyOf = (name: string, properties: unknown): unknown[] => {
  try {
    return [name, JSON.stringify(properties)];
  } catch {
    return [name];
  }
};

const same = (a: unknown[] | undefined, b: unknown[]) => !!a && a.length === b.length && a.every((v, i) => Object.is(v, b[i]));

/**
 * Tracks `name` once when the component mounts, and again only when `deps` change. React's
 * StrictMode mounts twice in development; that sends one event, not two.
 * @param deps - when to send again. @defaultValue the event name and the properties' JSON
 * @public
 */
export function useTrackView<N extends string>(name: N, properties?: EventProperties<N>, deps?: unknown[]): void {
  const tracker = useTracker();
  const key = deps ? [name, ...deps] : keyOf(name, properties);
  // Refs survive StrictMode's simulated unmount and remount; a real remount starts afresh.
  const sent = useRef<unknown[] | undefined>(undefined);
  const props = useRef(properties);
  props.current = properties;
  useEffect(() => {
    if (!tracker || same(sent.current, key)) return;
    sent.current = key;
    tracker.track(name, props.current);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [tracker, ...key]);
}

/**
 * Props of {@link TrackView}.
 * @public
 */
export interface TrackViewProps<N extends string> {
  /** The event name, `view_item` for a product page. */
  event: N;
  /** Its properties, type-checked for the GA4 e-commerce names. */
  properties?: EventProperties<N>;
  /** When to send again. @defaultValue the event name and the properties' JSON */
  deps?: unknown[];
}

/**
 * Renders nothing; tracks `event` when it mounts (see {@link useTrackView}). Usable from a server
 * component page: `<TrackView event="view_item" properties={{ items: [...] }} />`.
 * @public
 */
export function TrackView<N extends string>(props: TrackViewProps<N>): null {
  useTrackView(props.event, props.properties, props.deps);
  return null;
}

/**
 * Keeps the tracker's user in step with sign-in: `undefined` while the auth state is loading
 * (nothing happens), a user id once signed in (`identify`, unless the tracker already has that
 * user), `null` once signed out (`reset`, if a user was set). For Cognito, pass the `sub`.
 * @public
 */
export function useIdentify(userId: string | null | undefined, traits?: Record<string, unknown>): void {
  const tracker = useTracker();
  const t = useRef(traits);
  t.current = traits;
  useEffect(() => {
    if (!tracker || userId === undefined) return;
    const current = tracker.ids().userId;
    if (userId === null) {
      if (current !== null) tracker.reset();
    } else if (userId !== current) tracker.identify(userId, t.current);
  }, [tracker, userId]);
}
