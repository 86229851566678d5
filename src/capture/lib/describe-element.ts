import type { MaskOptions, Tracker } from '../../core/types';
import { allowed } from '../../privacy/fields';
import { getSelector, stable } from './get-selector';

/**
 * What a `click` or `rage_click` event says about the element.
 * @public
 */
export interface ElementDescription {
  /** Lower-case tag name (`a`, `button`, `svg`...). */
  tag: string;
  /** The element id, unless it looks like data (see {@link MaskOptions.ids}). */
  id?: string;
  role?: string;
  /**
   * Visible text as the shopper reads it (whitespace collapsed, a space between blocks, none
   * added between inline elements), personal data masked, at most 100 characters; never from
   * form fields, editable regions or `[data-ct-ignore]`.
   */
  text?: string;
  /** Absolute link target, redacted and masked as page URLs are; only the scheme (`javascript:`, `mailto:`) for non-web links. */
  href?: string;
  /** A short CSS selector path. */
  selector: string;
  /**
   * `data-ct-*` attributes that GA4 names or `privacy.dataAttributes` lists, camel-cased without
   * the prefix, values masked and cut to 100 characters (at most 10).
   */
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

// The element whose box holds `e`'s text: the nearest one, up to `top`, that is not inline
// (nor `contents`, which has no box; a detached element has no display at all). Computed style,
// not tag names: a flex or grid item is a block whatever its tag.
const blockOf = (e: Element, top: Element) => {
  while (e != top && /^(inline|contents|$)/.test(getComputedStyle(e).display)) e = e.parentElement!;
  return e;
};

/**
 * Visible text of `el` as the shopper reads it, masked by `mask`, at most 100 characters; empty
 * for form fields and editable regions. Text nodes are joined as they are, so `Cart (<b>2</b>)`
 * reads `Cart (2)`; a space goes between blocks and for `<br>`, whitespace is collapsed.
 */
export function textOf(el: Element, mask: (s: string) => string = (s) => s): string {
  let s = '';
  let block: Element | undefined;
  const walk = document.createTreeWalker(el, 5 /* NodeFilter.SHOW_ELEMENT | SHOW_TEXT */);
  // Only text that shows counts towards the 300: indented markup is mostly whitespace-only nodes.
  // closest() from each text node also covers `el` and everything around it.
  for (let n: Node | null; s.length < 300 && (n = walk.nextNode()); ) {
    const p = n.parentElement!;
    if (n.nodeType == 1 || p.closest(PRIVATE)) {
      if ((n as Element).localName == 'br') s += ' ';
      continue;
    }
    const b = blockOf(p, el);
    const t = (n as Text).data;
    s += (b != block ? ' ' : '') + (/\S/.test(t) ? t : ' ');
    block = b;
  }
  s = s.replace(/\s+/g, ' ');
  // Cut at the 300: the last word may be a piece of an address the mask would not know.
  if (s.length >= 300) s = s.slice(0, s.lastIndexOf(' '));
  return mask(s.trim()).slice(0, 100).trim();
}

// An id or class name that looks like it holds the shopper's data: a word such as `user`
// followed by more (user-jane-doe, customer_42, accountMenu once camelCase is split). The word
// alone (id="mail") is a developer's name.
const PERSONAL = /(^|[-_])(user|customer|member|account|profile|e?mail|name|phone|tel|login|address)[-_]./;

/**
 * Describes `el` for a click event, masked as the tracker's `privacy` option says; link URLs
 * are redacted by the tracker, as page URLs are. Empty fields are undefined.
 */
export function describeElement(el: Element, tracker: Pick<Tracker, 'redact' | 'mask' | 'privacy'>): ElementDescription {
  const p = tracker.privacy;
  const mask = tracker.mask;
  // An id or class that looks like data is left out of `id` and of the selector.
  const ok =
    p.mask !== false && (p.mask as MaskOptions)?.ids !== false
      ? (s: string) => stable(s) && !PERSONAL.test(s.replace(/[A-Z]/g, '-$&').toLowerCase()) && mask(s) == s
      : stable;
  const d: ElementDescription = {
    tag: el.localName,
    selector: mask(getSelector(el, ok)),
    text: textOf(el, mask) || undefined,
  };
  let n = 0;
  // Attributes, not properties: an SVG <a>'s `href` property is an SVGAnimatedString, not a URL.
  for (const { name, value } of el.attributes) {
    const k = DATA.exec(name)?.[1];
    if (value && name == 'role') d.role = value.slice(0, 100);
    if (value && name == 'id' && (ok == stable || ok(value))) d.id = value.slice(0, 100);
    // No prototype: data-ct-__proto__ is a key like any other, not a prototype to set.
    if (k && allowed(k, p.dataAttributes) && n++ < 10) (d.data ||= Object.create(null))[k.replace(/-(\w)/g, (_, c: string) => c.toUpperCase())] = mask(value).slice(0, 100);
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
