// Registered properties and the beforeSend hook: what happens to an event between track() and
// its envelope. Both run synchronously in track(), on the event as the app passed it.
import type { Reporter } from './errors';
import { show } from './options';
import type { BeforeSendEvent, EventType, TrackerOptions } from './types';

export interface Enricher {
  /** False while nothing is registered and there is no hook: track() skips `run`. */
  on: boolean;
  register(properties: unknown): void;
  unregister(key: unknown): void;
  /** The event's name and properties after both steps, or undefined when the hook dropped it. */
  run(type: EventType, name: string, properties: unknown): [string, unknown] | undefined;
}

export function createEnricher(opts: TrackerOptions, report: Reporter): Enricher {
  const hook = typeof opts.beforeSend == 'function' ? opts.beforeSend : undefined;
  // Memory only, for this page's life: registered properties are often about the visit (an
  // experiment arm, the app version), and a copy in localStorage would outlive consent.
  let registered: Record<string, unknown> | undefined;
  let count = 0;
  const e: Enricher = {
    on: !!hook,
    register(p) {
      if (!p || typeof p != 'object' || Array.isArray(p)) return report('invalid_properties', `register(${show(p)}): pass an object`);
      registered = { ...registered, ...p };
      e.on = true;
    },
    unregister(k) {
      if (typeof k != 'string') return report('invalid_properties', `unregister(${show(k)}): pass a property name`);
      const { [k]: _, ...rest } = registered || {};
      registered = Object.keys(rest).length ? rest : undefined;
      e.on = !!hook || !!registered;
    },
    run(type, name, properties) {
      let props = properties;
      // The event's own properties win over registered ones.
      if (registered && (props == null || (typeof props == 'object' && !Array.isArray(props)))) {
        props = { ...registered, ...(props as object) };
      }
      if (!hook) return [name, props];
      let out: BeforeSendEvent | null | false | undefined;
      try {
        out = hook({ type, name, properties: (props as Record<string, unknown>) || {} });
      } catch (x) {
        // Fail closed: the hook may be what strips personal data.
        report('invalid_properties', `beforeSend threw on ${name}: ${(x as Error)?.message || x}; event dropped`);
        return;
      }
      if (out === null || out === false) return;
      if (!out || typeof out != 'object') {
        count++ || report('invalid_option', `beforeSend returned ${show(out)} for ${name}: return the event to keep it, null to drop it; event dropped`);
        return;
      }
      const n = out.name;
      return [typeof n == 'string' && n.trim() && n.length < 256 ? n : name, out.properties];
    },
  };
  return e;
}
