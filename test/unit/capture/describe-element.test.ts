import { describe, expect, it } from 'vitest';
import { createRedactor } from '../../../src/core/redact';
import { createMasker } from '../../../src/privacy/mask';
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
    // Cut at 100 characters, then trimmed: no trailing space where the cut falls after a word.
    expect(textOf(document.getElementById('b')!)).toBe('word '.repeat(20).trim());
  });

  it('finds the text of a pretty-printed card whose indentation alone passes 300 characters', () => {
    const pad = (depth: number) => '\n' + ' '.repeat(depth * 40);
    let card = '<span>Linen shirt</span>';
    for (let d = 12; d > 0; d--) card = `<div>${pad(d)}${card}${pad(d)}</div>`;
    html(`<a id="card" href="/p/1">${card}${pad(1)}<b>€ 49</b></a>`);
    expect(textOf(document.getElementById('card')!)).toBe('Linen shirt € 49');
  });

  it('returns nothing for elements inside an editable region or [data-ct-ignore], and skips ignored parts of a button', () => {
    html(`<div contenteditable><b id="in">secret</b></div><div contenteditable="false"><b id="off">also skipped</b></div>
      <div data-ct-ignore><b id="ign">hidden</b></div><button id="b">Pay <span data-ct-ignore>4111 1111</span>now</button>`);
    expect(textOf(document.getElementById('in')!)).toBe('');
    expect(textOf(document.getElementById('off')!)).toBe('');
    expect(textOf(document.getElementById('ign')!)).toBe('');
    expect(textOf(document.getElementById('b')!)).toBe('Pay now');
  });
});

describe('describeElement', () => {
  it('keeps data-ct-__proto__ as a key, without giving the data object a prototype', () => {
    html('<button id="p" data-ct-__proto__="x" data-ct-constructor="c" data-ct-sku="s1">P</button>');
    const { data } = describeElement(document.getElementById('p')!, { redact: (u: string) => u, mask: (t: string) => t, privacy: { dataAttributes: ['*'] } });
    expect(JSON.stringify(data)).toBe('{"__proto__":"x","constructor":"c","sku":"s1"}');
    expect(Object.getPrototypeOf(data)).toBe(null);
  });

  // What tracker.redact() and mask() do: the core's redactor with the tracker's redactParams, its masker.
  const mask = createMasker();
  const tracker = { redact: createRedactor(['size'], mask), mask, privacy: { dataAttributes: ['*'] } };
  it("redacts link URLs through the tracker's redactor and keeps only the scheme of javascript: links", () => {
    html('<a id="x" href="/p?token=t1&size=9&colour=red">P</a><a id="j" href="javascript:steal()">J</a><a id="bad" href="http://[x">B</a>');
    expect(describeElement(document.getElementById('x')!, tracker).href).toMatch(/\/p\?token=REDACTED&size=REDACTED&colour=red$/);
    expect(describeElement(document.getElementById('j')!, tracker).href).toBe('javascript:');
    expect(describeElement(document.getElementById('bad')!, tracker).href).toBeUndefined();
  });

  it('flags links to another host as outbound, and not links to this one', () => {
    html(`<a id="out" href="https://elsewhere.example/x">O</a><a id="in" href="${location.origin}/y">I</a>`);
    expect(describeElement(document.getElementById('out')!, tracker)).toMatchObject({ href: 'https://elsewhere.example/x', outbound: true });
    expect(describeElement(document.getElementById('in')!, tracker).outbound).toBeUndefined();
  });

  it('describes tag, id, role and text, leaving out what is empty', () => {
    html('<div id="card" role="button" class="c">  Red   shoe </div><span id="">x</span>');
    expect(describeElement(document.getElementById('card')!, tracker)).toEqual({ tag: 'div', id: 'card', role: 'button', text: 'Red shoe', selector: '#card' });
    expect(Object.keys(describeElement(document.querySelector('span')!, tracker))).toEqual(['tag', 'selector', 'text']);
  });

  it('collects data-ct-* attributes camel-cased and cut short, at most ten', () => {
    const attrs = Array.from({ length: 12 }, (_, i) => `data-ct-k${i}="v"`).join(' ');
    html(`<button id="b" data-ct-product-id="sku-1" data-ct-long="${'y'.repeat(500)}" ${attrs}>Buy</button>`);
    const d = describeElement(document.getElementById('b')!, tracker);
    expect(d.data!.productId).toBe('sku-1');
    expect(d.data!.long).toHaveLength(100);
    expect(Object.keys(d.data!)).toHaveLength(10);
  });
});

describe('textOf, text as the shopper reads it', () => {
  it('joins inline elements without adding spaces, and puts one between blocks and at <br>', () => {
    html(`<a id="cart" href="/cart">Cart (<span class="count">2</span>)</a>
      <button id="blocks"><div>Free</div><div>delivery</div></button>
      <button id="br">Buy<br>now</button>`);
    expect(textOf(document.getElementById('cart')!)).toBe('Cart (2)');
    expect(textOf(document.getElementById('blocks')!)).toBe('Free delivery');
    expect(textOf(document.getElementById('br')!)).toBe('Buy now');
  });

  it('masks before cutting at 100 characters, so no piece of an address is left', () => {
    html(`<button id="b">${'x'.repeat(90)} jane.doe@example.com</button>`);
    expect(textOf(document.getElementById('b')!, createMasker())).toBe('x'.repeat(90) + ' [email]');
  });
});

describe('describeElement, personal data', () => {
  const mask = createMasker();
  const tracker = { redact: createRedactor([], mask), mask, privacy: {} };

  it('masks text, leaves out ids that look like data, and keeps ids a developer gave', () => {
    html(`<button id="user-jane-doe">Logout jane@example.com</button><a id="order-9876543" href="/orders/9876543">Order</a>
      <button id="checkout">Pay with card 4111 1111 1111 1111</button><div id="accountMenu"><button>Call +49 170 1234567</button></div>`);
    const logout = describeElement(document.getElementById('user-jane-doe')!, tracker);
    expect(logout).toEqual({ tag: 'button', text: 'Logout [email]', selector: 'button:nth-of-type(1)' });
    const order = describeElement(document.getElementById('order-9876543')!, tracker);
    expect([order.id, order.selector]).toEqual([undefined, 'a']);
    expect(describeElement(document.getElementById('checkout')!, tracker)).toMatchObject({ id: 'checkout', text: 'Pay with card [card]', selector: '#checkout' });
    expect(describeElement(document.querySelector('#accountMenu button')!, tracker)).toMatchObject({ text: 'Call [phone]', selector: 'div>button' });
  });

  it('keeps raw ids with mask.ids false, and unmasked text with mask false', () => {
    html('<button id="user-jane-doe">Logout jane@example.com</button>');
    const el = document.getElementById('user-jane-doe')!;
    expect(describeElement(el, { ...tracker, privacy: { mask: { ids: false } } })).toMatchObject({ id: 'user-jane-doe', selector: '#user-jane-doe', text: 'Logout [email]' });
    const off = createMasker(false);
    expect(describeElement(el, { redact: createRedactor([], off), mask: off, privacy: { mask: false } })).toMatchObject({
      id: 'user-jane-doe',
      text: 'Logout jane@example.com',
    });
  });

  it('sends only GA4 data-ct-* fields unless privacy.dataAttributes lists more, with values masked', () => {
    html('<button id="b" data-ct-item-id="sku-1" data-ct-price="9" data-ct-user-email="jane@example.com" data-ct-tier="gold" data-ct-note="mail jane@example.com">B</button>');
    const el = document.getElementById('b')!;
    expect(describeElement(el, tracker).data).toEqual({ itemId: 'sku-1', price: '9' });
    expect(describeElement(el, { ...tracker, privacy: { dataAttributes: ['tier', 'note'] } }).data).toEqual({ itemId: 'sku-1', price: '9', tier: 'gold', note: 'mail [email]' });
    expect(describeElement(el, { ...tracker, privacy: { dataAttributes: ['*'] } }).data).toMatchObject({ userEmail: '[email]' });
  });
});
