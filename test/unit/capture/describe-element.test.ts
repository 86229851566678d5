import { describe, expect, it } from 'vitest';
import { createRedactor } from '../../../src/core/redact';
import { describeElement, textOf } from '../../../src/capture/lib/describe-element';
import { getSelector } from '../../../src/capture/lib/get-selector';

const html = (s: string) => {
  document.body.innerHTML = s;
  return document.body;
};

describe('getSelector', () => {
  it('stops at a stable id and numbers siblings that share a tag', () => {
    html('<div id="grid"><ul><li>a</li><li class="item hot css-1q2w3e4">b</li></ul></div>');
    expect(getSelector(document.querySelector('.hot'))).toBe('#grid>ul>li.item.hot:nth-of-type(2)');
  });

  it('skips generated ids and hashed classes, and handles SVG class names', () => {
    html('<section id=":r12:"><svg class="icon big"><circle class="dot"/></svg></section>');
    const sel = getSelector(document.querySelector('circle'));
    expect(sel).toBe('section>svg.icon.big>circle.dot');
    expect(document.querySelector(sel)).toBe(document.querySelector('circle'));
  });
});

describe('textOf', () => {
  it('collapses whitespace, cuts at 100 characters and skips form fields and editable regions', () => {
    html(`<label id="l">  Name <input value="typed-secret"> <textarea>draft-secret</textarea>
      <select><option>opt-secret</option></select><span contenteditable>edit-secret</span> ok </label>
      <button id="b">${'word '.repeat(40)}</button>`);
    expect(textOf(document.getElementById('l')!)).toBe('Name ok');
    expect(textOf(document.getElementById('b')!)).toHaveLength(100);
  });

  it('returns nothing for elements inside an editable region and masks e-mail addresses', () => {
    html('<div contenteditable><b id="in">secret</b></div><a id="a">Signed in as jo@shop.example</a>');
    expect(textOf(document.getElementById('in')!)).toBe('');
    expect(textOf(document.getElementById('a')!)).toBe('Signed in as [email]');
  });
});

describe('describeElement', () => {
  const redact = createRedactor([]);
  it('redacts link URLs like page URLs and keeps only the scheme of javascript: links', () => {
    html('<a id="x" href="/p?token=t1&size=9">P</a><a id="j" href="javascript:steal()">J</a>');
    expect(describeElement(document.getElementById('x')!, redact).href).toMatch(/\/p\?token=REDACTED&size=9$/);
    expect(describeElement(document.getElementById('j')!, redact).href).toBe('javascript:');
  });

  it('collects data-ct-* attributes camel-cased and cut short, at most ten', () => {
    const attrs = Array.from({ length: 12 }, (_, i) => `data-ct-k${i}="v"`).join(' ');
    html(`<button id="b" data-ct-product-id="sku-1" data-ct-long="${'y'.repeat(500)}" ${attrs}>Buy</button>`);
    const d = describeElement(document.getElementById('b')!, redact);
    expect(d.data!.productId).toBe('sku-1');
    expect(d.data!.long).toHaveLength(100);
    expect(Object.keys(d.data!)).toHaveLength(10);
  });
});
