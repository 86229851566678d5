// Names worth keeping: plain identifiers without long digit runs (generated ids and hashed
// class names such as `css-1q2w3e4` or React's `:r1:` change between builds and renders).
export const stable = (s: string): boolean => /^[A-Za-z_][\w-]{0,39}$/.test(s) && !/\d{3}/.test(s);

/**
 * A short CSS selector for `el` below `body`: up to five levels, stopping at the nearest id that
 * `ok` accepts, with up to two classes it accepts and `:nth-of-type` where siblings share the
 * tag. Works for SVG elements and stops at a shadow root.
 */
export function getSelector(el: Element | null, ok = stable, depth = 5): string {
  if (!el || !depth || el == document.body) return '';
  if (ok(el.id)) return '#' + el.id;
  const p = el.parentElement;
  const same = p ? [...p.children].filter((c) => c.localName == el.localName) : [];
  const up = getSelector(p, ok, depth - 1);
  // classList, not className: an SVG element's className is not a string.
  const classes = [el.localName, ...[...el.classList].filter(ok).slice(0, 2)].join('.');
  return (up && up + '>') + classes + (same[1] ? `:nth-of-type(${same.indexOf(el) + 1})` : '');
}
