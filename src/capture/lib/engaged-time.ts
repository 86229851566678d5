// Without input for this long, the shopper is taken to be away (reading counts until then).
const IDLE_MS = 30_000;
// pagehide stops the clock as hidden does: Chromium fires it before visibilitychange on navigation.
const INPUT = ['pointerdown', 'pointermove', 'keydown', 'scroll', 'wheel', 'touchstart', 'visibilitychange', 'focus', 'pagehide'];

export interface EngagedTime {
  /** Visible and active milliseconds since the last reset. */
  read(): number;
  reset(): void;
  stop(): void;
}

/**
 * Counts time while the page is visible and the shopper was active in the last 30 seconds.
 * Active time runs from one input to 30 s after it; a hidden page stops the clock.
 */
export function engagedTime(): EngagedTime {
  const now = () => performance.now();
  let total = 0;
  let since = 0; // start of the running active stretch, 0 when none runs
  let last = 0; // last input
  const upTo = (t: number) => (since ? Math.max(0, Math.min(t, last + IDLE_MS) - since) : 0);
  const input = (e?: Event) => {
    const t = now();
    const visible = document.visibilityState === 'visible' && e?.type !== 'pagehide';
    if (since && (!visible || t > last + IDLE_MS)) {
      total += upTo(t);
      since = 0;
    }
    if (visible) {
      since = since || t;
      last = t;
    }
  };
  const reset = () => {
    total = since = 0;
    input();
  };
  for (const e of INPUT) addEventListener(e, input, { capture: true, passive: true });
  reset();
  return {
    read: () => Math.round(total + upTo(now())),
    reset,
    stop: () => {
      for (const e of INPUT) removeEventListener(e, input, true);
    },
  };
}
