import { describe, expect, it } from 'vitest';
import { sanitize } from '../../../src/core/sanitize';

const parsed = (value: object) => {
  return JSON.parse(sanitize(value));
};

describe('sanitize', () => {
  it('passes plain flat properties through unchanged', () => {
    const props = { a: 1, b: 'two', c: true, d: null, e: 0 };
    expect(sanitize(props)).toBe(JSON.stringify(props));
  });

  it('turns a Date into its ISO string, flat or nested', () => {
    const d = new Date(Date.UTC(2025, 0, 2, 3, 4, 5, 6));
    expect(parsed({ d, nested: { d } })).toEqual({ d: '2025-01-02T03:04:05.006Z', nested: { d: '2025-01-02T03:04:05.006Z' } });
  });

  it('turns a BigInt into its decimal string, flat or nested', () => {
    expect(parsed({ n: 12345678901234567890n, nested: { m: -2n } })).toEqual({ n: '12345678901234567890', nested: { m: '-2' } });
  });

  it('turns NaN and ±Infinity into null', () => {
    expect(parsed({ a: NaN, b: Infinity, c: -Infinity, nested: [NaN] })).toEqual({ a: null, b: null, c: null, nested: [null] });
  });

  it('leaves out functions, symbols and undefined', () => {
    const out = parsed({ f() {}, arrow: () => 1, s: Symbol('x'), [Symbol('key')]: 1, u: undefined, kept: 1 });
    expect(out).toEqual({ kept: 1 });
  });

  it('replaces DOM nodes with their type tag', () => {
    const out = parsed({
      button: document.createElement('button'),
      div: document.createElement('div'),
      text: document.createTextNode('hi'),
      list: [document.createElement('a')],
    });
    expect(out).toEqual({
      button: '[object HTMLButtonElement]',
      div: '[object HTMLDivElement]',
      text: '[object Text]',
      list: ['[object HTMLAnchorElement]'],
    });
  });

  it('replaces a window with its type tag rather than walking it', () => {
    // happy-dom tags its window "[object global]"; Chromium's is "[object Window]".
    expect(parsed({ w: window }).w).toMatch(/^\[object \w+\]$/);
  });

  it('turns a Map into an object and a Set into an array, nested ones too', () => {
    const out = parsed({
      m: new Map<string, unknown>([['a', 1], ['b', new Set([1, 2])]]),
      s: new Set(['x', 'y']),
    });
    expect(out).toEqual({ m: { a: 1, b: [1, 2] }, s: ['x', 'y'] });
  });

  it('rejects a circular structure and says why', () => {
    const c: Record<string, unknown> = { a: 1 };
    c.self = c;
    expect(() => sanitize(c)).toThrow(/circular/i);
  });

  it('rejects a getter that throws, with its message', () => {
    expect(() =>
      sanitize({
        get x() {
          throw new Error('boom');
        },
      }),
    ).toThrow('boom');
  });

  it('rejects a getter that throws in a nested object', () => {
    expect(() =>
      sanitize({
        outer: {
          get x() {
            throw new Error('deep boom');
          },
        },
      }),
    ).toThrow('deep boom');
  });

  it('rejects nesting deep enough to overflow the stack', () => {
    const root: Record<string, unknown> = {};
    let node = root;
    for (let i = 0; i < 100_000; i++) node = (node.x = {}) as Record<string, unknown>;
    expect(() => sanitize(root)).toThrow(/call stack/i);
  });

  it('rejects an object whose toJSON gives nothing', () => {
    expect(() => sanitize({ toJSON: () => undefined })).toThrow('nothing to serialise');
  });

  it('calls toJSON of objects that have one', () => {
    expect(parsed({ u: new URL('https://shop.example/a?b=1') })).toEqual({ u: 'https://shop.example/a?b=1' });
  });

  // Was a bug (kept as a regression test): a node with expando properties that are not circular
  // (jQuery keeps its data that way) serialised as a plain object, without the replacer's pass.
  it('replaces a DOM node with expando properties with its type tag too', () => {
    const el = document.createElement('button');
    (el as any).jQuery3710 = { events: { click: [{ type: 'click', guid: 1 }] } };
    expect(parsed({ el, n: 1 })).toEqual({ el: '[object HTMLButtonElement]', n: 1 });
  });

  it('gives the type tag for a DOM node with expando properties given as the properties themselves', () => {
    const el = document.createElement('div');
    (el as any).expando = 1;
    expect(sanitize(el)).toBe('"[object HTMLDivElement]"');
  });

  // Was a bug (kept as a regression test): an object with a numeric nodeType field was taken
  // for a DOM node whenever the replacer's pass ran.
  it('keeps a plain object that has a nodeType field', () => {
    expect(parsed({ item: { nodeType: 1, sku: 'a' }, e: {} })).toEqual({ item: { nodeType: 1, sku: 'a' }, e: {} });
  });
});

describe('sanitize, keys that reach a prototype', () => {
  it('leaves out __proto__, constructor and prototype keys, flat and nested', () => {
    const flat = JSON.parse('{"a":1,"__proto__":{"admin":true},"constructor":"c","prototype":"p"}');
    expect(sanitize(flat)).toBe('{"a":1}');
    const nested = { items: [JSON.parse('{"item_id":"x","__proto__":{"polluted":1}}')], meta: { constructor: { prototype: 1 }, ok: 2 } };
    expect(parsed(nested)).toEqual({ items: [{ item_id: 'x' }], meta: { ok: 2 } });
  });

  it('keeps a value that only mentions those words', () => {
    expect(parsed({ note: '"__proto__":1', constructorName: 'x' })).toEqual({ note: '"__proto__":1', constructorName: 'x' });
  });
});
