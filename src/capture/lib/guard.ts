import type { Tracker } from '../../core/types';

/** Wraps a listener so that a failure goes to the tracker's onError instead of into the page. */
export const guard =
  <A extends unknown[]>(tracker: Tracker, name: string, fn: (...a: A) => void) =>
  (...a: A): void => {
    try {
      fn(...a);
    } catch (e) {
      tracker.report('plugin_failed', `${name}: ${(e as Error)?.message || e}`);
    }
  };

/** The options object, with unknown keys reported (a typo must not fail silently). */
export function readOptions<T extends object>(tracker: Tracker, name: string, options: unknown, known: string): Partial<T> {
  const o = Object(options) as Partial<T>;
  for (const k in o) if (!known.split(' ').includes(k)) tracker.report('invalid_option', `${name}: unknown option "${k}"`);
  return o;
}
