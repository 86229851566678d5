import type { Reporter } from './errors';
import { sanitize } from './sanitize';

/**
 * The JSON of an event's properties (and traits, for identify): what cannot be sent as it is
 * goes as `{}`, reported; `undefined` when the properties cannot be serialised at all (the event
 * is dropped, reported by the caller). `check` sees the properties first (debug-only checks).
 */
export function payload(name: string, properties: unknown, traits: unknown, report: Reporter, check?: (p: Record<string, unknown>) => void): string | Error {
  let props = '{}';
  if (properties != null) {
    if (typeof properties != 'object' || Array.isArray(properties)) {
      report('invalid_properties', `${name}: ${typeof properties}, sent as {}`);
    } else {
      let json: string;
      try {
        json = sanitize(properties);
      } catch (e) {
        return Error(`${name}: ${e}`);
      }
      check?.(properties as Record<string, unknown>);
      // A Date or a URL is an object but serialises to a string.
      if (json[0] == '{') props = json;
      else report('invalid_properties', `${name}: ${json.slice(0, 40)}, sent as {}`);
    }
  }
  if (traits) {
    let json = '{}';
    try {
      // Traits are an object too: a string, a number or an array is no set of traits.
      if ((json = sanitize(traits))[0] != '{') throw json.slice(0, 40);
    } catch (e) {
      json = '{}';
      report('invalid_properties', `traits: ${e}, sent as {}`);
    }
    props += ',"traits":' + json;
  }
  return props;
}
