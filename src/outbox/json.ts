const A = Array.prototype as { toJSON?: unknown };
const O = Object.prototype as { toJSON?: unknown };

// Prototype.js and old shop scripts define `Array.prototype.toJSON` (arrays then serialise as
// strings) or `Object.prototype.toJSON`. JSON.stringify calls toJSON before the replacer, and
// the replacer can still read the original value from its holder (`this[key]`): a value whose
// toJSON is one of those two is serialised as what it is. Date's own toJSON still applies.
function plain(this: Record<string, unknown>, key: string, v: unknown) {
  const o = this[key] as { toJSON?: unknown } | null;
  return o && typeof o == 'object' && o.toJSON && (o.toJSON === A.toJSON || o.toJSON === O.toJSON) ? o : v;
}

/**
 * JSON.stringify that a page's toJSON on built-in prototypes cannot change. Costs nothing
 * extra on a page that defines none; `replacer` runs after the original value is restored.
 */
export function stringify(value: unknown, replacer?: (this: any, key: string, v: any) => unknown): string {
  if (!A.toJSON && !O.toJSON) return JSON.stringify(value, replacer);
  return JSON.stringify(
    value,
    replacer
      ? function (this: Record<string, unknown>, k: string, v: unknown) {
          return replacer.call(this, k, plain.call(this, k, v));
        }
      : plain,
  );
}
