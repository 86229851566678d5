import { createDelivery, type Delivery } from '../delivery/deliver';
import { createQueue, type Queue } from '../queue';
import { commerceProblems, SEGMENT_NAMES } from '../commerce/names';
import { createReporter, log } from './errors';
import { createIdentity } from './identity';
import { uuidv7 } from './ids';
import { eventContext, pageInfo } from './page';
import { createRedactor } from './redact';
import { sanitize } from './sanitize';
import type {
  Consent,
  DeliveryReport,
  EventType,
  PageInfo,
  QueuedEvent,
  Sink,
  Tracker,
  TrackerOptions,
  TrackerStats,
} from './types';

const KNOWN = [
  'appId', 'sink', 'plugins', 'batch', 'queue', 'consent', 'onError', 'debug',
  'sessionTimeoutMs', 'redactParams', 'maxEventBytes', 'retry', 'eventNames',
];
const CONSENTS = ['granted', 'pending', 'denied'];
// The page-hide path sends at most this much (the browser's keepalive budget is 64 KiB).
const UNLOAD_BYTES = 60_000;
// This tab's unacknowledged events, kept for the page-hide path; older ones wait in the queue.
const RECENT_MAX = 500;

const nullSink: Sink = { name: 'none', send: async () => ({ accepted: [] }) };

const num = (v: unknown, d: number) => (typeof v === 'number' && v > 0 && Number.isFinite(v) ? v : d);

/**
 * Creates a tracker. Events are accepted synchronously into memory, written to IndexedDB in one
 * transaction per task, and delivered in batches by whichever tab holds the flush lock.
 * Nothing here throws into the page: problems go to `onError`.
 * @public
 */
export function createTracker(options: TrackerOptions): Tracker {
  const opts = (options && typeof options === 'object' ? options : {}) as TrackerOptions;
  const report = createReporter(typeof opts.onError === 'function' ? opts.onError : undefined, !!opts.debug);
  const debug = (...a: unknown[]): void => void (opts.debug && log("log", ...a));
  for (const k of Object.keys(opts)) if (!KNOWN.includes(k)) report('invalid_option', `unknown option "${k}"`);

  const appId = typeof opts.appId === 'string' && opts.appId ? opts.appId : 'default';
  let sink = opts.sink;
  if (!sink || typeof sink.send !== 'function') {
    report('invalid_option', 'no sink given: events are queued but not sent');
    sink = nullSink;
  }
  const batchMax = num(opts.batch?.maxEvents, 50);
  const maxEventBytes = Math.min(num(opts.maxEventBytes, 32_768), sink.limits?.maxEventBytes ?? Infinity);
  const browser = typeof window !== 'undefined' && typeof document !== 'undefined';

  const stats: TrackerStats = {
    tracked: 0,
    sent: 0,
    rejected: 0,
    dropped: { overflow: 0, expired: 0, invalid: 0, consent: 0, poison: 0 },
    storage: 'pending',
  };

  const names: Record<string, string> =
    opts.eventNames === 'segment' ? SEGMENT_NAMES : opts.eventNames && typeof opts.eventNames === 'object' ? opts.eventNames : {};
  const redact = createRedactor(Array.isArray(opts.redactParams) ? opts.redactParams : []);
  const identity = createIdentity(appId, num(opts.sessionTimeoutMs, 30 * 60_000));
  const contextJson = JSON.stringify(eventContext());
  let lastPage: PageInfo | undefined;
  let pageJson = '';

  let consent: Consent = 'granted';
  if (opts.consent !== undefined) {
    if (CONSENTS.includes(opts.consent)) consent = opts.consent;
    else report('invalid_option', `consent must be 'granted', 'pending' or 'denied', not ${String(opts.consent)}`);
  }

  const lockName = `clicktrail:${appId}`;
  let queue: Queue | undefined;
  let delivery: Delivery | undefined;
  let held: QueuedEvent[] = []; // consent pending: memory only
  let buffer: QueuedEvent[] = []; // accepted this task, written at the end of it
  let writing: Promise<void> = Promise.resolve();
  let unsent = 0;
  const recent = new Map<string, QueuedEvent>();
  let channel: BroadcastChannel | undefined;
  const teardown: (() => void)[] = [];
  let closed = false;

  const settled = (ids: string[], accepted: number, rejected: number) => {
    for (const id of ids) recent.delete(id);
    stats.sent += accepted;
    stats.rejected += rejected;
    stats.dropped.poison += rejected;
    unsent = Math.max(0, unsent - ids.length);
    try {
      channel?.postMessage({ settled: ids });
    } catch {
      /* channel closed */
    }
  };

  function start() {
    if (queue) return;
    const qo = opts.queue || {};
    queue = createQueue(
      lockName,
      { maxEvents: num(qo.maxEvents, 10_000), maxBytes: num(qo.maxBytes, 5_000_000), maxAgeMs: num(qo.maxAgeMs, 7 * 86_400_000) },
      qo.persist !== false && browser,
      report,
      (kind, n) => (stats.dropped[kind] += n),
    );
    delivery = createDelivery({
      queue,
      sink: sink!,
      lockName,
      maxEvents: batchMax,
      maxBytes: num(opts.batch?.maxBytes, 60_000),
      baseMs: num(opts.retry?.baseMs, 1000),
      maxMs: num(opts.retry?.maxMs, 60_000),
      report,
      settled,
    });
    queue.ready.then(() => {
      stats.storage = queue!.kind();
      debug('storage:', stats.storage);
      kick();
    });
  }

  const kick = () => {
    if (consent === 'granted' && !closed) delivery?.kick();
  };

  function write() {
    const events = buffer;
    buffer = [];
    if (!events.length || !queue) return;
    identity.save();
    writing = writing
      .then(() => queue!.add(events))
      .then(() => {
        unsent += events.length;
        if (unsent >= batchMax) kick();
      })
      .catch((e) => report('storage_failed', `could not queue ${events.length} events: ${e?.message || e}`, events.length));
  }

  function accept(e: QueuedEvent) {
    if (consent === 'pending') {
      held.push(e);
      if (held.length > 1000) held.shift(); // bounded while the banner waits
      return;
    }
    if (!buffer.length) queueMicrotask(write);
    buffer.push(e);
    recent.set(e.id, e);
    if (recent.size > RECENT_MAX) recent.delete(recent.keys().next().value as string);
  }

  function emit(type: EventType, name: unknown, properties: unknown, traits?: unknown): void {
    if (closed) return;
    if (typeof name !== 'string' || !name.trim()) {
      stats.dropped.invalid++;
      return report('invalid_event_name', `event name must be a non-empty string, got ${name === '' ? 'an empty string' : typeof name}`);
    }
    if (name.length > 255) {
      stats.dropped.invalid++;
      return report('invalid_event_name', `event name is ${name.length} characters; the limit is 255`);
    }
    if (consent === 'denied') {
      stats.dropped.consent++;
      return debug(`consent denied: "${name}" discarded`);
    }
    let props = '{}';
    if (properties !== undefined && properties !== null) {
      if (typeof properties !== 'object' || Array.isArray(properties)) {
        report('invalid_properties', `properties of "${name}" must be a plain object, got ${Array.isArray(properties) ? 'an array' : typeof properties}; sent as {}`);
      } else {
        const s = sanitize(properties);
        if (s.json === undefined) {
          stats.dropped.invalid++;
          return report('invalid_properties', `properties of "${name}" cannot be serialised (${s.notes.join('; ')}); event dropped`);
        }
        if (s.notes.length) report('invalid_property', `"${name}": ${s.notes.join('; ')}`);
        if (opts.debug) for (const p of commerceProblems(name, properties as Record<string, unknown>)) debug(p);
        props = s.json;
      }
    }
    let traitsJson = '';
    if (traits && typeof traits === 'object' && !Array.isArray(traits)) {
      const s = sanitize(traits);
      if (s.json) traitsJson = `,"traits":${s.json}`;
    }
    const now = Date.now();
    const { sessionId, seq } = identity.next(now);
    const ids = identity.get();
    const page = pageInfo(redact);
    if (page !== lastPage) {
      lastPage = page;
      pageJson = JSON.stringify(page);
    }
    const id = uuidv7(now);
    if (Object.prototype.hasOwnProperty.call(names, name)) name = String(names[name]);
    // Built by hand from pre-serialised parts: one JSON.stringify per call, on the properties.
    const json =
      `{"eventId":"${id}","name":${JSON.stringify(name)},"type":"${type}","timestamp":"${new Date(now).toISOString()}",` +
      `"anonymousId":"${ids.anonymousId}","userId":${ids.userId === null ? 'null' : JSON.stringify(ids.userId)},` +
      `"sessionId":"${sessionId}","seq":${seq},"page":${pageJson},"context":${contextJson},"properties":${props}${traitsJson}}`;
    if (json.length > maxEventBytes / 3 && new Blob([json]).size > maxEventBytes) {
      stats.dropped.invalid++;
      return report('event_too_large', `"${name}" is ${new Blob([json]).size} bytes serialised; the limit is ${maxEventBytes}`);
    }
    stats.tracked++;
    accept({ id, json, time: now, aid: ids.anonymousId });
  }

  /** Sends this tab's unacknowledged events while the page can still send (hide, unload). */
  function onHide() {
    if (consent !== 'granted' || !delivery) return;
    write(); // start the IndexedDB write now; it may still finish
    const out: QueuedEvent[] = [];
    let bytes = 0;
    for (const e of recent.values()) {
      if (bytes + e.json.length > UNLOAD_BYTES) break;
      bytes += e.json.length + 1;
      out.push(e);
    }
    delivery.unload(out);
  }

  function setConsent(c: Consent) {
    if (!CONSENTS.includes(c)) return report('invalid_option', `consent must be 'granted', 'pending' or 'denied', not ${String(c)}`);
    const was = consent;
    consent = c;
    if (c === 'denied') {
      stats.dropped.consent += held.length;
      if (held.length) debug(`consent denied: ${held.length} held events discarded`);
      held = [];
    } else if (c === 'granted') {
      start();
      const h = held;
      held = [];
      for (const e of h) accept(e);
      if (was !== 'granted') kick();
    }
  }

  // Every public method: never throws into the page.
  const safe =
    <A extends unknown[], R>(name: string, fn: (...a: A) => R, fallback?: R) =>
    (...a: A): R => {
      try {
        return fn(...a);
      } catch (e) {
        report('internal', `${name} failed: ${(e as Error)?.message || e}`);
        return fallback as R;
      }
    };

  const emptyReport = (): DeliveryReport => ({ sent: 0, failed: 0, dropped: 0, queued: held.length });

  const tracker: Tracker = {
    appId,
    track: safe('track', (name: string, properties?: object) => emit('track', name, properties)),
    page: safe('page', (properties?: Record<string, unknown>) => emit('page', 'page_view', properties)),
    identify: safe('identify', (userId: string | null, traits?: Record<string, unknown>) => {
      if (userId !== null && (typeof userId !== 'string' || !userId)) {
        return report('invalid_properties', `identify needs a non-empty string user id or null, got ${typeof userId}`);
      }
      identity.setUser(userId);
      emit('identify', 'identify', undefined, traits);
    }),
    reset: safe('reset', () => {
      identity.reset();
      if (consent === 'granted') identity.save();
    }),
    setConsent: safe('setConsent', setConsent),
    flush: async () => {
      try {
        if (consent !== 'granted' || !queue || !delivery) return emptyReport();
        write();
        await writing;
        const r = await delivery.flush();
        return { ...r, queued: await queue.count() };
      } catch (e) {
        report('internal', `flush failed: ${(e as Error)?.message || e}`);
        return emptyReport();
      }
    },
    shutdown: async () => {
      if (closed) return;
      try {
        await tracker.flush();
      } finally {
        closed = true;
        for (const t of teardown.splice(0)) {
          try {
            t();
          } catch {
            /* a plugin's teardown failed; carry on */
          }
        }
      }
    },
    ids: safe('ids', () => identity.get(), { anonymousId: '', userId: null, sessionId: '' }),
    stats: () => ({ ...stats, dropped: { ...stats.dropped }, storage: queue ? queue.kind() : 'pending' }),
    report: (code, message) => report(code, message),
  };

  try {
    if (consent === 'granted') start();
    if (browser) {
      const on = (target: EventTarget, type: string, fn: (e: Event) => void) => {
        target.addEventListener(type, fn);
        teardown.push(() => target.removeEventListener(type, fn));
      };
      on(document, 'visibilitychange', () => {
        if (document.visibilityState === 'hidden') onHide();
        else {
          identity.sync();
          kick();
        }
      });
      on(window, 'pagehide', onHide);
      on(window, 'pageshow', (e) => (e as PageTransitionEvent).persisted && kick());
      on(window, 'online', kick);
      on(window, 'storage', (e) => {
        if ((e as StorageEvent).key?.startsWith(identity.key)) identity.sync();
      });
      const timer = setInterval(kick, num(opts.batch?.flushIntervalMs, 5000));
      teardown.push(() => clearInterval(timer));
      if (typeof BroadcastChannel === 'function') {
        channel = new BroadcastChannel(lockName);
        // Another tab delivered these: this tab must not send them again at page hide.
        channel.onmessage = (m) => {
          for (const id of (m.data && m.data.settled) || []) recent.delete(id);
        };
        teardown.push(() => channel?.close());
      }
    }
    for (const p of Array.isArray(opts.plugins) ? opts.plugins : []) {
      try {
        const t = p.setup(tracker);
        if (typeof t === 'function') teardown.unshift(t);
      } catch (e) {
        report('plugin_failed', `plugin ${p?.name || '?'} failed to start: ${(e as Error)?.message || e}`);
      }
    }
  } catch (e) {
    report('internal', `setup failed: ${(e as Error)?.message || e}`);
  }
  return tracker;
}
