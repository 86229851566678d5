import { getSelector } from './get-selector';
import { maskEmails } from './mask';

/**
 * What a `click` or `rage_click` event says about the element.
 * @public
 */
export interface ElementDescription {
  /** Lower-case tag name (`a`, `button`, `svg`...). */
  tag: string;
  id?: string;
  role?: string;
  /** Visible text, whitespace collapsed, at most 100 characters; never from form fields or editable regions. */
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
const PRIVATE = 'input,textarea,select,[contenteditable]:not([contenteditable=false]),script,style,template,[data-ct-ignore]';

/** Visible text of `el`, at most 100 characters; empty for form fields and editable regions. */
export function textOf(el: Element): string {
  if (el.closest(PRIVATE)) return '';
  let s = '';
  const walk = document.createTreeWalker(el, 4 /* NodeFilter.SHOW_TEXT */);
  for (let n: Node | null; s.length < 300 && (n = walk.nextNode()); ) {
    if (!n.parentElement?.closest(PRIVATE)) s += ' ' + (n as Text).data;
  }
  s = maskEmails(s.replace(/\s+/g, ' ').trim() || el.getAttribute('aria-label') || el.getAttribute('title') || '');
  return s.slice(0, 100);
}

/** Describes `el` for a click event; `redact` cleans link URLs the way page URLs are cleaned. */
export function describeElement(el: Element, redact: (url: string) => string): ElementDescription {
  const d: ElementDescription = { tag: el.localName, selector: getSelector(el) };
  if (el.id) d.id = el.id.slice(0, 100);
  const role = el.getAttribute('role');
  if (role) d.role = role.slice(0, 50);
  const text = textOf(el);
  if (text) d.text = text;
  // getAttribute: an SVG <a>'s `href` property is an SVGAnimatedString, not a URL.
  const raw = el.getAttribute('href') ?? el.getAttribute('xlink:href');
  if (raw != null) {
    try {
      const u = new URL(raw, document.baseURI);
      if (/^https?:$/.test(u.protocol)) {
        d.href = redact(u.href).slice(0, 500);
        if (u.host !== location.host) d.outbound = true;
      } else d.href = u.protocol; // javascript:, mailto:, tel: carry code or addresses
    } catch {
      /* not a URL: no href */
    }
  }
  for (const a of el.attributes) {
    const m = /^data-ct-(.+)/.exec(a.name);
    if (m && m[1] !== 'ignore') {
      const data = (d.data = d.data || {});
      if (Object.keys(data).length < 10) data[m[1].replace(/-(\w)/g, (_, c: string) => c.toUpperCase())] = a.value.slice(0, 100);
    }
  }
  return d;
}
