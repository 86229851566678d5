/**
 * Properties → JSON, with a defined outcome for every value JSON cannot carry as is. Sanitised:
 * Date → ISO string (its own toJSON), BigInt → decimal string, NaN and ±Infinity → null,
 * functions, symbols and undefined → left out, DOM nodes and windows → their type tag
 * ("[object HTMLButtonElement]"), Map → object, Set → array. Rejected (returns the reason): a
 * circular structure, a getter that throws, nesting deep enough to overflow the stack.
 */
export function sanitize(value: object): [json?: string, error?: string] {
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
