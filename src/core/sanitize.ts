/**
 * Properties → JSON, with a defined outcome for every value JSON cannot carry as is. Sanitised:
 * Date → ISO string (its own toJSON), BigInt → decimal string, NaN and ±Infinity → null,
 * functions, symbols and undefined → left out, DOM nodes and windows → their type tag
 * ("[object HTMLButtonElement]"), Map → object, Set → array. Rejected (returns the reason): a
 * circular structure, a getter that throws, nesting deep enough to overflow the stack.
 */
export function sanitize(value: object): [json?: string, error?: string] {
  try {
    // Flat properties of plain values (the usual case) need no replacer, which halves the cost;
    // a BigInt among them throws and takes the full path below.
    const proto = Object.getPrototypeOf(value);
    let flat = proto == Object.prototype || !proto; // not a Map, a Set, a class instance
    for (const k in value) {
      const v = (value as Record<string, unknown>)[k];
      if (v && typeof v == 'object' && !(v instanceof Date)) flat = false;
    }
    if (flat) return [JSON.stringify(value)];
  } catch {
    // a BigInt, or a getter that throws
  }
  try {
    return [
      JSON.stringify(value, (_, v) =>
        typeof v == 'bigint'
          ? String(v)
          : v && typeof v == 'object' && (typeof v.nodeType == 'number' || v.window == v)
            ? Object.prototype.toString.call(v)
            : v instanceof Map
              ? Object.fromEntries(v)
              : v instanceof Set
                ? Array.from(v)
                : v,
      ),
    ];
  } catch (e) {
    return [, String(e)];
  }
}
