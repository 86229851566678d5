import { stringify } from '../outbox/json';

// Keys that set a prototype, or reach one, when the JSON is parsed and merged into an object on
// the other side (a collector's Object.assign, a lodash merge): never sent.
const PROTO = /"(__proto__|constructor|prototype)":/;

const tag = (k: string, v: any) => {
  if (k == '__proto__' || k == 'constructor' || k == 'prototype') return;
  // A DOM node or a window (of any frame) gives its type tag; a plain object that merely has a
  // `nodeType` field stays as it is.
  const t = v && typeof v == 'object' && (typeof v.nodeType == 'number' || v.window == v) && Object.prototype.toString.call(v);
  return typeof v == 'bigint'
    ? String(v)
    : t && t != '[object Object]'
      ? t
      : v instanceof Map
        ? Object.fromEntries(v)
        : v instanceof Set
          ? Array.from(v)
          : v;
};

/**
 * Properties → JSON, with a defined outcome for every value JSON cannot carry as is. Sanitised:
 * Date → ISO string (its own toJSON), BigInt → decimal string, NaN and ±Infinity → null,
 * functions, symbols and undefined → left out, DOM nodes and windows → their type tag
 * ("[object HTMLButtonElement]"), Map → object, Set → array, `__proto__`, `constructor` and
 * `prototype` keys → left out, at every depth. Rejected (throws the reason): a
 * circular structure, a getter that throws, nesting deep enough to overflow the stack, a toJSON
 * that gives nothing. Throwing rather than returning a pair: track() allocates nothing for it.
 */
export function sanitize(value: object): string {
  try {
    // Plain JSON first: a replacer doubles the cost. Flat properties, the common case, are done
    // then: a Map, a Set or a DOM node (which may carry expando properties) is the properties
    // themselves or a nested object, and a BigInt or a window throws.
    const json = stringify(value);
    if (json != '{}' && json.indexOf('{', 1) < 0 && (value as Node).nodeType == null && !PROTO.test(json)) return json;
  } catch {
    // a BigInt, a cycle or a throwing getter: the replacer's pass tells them apart
  }
  const json = stringify(value, tag);
  if (json == null) throw 'nothing to serialise';
  return json;
}
