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
  for (let n: Node | null; s.length < 300 && (n = walk.nextNode()); ) if (!n.parentElement!.closest(PRIVATE)) s += ' ' + (n as Text).data;
  return maskEmails(s.replace(/\s+/g, ' ').trim() || el.getAttribute('aria-label') || el.getAttribute('title') || '').slice(0, 100);
}

/** Describes `el` for a click event; `redact` cleans link URLs the way page URLs are cleaned. Empty fields are undefined. */
export function describeElement(el: Element, redact: (url: string) => string): ElementDescription {
  const d: ElementDescription = {
    tag: el.localName,
    selector: getSelector(el),
    id: el.id.slice(0, 100) || undefined,
    role: el.getAttribute('role')?.slice(0, 50) || undefined,
    text: textOf(el) || undefined,
  };
  // getAttribute: an SVG <a>'s `href` property is an SVGAnimatedString, not a URL.
  const raw = el.getAttribute('href') ?? el.getAttribute('xlink:href');
  if (raw != null) {
    try {
      const u = new URL(raw, document.baseURI);
      const web = /^https?:$/.test(u.protocol);
      // javascript:, mailto:, tel: carry code or addresses: only their scheme is kept.
      d.href = web ? redact(u.href).slice(0, 500) : u.protocol;
      if (web && u.host != location.host) d.outbound = true;
    } catch {
      /* not a URL: no href */
    }
  }
  let n = 0;
  for (const a of el.attributes) {
    const m = /^data-ct-(.+)/.exec(a.name);
    if (m && m[1] != 'ignore' && n++ < 10) (d.data ||= {})[m[1].replace(/-(\w)/g, (_, c: string) => c.toUpperCase())] = a.value.slice(0, 100);
  }
  return d;
}
