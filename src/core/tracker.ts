import { commerceProblems, SEGMENT_NAMES } from '../commerce/names';
import { createDelivery, type Delivery } from '../delivery/deliver';
import { createQueue, type Queue } from '../queue';
import { spill, unspill } from '../queue/spill';
import { createEnricher } from './enrich';
import { createReporter, debugSink, log } from './errors';
import { createIdentity, identityVersion } from './identity';
import { uuidv7 } from './ids';
import { eventContext, pageReader } from './page';
import { createRedactor } from './redact';
import { checkOptions, consentOf, pluginProblem } from './options';
import { sanitize } from './sanitize';
import type { Consent, DeliveryReport, ErrorCode, EventType, QueuedEvent, Sink, Tracker, TrackerOptions, TrackerStats } from './types';

// This tab's unacknowledged events, kept for the page-hide path; older ones wait in the queue.
const RECENT_MAX = 500;

/**
 * An accepted event before its id and JSON exist: type, name, properties JSON, time since the
 * tracker started (a small integer, so no heap number per event), identity part, seq, page part,
 * anonymous id. Drafts of the task lie flat in one array, eight slots each: no array per event
 * for the garbage collector to copy.
 */
type Draft = [EventType, string, string, number, string, number, string, string];
const SLOTS = 8;

const num = (v: unknown, d: number) => (typeof v == 'number' && v > 0 ? v : d);

// toISOString costs about 2 µs in Chromium, most of track()'s budget: format each second once.
let isoSecond = 0;
let isoPrefix = '';
const iso = (ms: number) => {
  if (ms - (ms % 1000) != isoSecond) isoPrefix = new Date((isoSecond = ms - (ms % 1000))).toISOString().slice(0, 20);
  return isoPrefix + String(1000 + (ms % 1000)).slice(1) + 'Z';
};

/**
 * Creates a tracker. `track()` captures the event and returns; at the end of the task the
 * task's events get their ids and JSON and are written to IndexedDB in one transaction, and
 * whichever tab holds the flush lock delivers them in batches. Nothing here throws into the
 * page: problems go to `onError`.
 * @public
 */
export function createTracker(options: TrackerOptions): Tracker {
  // A plain copy: an options object with throwing getters must not throw here either.
  const opts = {} as TrackerOptions;
  try {
    for (const k in options) (opts as any)[k] = (options as any)[k];
  } catch {
    // keep what was read
  }
  const report = createReporter(opts.onError, opts.debug);
  const debug = (m: string) => void (opts.debug && log('log', m));
  const batch = opts.batch || {};
  const browser = typeof document == 'object';
  checkOptions(opts, report);

  // typeof first: String() throws on an object without a prototype (found by test/fuzz).
  const appId = opts.appId && typeof opts.appId != 'object' ? String(opts.appId) : 'default';
  let sink = opts.sink;
  if (!sink || typeof sink.send != 'function') {
    report('invalid_option', 'no sink, events are queued only');
    sink = { name: 'none', send: async () => ({ accepted: [] }) } as Sink;
  }
  if (opts.debug) sink = debugSink(sink);
  const enrich = createEnricher(opts, report);
  const batchMax = Math.min(num(batch.maxEvents, 50), sink.limits?.maxEvents || 1e9);
  const maxEventBytes = Math.min(num(opts.maxEventBytes, 32_768), sink.limits?.maxEventBytes || 1e9);
  const names: Record<string, string> =
    typeof opts.eventNames == 'object' ? opts.eventNames || {} : opts.eventNames === 'segment' ? SEGMENT_NAMES : {};
  let renames = false;
  for (const _ in names) renames = true;

  const stats: Omit<TrackerStats, 'storage'> = { tracked: 0, sent: 0, rejected: 0, overflow: 0, expired: 0, invalid: 0, consent: 0, filtered: 0 };
  const extra = opts.redactParams;
  if (extra != null && !Array.isArray(extra)) report('invalid_option', 'redactParams is not a list');
  const redact = createRedactor(Array.isArray(extra) ? extra : []);
  const identity = createIdentity(appId, num(opts.sessionTimeoutMs, 18e5));
  const pageInfo = pageReader(redact);
  const contextJson = JSON.stringify(eventContext());
  const born = Date.now();
  let lastPage: unknown;
  let tail = '';
  let lastIds = -1;
  let who = '';

  let consent: Consent = 'granted';
  const lockName = 'clicktrail:' + appId;
  let queue: Queue | undefined;
  let delivery: Delivery | undefined;
  let held: Draft[] = []; // consent pending: memory only
  let buffer: Draft[number][] = []; // accepted in this task, written at its end
  let done = 0; // slots of buffer already materialised (a burst goes in several tasks)
  let writing: Promise<unknown> = Promise.resolve();
  let unsent = 0;
  // Events whose IndexedDB write has not completed yet, and whether they were spilled.
  let unwritten: QueuedEvent[] = [];
  const delivered = new WeakSet<QueuedEvent>();
  let spilled = false;
  const tab = uuidv7();
  // When a same-origin page load replaces this one, that page sends what is queued: sending it
  // at page hide too would deliver most events twice, as no answer can arrive in between.
  let leaving = 0;
  let recent: QueuedEvent[] = [];
  let channel: BroadcastChannel | undefined;
  const teardown: (() => void)[] = [];
  let closed = 0; // 1 once shut down, then counts the calls made after
  let gone = false; // pagehide seen, no pageshow since

  const invalid = (code: 'invalid_event_name' | 'invalid_properties' | 'event_too_large', detail: string) => {
    stats.invalid++;
    report(code, detail + ', event dropped');
  };

  function settled(ids: string[], accepted: number, rejected: number) {
    forget(ids);
    stats.sent += accepted;
    stats.rejected += rejected;
    unsent = Math.max(0, unsent - ids.length);
    channel?.postMessage(ids);
  }

  function forget(ids: string[]) {
    const gone = new Set(ids);
    recent = recent.filter((e) => !gone.has(e.id));
    // Delivered before their IndexedDB write began (a page-hide request answered during a write
    // backlog, or another tab's delivery of a spill): writing them now would send them again.
    for (const e of unwritten) if (gone.has(e.id)) delivered.add(e);
    respill();
  }

  // The spill of a tab that is only hidden may be taken by a tab opening meanwhile: it holds only
  // what is still neither written nor delivered, and goes once everything is written.
  function respill() {
    if (spilled) spill(lockName, tab, unwritten.filter((e) => !delivered.has(e))), (spilled = !!unwritten[0]);
  }

  function start() {
    if (queue) return;
    const q = opts.queue || {};
    queue = createQueue(
      lockName,
      num(q.maxEvents, 1e4),
      num(q.maxBytes, 1e7),
      num(q.maxAgeMs, 6048e5),
      q.persist !== false && browser,
      report,
      (kind, n) => (stats[kind] += n),
    );
    delivery = createDelivery(
      queue,
      sink!,
      lockName,
      batchMax,
      Math.min(num(batch.maxBytes, 6e4), sink!.limits?.maxBytes || 1e9),
      num(opts.retry?.baseMs, 1e3),
      num(opts.retry?.maxMs, 6e4),
      report,
      settled,
    );
    // Events a closing tab could only spill to localStorage.
    write(unspill(lockName));
    queue.ready.then(() => {
      debug('storage: ' + queue!.kind());
      kick();
    });
  }

  const kick = () => consent == 'granted' && !closed && delivery?.kick();

  /**
   * End of the task: drafts become events (ids, JSON) and go to IndexedDB in one write. A burst
   * of more than 500 continues in the next task, and so on, so that no task runs long.
   */
  function materialize(all?: boolean) {
    const events: QueuedEvent[] = [];
    // Read in place: taking chunks off the front of a long array would move the rest each time.
    const b = buffer;
    const end = all ? b.length : Math.min(b.length, done + 500 * SLOTS);
    for (; done < end; done += SLOTS) {
      const name = b[done + 1] as string;
      // Assembled from parts serialised at track(), most of them shared between events.
      const now = born + (b[done + 3] as number);
      const id = uuidv7(now);
      const json = `{"eventId":"${id}","name":${JSON.stringify(name)},"type":"${b[done]}","timestamp":"${iso(now)}${b[done + 4]}${b[done + 5]}${b[done + 6]}${b[done + 2]}}`;
      const size = json.length * 3 > maxEventBytes ? new Blob([json]).size : 0;
      if (size > maxEventBytes) stats.tracked--, invalid('event_too_large', `${name}: ${size} > ${maxEventBytes} bytes`);
      else {
        const e = { id, json, time: now, aid: b[done + 7] as string };
        events.push(e);
        // Older events than these are surely in IndexedDB by now.
        if (recent.push(e) > RECENT_MAX * 2) recent = recent.slice(RECENT_MAX);
      }
    }
    if (done < b.length) setTimeout(materialize);
    else (buffer = []), (done = 0);
    write(events);
  }

  function write(events: QueuedEvent[]) {
    if (!events.length) return;
    identity.save();
    unwritten = unwritten.concat(events);
    writing = writing
      .then(() => queue!.add(events.filter((e) => !delivered.has(e))))
      .then(() => {
        const gone = new Set(events);
        unwritten = unwritten.filter((e) => !gone.has(e));
        respill();
        if ((unsent += events.length) >= batchMax) kick();
      })
      .catch((e) => report('storage_failed', e, events.length));
  }

  function accept(...d: Draft): void;
  function accept(type: EventType, name: string, props: string, dt: number, who: string, seq: number, tail: string, aid: string) {
    if (consent == 'pending') {
      // Bounded while the consent banner waits: the oldest go, counted, reported once.
      if (held.push([type, name, props, dt, who, seq, tail, aid]) > 1000) {
        held.shift();
        stats.overflow++ || report('queue_overflow', 'over 1000 events wait for consent, oldest dropped', 1);
      }
      return;
    }
    if (!buffer.length) queueMicrotask(materialize);
    buffer.push(type, name, props, dt, who, seq, tail, aid);
    // Tracked by a pagehide listener that ran after ours: the page may not live to the end of
    // the task, so it goes now too.
    if (gone) onHide();
  }

  function emit(type: EventType, name: unknown, properties: unknown, traits?: unknown): void {
    if (closed) return void (stats.invalid++, closed++ == 1 && report('invalid_option', 'the tracker is shut down, events dropped'));
    // Renamed first: a name the map gives must be a valid name too.
    if (renames && typeof name == 'string' && Object.prototype.hasOwnProperty.call(names, name)) name = names[name];
    if (typeof name != 'string' || !name.trim() || name.length > 255) {
      return invalid('invalid_event_name', typeof name == 'string' ? JSON.stringify(name.slice(0, 40)) : typeof name);
    }
    if (consent == 'denied') {
      stats.consent++;
      return debug('consent denied, dropped ' + name);
    }
    if (enrich.on) {
      const r = enrich.run(type, name, properties);
      if (!r) return void stats.filtered++;
      [name, properties] = r;
    }
    let props = '{}';
    if (properties != null) {
      if (typeof properties != 'object' || Array.isArray(properties)) {
        report('invalid_properties', `${name}: ${typeof properties}, sent as {}`);
      } else {
        let json: string;
        try {
          json = sanitize(properties);
        } catch (e) {
          return invalid('invalid_properties', `${name}: ${e}`);
        }
        if (opts.debug) commerceProblems(name as string, properties as Record<string, unknown>).forEach(debug);
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
    const now = Date.now();
    const st = identity.next(now);
    const page = pageInfo();
    if (page != lastPage) tail = `,"page":${JSON.stringify((lastPage = page))},"context":${contextJson},"properties":`;
    if (identityVersion != lastIds) {
      lastIds = identityVersion;
      // Escaped: the ids come from localStorage, which any script of the origin can write.
      who = `","anonymousId":${JSON.stringify(st.a)},"userId":${JSON.stringify(st.u)},"sessionId":${JSON.stringify(st.s)},"seq":`;
    }
    // What must be captured now; ids and the JSON are made at the end of the task, so
    // track() itself stays a few microseconds.
    stats.tracked++;
    if (opts.debug) debug(`accepted ${type} ${name} ${props}`);
    accept(type, name as string, props, now - born, who, st.n, tail, st.a);
  }

  /** Page hide or unload: send this tab's unacknowledged events while the page still can. */
  function onHide() {
    if (consent != 'granted' || !delivery) return;
    materialize(true); // start the IndexedDB write now; it may still complete
    if (unwritten[0]) spill(lockName, tab, unwritten), (spilled = true);
    if (Date.now() - leaving < 3e4 || !navigator.onLine) return; // offline: it could only fail
    delivery.unload(recent, gone);
  }

  function setConsent(value: unknown) {
    const c = (consent = consentOf(value, opts, report));
    if (c == 'denied') {
      stats.consent += held.length;
      held = [];
    }
    if (c == 'granted') {
      start();
      held.splice(0).forEach((d) => accept(...d));
      kick();
    }
  }

  // Every public method is wrapped: an internal failure is reported, never thrown into the page.
  // Fixed arity rather than rest arguments: no array per call on the hot path.
  const safe =
    <F extends (a?: any, b?: any) => any>(fn: F) =>
    ((a?: unknown, b?: unknown) => {
      try {
        return fn(a, b);
      } catch (e) {
        report('internal', e as string);
      }
    }) as F;

  const tracker: Tracker = {
    appId,
    // Its own try rather than safe(): one call frame less on the hot path.
    track(name, properties) {
      try {
        emit('track', name, properties);
      } catch (e) {
        report('internal', e as string);
      }
    },
    page: safe((properties?: object) => emit('page', 'page_view', properties)),
    identify: safe((userId: string | number | null, traits?: object) => {
      if (typeof userId == 'number' && isFinite(userId)) userId = String(userId);
      if (userId !== null && (!userId || typeof userId != 'string')) {
        return report('invalid_properties', 'user id ' + typeof userId);
      }
      identity.setUser(userId);
      emit('identify', 'identify', undefined, traits || {});
    }),
    // Saved at once, so that the other tabs sign out too rather than bring the old ids back.
    reset: safe(() => (identity.reset(), consent == 'granted' && identity.save())),
    setConsent: safe(setConsent),
    register: safe(enrich.register),
    unregister: safe(enrich.unregister),
    async flush(): Promise<DeliveryReport> {
      let r = [0, 0, 0];
      // Expired and overflowing events dropped meanwhile count as dropped too.
      const lost = stats.expired + stats.overflow;
      try {
        if (consent == 'granted' && delivery) {
          materialize(true);
          await writing;
          r = await delivery.flush();
        }
      } catch (e) {
        report('internal', e as string);
      }
      return { sent: r[0], failed: r[1], dropped: r[2] + stats.expired + stats.overflow - lost, queued: held.length + ((await queue?.count().catch(() => 0)) || 0) };
    },
    async shutdown() {
      if (closed) return;
      await tracker.flush();
      closed = 1;
      delivery?.stop();
      teardown.splice(0).forEach((t) => safe(t)());
    },
    ids: () => {
      const st = identity.get();
      return { anonymousId: st.a, userId: st.u, sessionId: st.s };
    },
    stats: () => ({ ...stats, storage: queue ? queue.kind() : 'pending' }),
    report: safe((code: ErrorCode, message: string) => report(code, message)),
    redact: safe((url: string) => redact(String(url || ''))),
  };

  safe(() => {
    // Left out: granted; set to anything but 'granted' (undefined included): not granted.
    setConsent('consent' in opts ? opts.consent : 'granted');
    // Plugins first: their page-hide listeners (page_leave, a waiting page_view) then run before
    // the tracker's, whose send carries what they tracked.
    const plugins = opts.plugins || [];
    if (!Array.isArray(plugins)) report('invalid_option', 'plugins is not a list');
    for (const p of Array.isArray(plugins) ? plugins : []) {
      const why = pluginProblem(p);
      if (why) {
        report('invalid_option', why);
        continue;
      }
      try {
        const t = p.setup(tracker);
        if (typeof t == 'function') teardown.unshift(t);
      } catch (e) {
        report('plugin_failed', `${p?.name}: ${e}`);
      }
    }
    if (browser) {
      const on = (target: EventTarget, type: string, fn: (e: any) => unknown) => {
        target.addEventListener(type, fn);
        teardown.push(() => target.removeEventListener(type, fn));
      };
      on(document, 'visibilitychange', () => {
        if (document.visibilityState == 'hidden') onHide();
        else identity.sync(), kick();
      });
      on(window, 'pagehide', () => ((gone = true), onHide()));
      const nav = (globalThis as { navigation?: EventTarget }).navigation;
      if (nav) {
        // A download does not replace the page.
        on(nav, 'navigate', (e: { destination: { sameDocument: boolean; url: string }; downloadRequest: unknown }) => {
          if (!e.destination.sameDocument && e.downloadRequest == null && new URL(e.destination.url).origin == location.origin) leaving = Date.now();
        });
      }
      // Back from the bfcache: whatever navigation was under way did not replace this page.
      on(window, 'pageshow', (e: PageTransitionEvent) => ((gone = false), e.persisted && ((leaving = 0), kick())));
      on(window, 'online', kick);
      on(window, 'storage', (e: StorageEvent) => e.key == identity.key && identity.sync());
      const timer = setInterval(kick, num(batch.flushIntervalMs, 5e3));
      teardown.push(() => clearInterval(timer));
      if (typeof BroadcastChannel == 'function') {
        // Another tab delivered these: this one must not send them again at page hide.
        channel = new BroadcastChannel(lockName);
        channel.onmessage = (m) => forget(m.data);
        teardown.push(() => channel!.close());
      }
    }
  })();
  return tracker;
}
