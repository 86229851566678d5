// Checks of createTracker's options that happen once, at creation: unknown and mistyped
// settings (nested ones too), the consent value, and plugins that are not plugin objects.
import type { Reporter } from './errors';
import type { Consent, Plugin, Tracker, TrackerOptions } from './types';

// Every option with the type it must have: n a number > 0, b a boolean, f a function, o an
// object, - checked elsewhere (sink, plugins, redactParams, consent, eventNames, appId).
// An object literal, not built by a loop: no work at import time (sideEffects: false).
const SPEC: Record<string, string> = {
  appId: '-', sink: '-', plugins: '-', consent: '-', redactParams: '-', eventNames: '-', batch: 'o', queue: 'o', retry: 'o', privacy: 'o',
  onError: 'f', beforeSend: 'f', debug: 'b', sessionTimeoutMs: 'n', anonymousIdLifetimeMs: 'n', maxEventBytes: 'n', 'batch.maxEvents': 'n', 'batch.maxBytes': 'n',
  'batch.flushIntervalMs': 'n', 'queue.maxEvents': 'n', 'queue.maxBytes': 'n', 'queue.maxAgeMs': 'n', 'queue.persist': 'b',
  'retry.baseMs': 'n', 'retry.maxMs': 'n', 'privacy.gpc': 'b',
  // Checked where they are read (src/privacy, page.ts, the plugins): `mask` may be false, context fields 'coarse'.
  'privacy.mask': '-', 'privacy.context': '-', 'privacy.title': 'b', 'privacy.dataAttributes': '-', 'privacy.ecommerceKeys': '-',
};
const TYPES: Record<string, string> = { n: 'a number > 0', b: 'true or false', f: 'a function', o: 'an object' };

/** A value as a message shows it: `"300"`, `12`, `null`, `a function`. */
export const show = (v: unknown): string => {
  try {
    return typeof v == 'function' ? 'a function' : typeof v == 'string' ? JSON.stringify(v.slice(0, 40)) : String(v);
  } catch {
    return typeof v;
  }
};

const fits = (t: string, v: unknown) =>
  t == '-' || (t == 'n' ? typeof v == 'number' && v > 0 : v !== null && typeof v == (t == 'o' ? 'object' : t == 'b' ? 'boolean' : 'function'));

/**
 * Reports unknown and mistyped options, `batch`, `queue`, `retry` and `privacy` included:
 * `unknown option batch.maxEvent (known: maxEvents, maxBytes, flushIntervalMs)`. An option set to
 * `undefined` counts as absent. The tracker then uses the default for what it cannot use.
 */
export function checkOptions(opts: TrackerOptions, report: Reporter, prefix = ''): void {
  const o = opts as unknown as Record<string, unknown>;
  for (const k in o) {
    const key = prefix + k;
    const t = SPEC[key];
    const v = o[k];
    if (!t) {
      const known = Object.keys(SPEC).filter((s) => s.lastIndexOf('.') + 1 == prefix.length && !s.indexOf(prefix));
      report('invalid_option', `unknown option ${key} (known: ${known.join(', ').split(prefix).join('')})`);
    } else if (v !== undefined && !fits(t, v)) report('invalid_option', `${key} is ${show(v)}, not ${TYPES[t]}: the default is used`);
    else if (t == 'o' && v) checkOptions(v as TrackerOptions, report, key + '.');
  }
}

/**
 * The consent a value means, failing closed: only `'granted'` lets events be stored and sent.
 * `false` and `'denied'` deny; `'pending'` holds; anything else is reported and held as
 * `'pending'`. With `privacy: { gpc: true }`, Global Privacy Control turns `'granted'` into `'denied'`.
 */
export function consentOf(v: unknown, opts: TrackerOptions, report: Reporter): Consent {
  const c: Consent =
    v === 'granted' || v === 'pending' || v === 'denied'
      ? v
      : v === false
        ? 'denied'
        : (report('invalid_option', `consent ${show(v)} is not 'granted', 'pending' or 'denied': held as 'pending'`), 'pending');
  return c == 'granted' && gpcOn(opts) ? 'denied' : c;
}

// navigator.globalPrivacyControl is true when the user turned GPC on (Firefox, Brave, DuckDuckGo,
// extensions); Chromium and Safari do not expose it by default.
const gpcOn = (opts: TrackerOptions) =>
  !!opts.privacy?.gpc && typeof navigator == 'object' && (navigator as { globalPrivacyControl?: boolean }).globalPrivacyControl === true;

/** Why `p` is not a plugin object, in words that say what to do; undefined when it is one. */
export function pluginProblem(p: unknown): string | undefined {
  if (typeof p == 'string') return `plugin "${p}" is a name: names need clicktrail.full.min.js; with npm, pass ${p}()`;
  // A minifier may have renamed the factory: the full build names it itself (plugin-names.ts).
  if (typeof p == 'function') return p.name ? `plugin ${p.name} is a factory: call ${p.name}()` : 'a plugin factory was passed: call it (pageViews(), not pageViews)';
  if (!p || typeof (p as { setup?: unknown }).setup != 'function') return `plugin ${show(p)} has no setup(): pass a plugin such as pageViews()`;
}

/** A plain copy: an options object with throwing getters must not throw in createTracker either. */
export function copyOptions(options: TrackerOptions): TrackerOptions {
  const opts = {} as TrackerOptions;
  try {
    for (const k in options) (opts as any)[k] = (options as any)[k];
  } catch {
    // keep what was read
  }
  return opts;
}

/** Sets each plugin up; resolves to their teardowns, last first. Bad plugins are reported and skipped. */
export function setUpPlugins(plugins: unknown, tracker: Tracker, report: Reporter): (() => void)[] {
  const out: (() => void)[] = [];
  const list = plugins || [];
  if (!Array.isArray(list)) report('invalid_option', 'plugins is not a list');
  for (const p of Array.isArray(list) ? (list as Plugin[]) : []) {
    const why = pluginProblem(p);
    if (why) {
      report('invalid_option', why);
      continue;
    }
    try {
      const t = p.setup(tracker);
      if (typeof t == 'function') out.unshift(t);
    } catch (e) {
      report('plugin_failed', `${p?.name}: ${e}`);
    }
  }
  return out;
}

/** The `eventNames` map, or undefined when it renames nothing (a string is reported, but 'ga4'). */
export function renameMap(names: unknown, report: Reporter): Record<string, string> | undefined {
  if (names != null && typeof names != 'object' && names != 'ga4') {
    report('invalid_option', `eventNames ${names}: pass a map, such as segmentNames from 'clicktrail/segment'`);
  }
  if (names && typeof names == 'object') for (const _ in names) return names as Record<string, string>;
}
