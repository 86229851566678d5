const MAX_DEPTH = 32;

/**
 * Properties → JSON, with a defined outcome for everything JSON cannot carry as is:
 * Date → ISO string (its toJSON), BigInt → decimal string, NaN/±Infinity → null, functions and
 * symbols → dropped, DOM nodes and windows → their type tag ("[object HTMLButtonElement]"),
 * Map → object, Set → array, a circular reference → "[Circular]", nesting past 32 → "[Truncated]",
 * a getter that throws → dropped. Returns the JSON (undefined if even that failed) and what was
 * changed, for the error report.
 */
export function sanitize(value: object): [json: string | undefined, notes: string[]] {
  const notes: string[] = [];
  const stack: unknown[] = [];
  const note = (key: string | number, what: string) => notes.push(`${key}: ${what}`);
  const walk = (v: any, key: string | number): unknown => {
    if (v && typeof v.toJSON === 'function') v = v.toJSON(String(key));
    switch (typeof v) {
      case 'number':
        if (isFinite(v)) return v;
        note(key, `${v} sent as null`);
        return null;
      case 'bigint':
        note(key, 'BigInt sent as string');
        return String(v);
      case 'function':
      case 'symbol':
        note(key, `${typeof v} dropped`);
        return;
      case 'object':
        if (!v) return v;
        if (stack.includes(v)) {
          note(key, 'circular reference sent as "[Circular]"');
          return '[Circular]';
        }
        if (stack.length >= MAX_DEPTH) {
          note(key, 'nested too deep, sent as "[Truncated]"');
          return '[Truncated]';
        }
        if (typeof v.nodeType === 'number' || v.window === v) {
          note(key, 'DOM object sent as its type');
          return Object.prototype.toString.call(v);
        }
        if (v instanceof Map) v = Object.fromEntries(v);
        if (v instanceof Set) v = Array.from(v);
        stack.push(v);
        let out: any;
        if (Array.isArray(v)) out = v.map((x, i) => walk(x, i) ?? null);
        else {
          out = {};
          for (const k of Object.keys(v)) {
            try {
              const c = walk(v[k], k);
              if (c !== undefined) out[k] = c;
            } catch {
              note(k, 'unreadable, dropped');
            }
          }
        }
        stack.pop();
        return out;
    }
    return v;
  };
  try {
    return [JSON.stringify(walk(value, 'properties')), notes];
  } catch (e) {
    return [undefined, [String(e)]];
  }
}
