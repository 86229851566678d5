import { onCLS, onFCP, onINP, onLCP, onTTFB, type Metric } from 'web-vitals';
import type { Plugin } from '../core/types';
import { readOptions } from './lib/guard';
import { ignored } from './lib/ignored';

/**
 * Options of {@link webVitals}.
 * @public
 */
export interface WebVitalsOptions {
  /** Report every change of a metric, not only its final value (debugging). @defaultValue false */
  reportAllChanges?: boolean;
}

/**
 * Sends Core Web Vitals (LCP, INP, CLS) and FCP, TTFB as `web_vital` events, measured by the
 * `web-vitals` package: `{ name, value, delta, rating, id, navigationType }`. LCP, CLS
 * and INP are final when the page is hidden, so they arrive on tab switch or page leave.
 * None while the page is under `[data-ct-ignore]`.
 * @public
 */
export function webVitals(options?: WebVitalsOptions): Plugin {
  return {
    name: 'webVitals',
    setup(tracker) {
      const o = readOptions<WebVitalsOptions>(tracker, 'webVitals', options, 'reportAllChanges');
      let on = true;
      // CLS is a unitless score; the others are milliseconds.
      const round = (m: Metric, v: number) => (m.name === 'CLS' ? Math.round(v * 10000) / 10000 : Math.round(v));
      const send = (m: Metric) => {
        if (on && !ignored())
          tracker.track('web_vital', {
            name: m.name,
            value: round(m, m.value),
            delta: round(m, m.delta),
            rating: m.rating,
            id: m.id,
            navigationType: m.navigationType,
          });
      };
      const opts = { reportAllChanges: !!o.reportAllChanges };
      for (const f of [onLCP, onINP, onCLS, onFCP, onTTFB]) {
        try {
          f(send, opts);
        } catch (e) {
          tracker.report('plugin_failed', `webVitals: ${(e as Error)?.message || e}`);
        }
      }
      // web-vitals has no way to unsubscribe: teardown mutes it.
      return () => {
        on = false;
      };
    },
  };
}
