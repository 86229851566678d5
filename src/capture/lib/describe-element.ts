import type { Tracker } from '../../core/types';
import { getSelector } from './get-selector';

/**
 * What a `click` or `rage_click` event says about the element.
 * @public
 */
export interface ElementDescription {
  /** Lower-case tag name (`a`, `button`, `svg`...). */
  tag: string;
  id?: string;
  role?: string;
  /** Visible text, whitespace collapsed, at most 100 characters; never from form fields, editable regions or `[data-ct-ignore]`. */
  text?: string;
  /** Absolute link target with sensitive query parameters redacted; only the scheme (`javascript:`, `mailto:`) for non-web links. */
  href?: string;
  /** A short CSS selector path. */
  selector: string;
  /** `data-ct-*` attributes, camel-cased without the prefix, values cut to 100 characters (at most 10). */
  data?: Record<string, string>;
  /** Set when the link leads to another host. */
  outbound?: boolean;
}

// Text is never read from these, nor from anything inside them: what a shopper types lives here.
// Any [contenteditable], "false" included: less text, never more.
const PRIVATE = 'input,textarea,select,[contenteditable],[data-ct-ignore]';

const DATA = /^data-ct-(?!ignore$)(.+)/;

/** Whether `el` carries a `data-ct-*` attribute (other than `data-ct-ignore`). */
export const hasData = (el: Element): boolean => el.getAttributeNames().some((a) => DATA.test(a));

/** Visible text of `el`, at most 100 characters; empty for form fields and editable regions. */
export function textOf(el: Element): string {
  let s = '';
  let t;
  const walk = document.createTreeWalker(el, 4 /* NodeFilter.SHOW_TEXT */);
  // Only text that shows counts towards the 300: indented markup is mostly whitespace-only nodes.
  // closest() from each text node also covers `el` and everything around it.
  for (let n: Node | null; s.length < 300 && (n = walk.nextNode()); ) if ((t = (n as Text).data.trim()) && !n.parentElement!.closest(PRIVATE)) s += ' ' + t;
  // s starts with a space and no piece ends with one: trimmed after the cut too.
  return s.replace(/\s+/g, ' ').slice(1, 101).trim();
}

/** Describes `el` for a click event; link URLs are redacted by the tracker, as page URLs are. Empty fields are undefined. */
export function describeElement(el: Element, tracker: Pick<Tracker, 'redact'>): ElementDescription {
  const d: ElementDescription = {
    tag: el.localName,
    selector: getSelector(el),
    text: textOf(el) || undefined,
  };
  let n = 0;
  // Attributes, not properties: an SVG <a>'s `href` property is an SVGAnimatedString, not a URL.
  for (const { name, value } of el.attributes) {
    const v = value.slice(0, 100);
    const k = DATA.exec(name)?.[1].replace(/-(\w)/g, (_, c: string) => c.toUpperCase());
    if (v && /^(id|role)$/.test(name)) d[name as 'id'] = v;
    // No prototype: data-ct-__proto__ is a key like any other, not a prototype to set.
    if (k && n++ < 10) (d.data ||= Object.create(null))[k] = v;
    if (name == 'href') {
      try {
        const u = new URL(value, document.baseURI);
        // javascript:, mailto:, tel: have no origin and carry code or addresses: only their scheme is kept.
        const web = u.origin != 'null';
        d.href = web ? tracker.redact(u.href).slice(0, 500) : u.protocol;
        if (web && u.host != location.host) d.outbound = true;
      } catch {
        /* not a URL: no href */
      }
    }
  }
  return d;
}
