/**
 * Adds `fn` for each space-separated type in `types` on `target` (window by default), in the
 * capture phase and passive; returns the remover. Capture on window runs before the tracker's
 * own page-hide handler on document, so events tracked there still make its page-hide send.
 */
export function listen(types: string, fn: (e: any) => void, target: EventTarget = window): () => void { // eslint-disable-line @typescript-eslint/no-explicit-any
  const all = types.split(' ');
  const o = { capture: true, passive: true };
  for (const t of all) target.addEventListener(t, fn, o);
  return () => {
    for (const t of all) target.removeEventListener(t, fn, o);
  };
}

/** One teardown for several. */
export const all =
  (stops: Array<() => void>) =>
  (): void => {
    for (const s of stops) s();
  };
