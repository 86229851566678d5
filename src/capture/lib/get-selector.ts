// Names worth keeping: plain identifiers without long digit runs (generated ids and hashed
// class names such as `css-1q2w3e4` or React's `:r1:` change between builds and renders).
const stable = (s: string) => /^[A-Za-z_][\w-]{0,39}$/.test(s) && !/\d{3}/.test(s);

/**
 * A short CSS selector for `el` below `body`: up to five levels, stopping at the nearest stable id, with up to
 * two stable classes and `:nth-of-type` where siblings share the tag. Works for SVG elements
 * (whose `className` is not a string) and stops at a shadow root.
 */
export function getSelector(el: Element | null): string {
  const parts: string[] = [];
  for (let i = 0; el && i < 5; i++) {
    const tag = el.localName;
    if (el.id && stable(el.id)) {
      parts.unshift('#' + el.id);
      break;
    }
    if (tag === 'body' || tag === 'html') break;
    let s = tag;
    for (const c of (el.getAttribute('class') || '').split(/\s+/).filter(stable).slice(0, 2)) s += '.' + c;
    const parent: Element | null = el.parentElement;
    if (parent) {
      let n = 0;
      let k = 0;
      for (const c of parent.children) if (c.localName === tag && ++n && c === el) k = n;
      if (n > 1) s += `:nth-of-type(${k})`;
    }
    parts.unshift(s);
    el = parent;
  }
  return parts.join('>');
}
