// The <script> build: defines window.clicktrail and replays calls the loader snippet recorded
// before this file arrived. This is the only module with an import-time effect, and it is not
// part of the npm entry points.
import { createTracker } from './core/tracker';
import type { Tracker, TrackerOptions } from './core/types';
import { httpSink, type HttpSinkOptions } from './sinks/http';

type InitOptions = Omit<TrackerOptions, 'sink'> & Partial<HttpSinkOptions> & { sink?: TrackerOptions['sink'] };
type Call = [string, ArrayLike<unknown>];

const w = window as unknown as { clicktrail?: Record<string, unknown> & { q?: Call[] } };
const stub = w.clicktrail || {};
const early: Call[] = Array.isArray(stub.q) ? stub.q : [];
let tracker: Tracker | undefined;
const METHODS = ['track', 'page', 'identify', 'reset', 'setConsent', 'register', 'unregister', 'flush', 'erase', 'shutdown'] as const;

function init(options: InitOptions): Tracker {
  if (tracker) return tracker;
  const { url, format, encode, compress, headers, credentials, timeoutMs, sink, ...rest } = options || ({} as InitOptions);
  tracker = createTracker({
    ...rest,
    sink: sink || httpSink({ url: url!, format, encode, compress, headers, credentials, timeoutMs }),
  });
  // On the object the page sees (the snippet's stub, extended below), not on `api`.
  w.clicktrail!.tracker = tracker;
  // Calls made after the script loaded but before init.
  for (const [m, a] of early.splice(0)) call(m, a);
  return tracker;
}

function call(method: string, args: ArrayLike<unknown>): unknown {
  if (method === 'init') return init(args[0] as InitOptions);
  if (!tracker) {
    if (early.length < 1000) early.push([method, args]);
    return method === 'flush' || method === 'erase' ? Promise.resolve() : undefined;
  }
  return (tracker[method as (typeof METHODS)[number]] as (...a: unknown[]) => unknown)(...Array.from(args));
}

const api: Record<string, unknown> = {
  createTracker,
  httpSink,
  init: (o: InitOptions) => {
    try {
      return init(o);
    } catch (e) {
      console.warn('[clicktrail] init failed', e);
    }
  },
};
for (const m of METHODS) api[m] = (...a: unknown[]) => call(m, a);

// Loaded twice (two snippets, a snippet and a tag): the first copy stays in charge. Taking its
// place would strand every later call in this copy, which has no tracker.
if (!stub.createTracker) {
  // Keep whatever else the page hung on the stub (plugins loaded from other script files).
  w.clicktrail = Object.assign(stub, api, { q: undefined });
  // init first, wherever the page put it, then the rest in the order they were made.
  const calls = early.splice(0);
  const first = calls.findIndex((c) => c[0] === 'init');
  if (first >= 0) call('init', calls.splice(first, 1)[0][1]);
  for (const [m, a] of calls) call(m, a);
}
