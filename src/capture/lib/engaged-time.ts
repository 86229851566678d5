import { listen } from './listen';

// Without input for this long, the shopper is taken to be away (reading counts until then).
const IDLE_MS = 30_000;

/**
 * Counts time while the page is visible and the shopper was active in the last 30 seconds:
 * each input adds the time since the one before, up to 30 s; a hidden page stops the clock.
 * Returns `take`, the milliseconds since the last `take` (so per-page sums add up to the whole),
 * and `stop`.
 */
export function engagedTime(): [take: () => number, stop: () => void] {
  let total = 0;
  let last = NaN; // last input while visible, NaN when hidden (0 is a valid time)
  const upTo = (t: number) => Math.min(t - last, IDLE_MS) || 0;
  const input = (e?: Event) => {
    const t = performance.now();
    total += upTo(t);
    // pagehide stops the clock as hidden does: Chromium fires it before visibilitychange on navigation.
    last = document.hidden || e?.type == 'pagehide' ? NaN : t;
  };
  input();
  return [
    () => {
      const ms = Math.round(total + upTo(performance.now()));
      total -= ms;
      return ms;
    },
    // pageshow: a page restored from the back/forward cache counts from then.
    listen('pointerdown pointermove keydown scroll wheel touchstart visibilitychange focus pagehide pageshow', input),
  ];
}
