// Arbitraries of hostile input for the public API, shared by the happy-dom fuzz and the one that
// runs in Chromium (bundled there with esbuild). Plain fast-check, no test framework.
import fc from 'fast-check';

/** Keys that reach into prototypes or shadow what serialisers call. */
export const NASTY_KEYS = ['__proto__', 'constructor', 'prototype', 'toJSON', 'valueOf', 'toString', 'hasOwnProperty', 'then', ''];

const key = fc.oneof({ weight: 3, arbitrary: fc.string({ maxLength: 12 }) }, { weight: 1, arbitrary: fc.constantFrom(...NASTY_KEYS) });

/** Values fast-check knows: nested objects and arrays, typed arrays, BigInt, Map, Set, Date... */
const plain = fc.anything({
  key,
  maxDepth: 4,
  maxKeys: 6,
  withBigInt: true,
  withBoxedValues: true,
  withDate: true,
  withMap: true,
  withSet: true,
  withNullPrototype: true,
  withObjectString: true,
  withSparseArray: true,
  withTypedArray: true,
  withUnicodeString: true,
});

/** An object whose every read throws. */
const throwingGetter = key.map((k) => Object.defineProperty({ ok: 1 }, k || 'x', { enumerable: true, get: () => { throw new Error('getter'); } }));

/** A proxy whose every trap throws (or lies). */
const proxy = fc.constantFrom('throw', 'lie').map((how) =>
  new Proxy({ a: 1 }, {
    get(t, p) {
      if (how == 'throw') throw new Error('proxy get ' + String(p));
      return p === 'toJSON' ? () => ({ lied: true }) : Reflect.get(t, p);
    },
    ownKeys() {
      if (how == 'throw') throw new Error('proxy ownKeys');
      return ['a', 'b'];
    },
    getOwnPropertyDescriptor(t, p) {
      if (how == 'throw') throw new Error('proxy gOPD');
      return p == 'b' ? { value: 2, enumerable: true, configurable: true, writable: true } : Reflect.getOwnPropertyDescriptor(t, p);
    },
    getPrototypeOf() {
      if (how == 'throw') throw new Error('proxy proto');
      return Object.prototype;
    },
  }),
);

const cycle = plain.map((v) => {
  const o: Record<string, unknown> = { v };
  o.self = { back: o };
  return o;
});

const deep = fc.integer({ min: 100, max: 20_000 }).map((n) => {
  let o: Record<string, unknown> = { leaf: true };
  for (let i = 0; i < n; i++) o = { d: o };
  return o;
});

const huge = fc.integer({ min: 1, max: 120 }).map((kb) => ({ blob: 'é'.repeat(kb * 512), n: kb }));

const symbols = fc.string().map((s) => ({ [Symbol(s)]: 1, s: Symbol(s), f: () => s, u: undefined }));

/** toJSON that throws, returns undefined, returns itself, or returns a cycle. */
const badToJSON = fc.constantFrom(
  { toJSON: () => { throw new Error('toJSON'); } },
  { toJSON: () => undefined },
  { x: { toJSON() { return this; } } },
  { x: { toJSON: () => { const a: unknown[] = []; a.push(a); return a; } } },
);

/** `__proto__` as an own key (JSON.parse makes it one), which an assignment loop would follow. */
const protoKey = fc.dictionary(fc.string({ maxLength: 6 }), plain, { maxKeys: 3 }).map((d) =>
  JSON.parse(`{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},"d":${JSON.stringify(d, (_, v) => (typeof v == 'bigint' ? String(v) : v)) ?? 'null'}}`),
);

/** Anything a page might pass as properties or traits. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: plain },
  { weight: 3, arbitrary: fc.dictionary(key, plain, { maxKeys: 8 }) },
  { weight: 1, arbitrary: throwingGetter },
  { weight: 1, arbitrary: proxy },
  { weight: 1, arbitrary: cycle },
  { weight: 1, arbitrary: deep },
  { weight: 1, arbitrary: huge },
  { weight: 1, arbitrary: symbols },
  { weight: 1, arbitrary: badToJSON },
  { weight: 1, arbitrary: protoKey },
);

/** Event names: mostly strings (unicode, long, blank), some not strings at all. */
export const hostileName: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 5, arbitrary: fc.string({ minLength: 1, maxLength: 40, unit: 'grapheme' }) },
  { weight: 2, arbitrary: fc.string({ maxLength: 300 }) },
  { weight: 1, arbitrary: fc.constantFrom(...NASTY_KEYS, ' ', '\u0000', 'add_to_cart', 'purchase', 'x'.repeat(256), '\ud800') },
  { weight: 1, arbitrary: fc.string().map((s) => new String(s)) },
  { weight: 1, arbitrary: plain },
  { weight: 1, arbitrary: proxy },
);

/** One call on the tracker, as a page could make it. */
export type Call = { m: 'track' | 'page' | 'identify' | 'setConsent' | 'reset'; a: unknown; b: unknown };

export const call: fc.Arbitrary<Call> = fc.oneof(
  { weight: 8, arbitrary: fc.record({ m: fc.constant('track' as const), a: hostileName, b: hostileValue }) },
  { weight: 2, arbitrary: fc.record({ m: fc.constant('page' as const), a: hostileValue, b: fc.constant(undefined) }) },
  {
    weight: 2,
    arbitrary: fc.record({
      m: fc.constant('identify' as const),
      a: fc.oneof(fc.string({ minLength: 1, maxLength: 40 }), fc.constant(null), plain),
      b: hostileValue,
    }),
  },
  { weight: 1, arbitrary: fc.record({ m: fc.constant('reset' as const), a: fc.constant(undefined), b: fc.constant(undefined) }) },
);

/** Option objects: right and wrong types for every known option, unknown keys, throwing getters. */
export const hostileOptions = fc
  .record(
    {
      appId: fc.oneof(fc.string({ maxLength: 20 }), plain),
      batch: fc.oneof(fc.record({ maxEvents: fc.oneof(fc.integer({ min: -5, max: 200 }), plain), maxBytes: fc.oneof(fc.integer({ min: -5, max: 1e6 }), plain), flushIntervalMs: fc.oneof(fc.integer({ min: -1, max: 1e5 }), plain) }, { requiredKeys: [] }), plain),
      queue: fc.oneof(fc.record({ maxEvents: fc.oneof(fc.integer({ min: -5, max: 100 }), plain), maxBytes: plain, maxAgeMs: fc.oneof(fc.integer({ min: -5, max: 1e9 }), plain), persist: fc.constant(false) }, { requiredKeys: ['persist'] })),
      consent: fc.oneof(fc.constantFrom('granted', 'pending', 'denied'), plain),
      debug: plain,
      eventNames: fc.oneof(fc.constantFrom('ga4', 'segment'), fc.dictionary(key, fc.oneof(fc.string(), plain), { maxKeys: 4 }), plain),
      redactParams: fc.oneof(fc.array(fc.oneof(fc.string(), plain), { maxLength: 4 }), plain),
      sessionTimeoutMs: plain,
      maxEventBytes: fc.oneof(fc.integer({ min: -5, max: 70_000 }), plain),
      retry: fc.oneof(fc.record({ baseMs: plain, maxMs: plain }, { requiredKeys: [] }), plain),
      plugins: fc.oneof(fc.array(fc.oneof(plain, fc.constant({ name: 'bad', setup: () => { throw new Error('setup'); } })), { maxLength: 3 }), plain),
      [NASTY_KEYS[0]]: plain,
      unknownOption: plain,
    },
    { requiredKeys: ['queue'] },
  )
  .chain((o) => fc.record({ o: fc.constant(o as Record<string, unknown>), getter: fc.boolean() }));

/** The options with a getter that throws, read after the sink (the copy must keep what it read). */
export function withThrowingGetter<T extends object>(o: T): T {
  return Object.defineProperty(o, 'zzz', { enumerable: true, get: () => { throw new Error('options getter'); } });
}

const PROTOS = [Object.prototype, Array.prototype, Function.prototype, String.prototype];

/** Own properties of the built-in prototypes, by reference, to compare after a run. */
export function prototypeSnapshot(): Map<string, unknown> {
  const out = new Map<string, unknown>();
  PROTOS.forEach((proto, i) => {
    for (const k of Reflect.ownKeys(proto)) {
      const d = Object.getOwnPropertyDescriptor(proto, k)!;
      out.set(`${i}.${String(k)}`, 'value' in d ? d.value : d.get);
    }
  });
  return out;
}

/** Names of the prototype properties added, removed or replaced since `before`. */
export function prototypeChanges(before: Map<string, unknown>): string[] {
  const now = prototypeSnapshot();
  const keys = new Set([...before.keys(), ...now.keys()]);
  return [...keys].filter((k) => !before.has(k) || !now.has(k) || !Object.is(before.get(k), now.get(k)));
}
