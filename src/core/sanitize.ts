export interface Sanitized {
  /** JSON of the properties, or undefined when they cannot be serialised at all. */
  json?: string;
  /** What was changed, for the error report. */
  notes: string[];
}

const MAX_DEPTH = 32;

function isNode(v: object): boolean {
  return typeof (v as Node).nodeType === 'number' && typeof (v as Node).nodeName === 'string';
}

/**
 * Turns user properties into JSON with a defined outcome for every value JSON cannot carry:
 * Date → ISO string (by its toJSON), BigInt → decimal string, NaN/±Infinity → null,
 * functions and symbols → dropped, DOM nodes and windows → a "[object HTMLButtonElement]" tag,
 * Map → object, Set → array, circular references → "[Circular]", nesting past 32 → "[Truncated]".
 * The fast path is one JSON.stringify with a replacer; only circular or very deep input takes the
 * slower copy.
 */
export function sanitize(props: object): Sanitized {
  const notes: string[] = [];
  const replacer = function (this: unknown, key: string, value: unknown): unknown {
    switch (typeof value) {
      case 'number':
        if (value === value && value !== Infinity && value !== -Infinity) return value;
        notes.push(`${key || 'value'} is ${value}; sent as null`);
        return null;
      case 'bigint':
        notes.push(`${key} is a BigInt; sent as a string`);
        return String(value);
      case 'function':
      case 'symbol':
        notes.push(`${key} is a ${typeof value}; dropped`);
        return undefined;
      case 'object':
        if (value === null || Array.isArray(value)) return value;
        if (isNode(value) || (value as Window).window === value) {
          notes.push(`${key} is a DOM object; sent as its type name`);
          return Object.prototype.toString.call(value);
        }
        if (value instanceof Map) return Object.fromEntries(value);
        if (value instanceof Set) return Array.from(value);
        if (value instanceof Error) return { name: value.name, message: value.message };
        return value;
    }
    return value;
  };
  try {
    return { json: JSON.stringify(props, replacer), notes };
  } catch {
    // Circular, too deep, or a getter that throws: copy with cycle detection, then serialise.
  }
  notes.length = 0;
  const stack = new Set<unknown>();
  const copy = (v: unknown, key: string, depth: number): unknown => {
    if (v && typeof (v as { toJSON?: unknown }).toJSON === 'function') {
      try {
        v = (v as { toJSON(k: string): unknown }).toJSON(key);
      } catch {
        notes.push(`${key} could not be read; dropped`);
        return undefined;
      }
    }
    v = replacer.call(undefined, key, v);
    if (!v || typeof v !== 'object') return v;
    if (stack.has(v)) {
      notes.push(`${key} is a circular reference; sent as "[Circular]"`);
      return '[Circular]';
    }
    if (depth >= MAX_DEPTH) {
      notes.push(`${key} is nested deeper than ${MAX_DEPTH}; sent as "[Truncated]"`);
      return '[Truncated]';
    }
    stack.add(v);
    let out: unknown;
    if (Array.isArray(v)) {
      out = v.map((x, i) => {
        const c = copy(x, String(i), depth + 1);
        return c === undefined ? null : c;
      });
    } else {
      const o: Record<string, unknown> = {};
      for (const k of Object.keys(v)) {
        let x: unknown;
        try {
          x = (v as Record<string, unknown>)[k];
        } catch {
          notes.push(`${k} could not be read; dropped`);
          continue;
        }
        const c = copy(x, k, depth + 1);
        if (c !== undefined) o[k] = c;
      }
      out = o;
    }
    stack.delete(v);
    return out;
  };
  try {
    return { json: JSON.stringify(copy(props, '', 0)), notes };
  } catch (e) {
    notes.push(String(e));
    return { notes };
  }
}
