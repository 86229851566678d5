import { createDelivery } from '../delivery/deliver';
import { createOutbox } from '../outbox/outbox';
import { pageLife } from '../outbox/lifecycle';
import { removeKeys } from '../outbox/spill';
import { envelope } from './envelope';
import { createEnricher } from './enrich';
import { createReporter, debugSink, guard, log } from './errors';
import { createIdentity } from './identity';
import { eventContext, pageReader } from './page';
import { createRedactor } from './redact';
import { checkOptions, consentOf, copyOptions, renameMap, setUpPlugins } from './options';
import { createMasker } from '../privacy/mask';
import { payload } from './payload';
import { stringify } from '../outbox/json';
import type { Consent, DeliveryReport, ErrorCode, EventType, PrivacyOptions, Sink, Tracker, TrackerOptions, TrackerStats } from './types';

// At least 1: a count, a size or a delay below 1 (4.4e-10 events per batch, found by the fuzz tests) means nothing.
const num = (v: unknown, d: number) => (typeof v == 'number' && v >= 1 ? v : d);

/**
 * Creates a tracker. `track()` validates the event, builds its envelope and hands it to the
 * outbox, which writes the task's events to IndexedDB at the end of the task; whichever tab
 * holds the drain lock delivers them in batches. Nothing here throws into the page: problems go
 * to `onError`.
 * @public
 */
export function createTracker(options: TrackerOptions): Tracker {
  const opts = copyOptions(options);
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
  const batchBytes = Math.min(num(batch.maxBytes, 6e4), sink.limits?.maxBytes || 1e9);
  const maxEventBytes = Math.min(num(opts.maxEventBytes, 32_768), sink.limits?.maxEventBytes || 1e9);
  const names = renameMap(opts.eventNames, report);
  // Commerce payload checks for the debug log: a chunk of their own, loaded only with debug.
  let checks: ((name: string, p: Record<string, unknown>) => string[]) | undefined;
  if (opts.debug) import('../commerce/names').then((m) => (checks = m.commerceProblems), () => 0);

  const stats: Omit<TrackerStats, 'storage'> = { tracked: 0, sent: 0, rejected: 0, overflow: 0, expired: 0, invalid: 0, consent: 0, filtered: 0 };
  const extra = opts.redactParams;
  if (extra != null && !Array.isArray(extra)) report('invalid_option', 'redactParams is not a list');
  const privacy: PrivacyOptions = Object(opts.privacy);
  const mask = createMasker(privacy.mask);
  const redact = createRedactor(Array.isArray(extra) ? extra : [], mask);
  const identity = createIdentity(appId, num(opts.sessionTimeoutMs, 18e5), num(opts.anonymousIdLifetimeMs, 34128e6));
  const make = envelope(pageReader(redact, privacy.title === false ? () => '' : mask), stringify(eventContext(Object(privacy.context))));
  const utf8 = new TextEncoder();

  let consent: Consent = 'granted';
  const lockName = 'clicktrail:' + appId;
  const q = opts.queue || {};
  const outbox = createOutbox({
    name: lockName,
    caps: { maxEvents: num(q.maxEvents, 1e4), maxBytes: num(q.maxBytes, 1e7), maxAgeMs: num(q.maxAgeMs, 6048e5), persist: q.persist !== false && browser },
    report,
    count: (k, n) => (stats[k] += n),
    announce: (ids) => channel?.postMessage(ids),
    batch: { maxEvents: batchMax, maxBytes: batchBytes },
  });
  const delivery = createDelivery(
    outbox,
    sink,
    {
      lockName,
      maxEvents: batchMax,
      maxBytes: batchBytes,
      baseMs: num(opts.retry?.baseMs, 1e3),
      maxMs: num(opts.retry?.maxMs, 6e4),
      allowed: () => consent == 'granted' && !closed,
      leaving: () => !!life?.leaving(),
    },
    report,
  );
  let life: ReturnType<typeof pageLife> | undefined;
  let channel: BroadcastChannel | undefined;
  const teardown: (() => void)[] = [];
  let closed = 0; // 1 once shut down, then counts the calls made after
  let task = 0; // events accepted in this task; their write is issued at its end
  let unsent = 0;

  const invalid = (code: 'invalid_event_name' | 'invalid_properties' | 'event_too_large', detail: string) => {
    stats.invalid++;
    report(code, detail + ', event dropped');
  };

  const kick = () => delivery.kick();

  // The end of a task that tracked: ids saved (with consent), and a drain once a batch is ready.
  function endOfTask() {
    if (consent == 'granted') identity.save();
    outbox.write();
    // The drain's read is ordered after the write by IndexedDB itself.
    if ((unsent += task) >= batchMax) (unsent = 0), kick();
    task = 0;
  }

  function emit(type: EventType, name: unknown, properties: unknown, traits?: unknown): void {
    if (closed) return void (stats.invalid++, closed++ == 1 && report('invalid_option', 'the tracker is shut down, events dropped'));
    // Renamed first: a name the map gives must be a valid name too.
    if (names && typeof name == 'string' && Object.prototype.hasOwnProperty.call(names, name)) name = names[name];
    if (typeof name != 'string' || !name.trim() || name.length > 255) {
      return invalid('invalid_event_name', typeof name == 'string' ? JSON.stringify(name.slice(0, 40)) : typeof name);
    }
    if (consent == 'denied') return void (stats.consent++, debug('consent denied, dropped ' + name));
    if (enrich.on) {
      const r = enrich.run(type, name, properties);
      if (!r) return void stats.filtered++;
      [name, properties] = r;
    }
    const props = payload(name as string, properties, traits, report, checks && ((p) => checks!(name as string, p).forEach(debug)));
    if (typeof props != 'string') return invalid('invalid_properties', props.message);
    const now = Date.now();
    const e = make(type, name as string, props, identity.next(now), now);
    const size = e.json.length * 3 > maxEventBytes ? utf8.encode(e.json).length : 0;
    if (size > maxEventBytes) return invalid('event_too_large', `${name}: ${size} > ${maxEventBytes} bytes`);
    stats.tracked++;
    if (opts.debug) debug(`accepted ${type} ${name} ${props}`);
    if (!task++) queueMicrotask(() => endOfTask());
    outbox.accept(e);
    // Tracked by a pagehide listener that ran after ours: the page may not live to the end of
    // the task, so it goes now too.
    if (life?.gone()) hide(true);
  }

  /** Page hide: send this tab's unacknowledged events while the page still can. */
  function hide(unloading: boolean) {
    if (consent != 'granted' || closed) return;
    // Replaced by another page of this origin, or offline: that page, or a later one, sends.
    if (life?.nextPage() || !navigator.onLine) return void outbox.hide(unloading);
    delivery.unload(unloading);
  }

  function setConsent(value: unknown) {
    const c = (consent = consentOf(value, opts, report));
    if (c == 'granted') outbox.open(), endOfTask(), kick();
    else if (c == 'pending') outbox.hold();
    // Withdrawn: nothing more is sent, and nothing is kept.
    else forget();
  }

  /** Everything this tracker stored or holds goes: the outbox, the retry state, the ids. */
  function forget() {
    delivery.reset();
    identity.reset();
    return outbox.clear(true);
  }

  // Every public method is wrapped: an internal failure is reported, never thrown into the page.
  const safe = guard(report);

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
      if (userId !== null && (!userId || typeof userId != 'string')) return report('invalid_properties', 'user id ' + typeof userId);
      identity.setUser(userId);
      emit('identify', 'identify', undefined, traits || {});
    }),
    // Saved at once, so that the other tabs sign out too rather than bring the old ids back.
    reset: safe(() => (identity.reset(), consent == 'granted' && identity.save())),
    setConsent: safe(setConsent),
    register: safe(enrich.register),
    unregister: safe(enrich.unregister),
    async erase() {
      // The HTTP sink's per-collector memory (gzip refused) is the SDK's too.
      removeKeys('clicktrail:plain:');
      try {
        await forget();
      } catch (e) {
        report('internal', e as string);
      }
    },
    async flush(): Promise<DeliveryReport> {
      let r = [0, 0, 0];
      // Expired and overflowing events dropped meanwhile count as dropped too.
      const lost = stats.expired + stats.overflow;
      try {
        if (consent == 'granted') {
          endOfTask();
          r = await delivery.flush();
        }
      } catch (e) {
        report('internal', e as string);
      }
      return { sent: r[0], failed: r[1], dropped: r[2] + stats.expired + stats.overflow - lost, queued: await outbox.count().catch(() => outbox.held()) };
    },
    async shutdown() {
      if (closed) return;
      await tracker.flush();
      closed = 1;
      delivery.stop();
      teardown.splice(0).forEach((t) => safe(t)());
    },
    ids: () => ((st) => ({ anonymousId: st.a, userId: st.u, sessionId: st.s }))(identity.get()),
    stats: () => ({ ...stats, storage: outbox.kind() }),
    report: safe((code: ErrorCode, message: string) => report(code, message)),
    redact: safe((url: string) => redact(String(url || ''))),
    mask: safe((text: string) => mask(String(text ?? ''))),
    privacy,
  };

  safe(() => {
    // Left out: granted; set to anything but 'granted' (undefined included): not granted.
    setConsent('consent' in opts ? opts.consent : 'granted');
    outbox.ready().then(() => (debug('storage: ' + outbox.kind()), kick()));
    // Plugins first: their page-hide listeners (page_leave, a waiting page_view) then run before
    // the tracker's, whose send carries what they tracked.
    teardown.unshift(...setUpPlugins(opts.plugins, tracker, report));
    if (browser) {
      const on = (target: EventTarget, type: string, fn: (e: any) => unknown) => {
        target.addEventListener(type, fn);
        teardown.push(() => target.removeEventListener(type, fn));
      };
      life = pageLife(on, { hide, show: () => (identity.sync(), kick()) });
      // After the page-hide listener above: its writes are issued first.
      on(window, 'pagehide', () => outbox.leave());
      on(window, 'online', kick);
      on(window, 'storage', (e: StorageEvent) => e.key == identity.key && identity.sync());
      const timer = setInterval(kick, num(batch.flushIntervalMs, 5e3));
      teardown.push(() => clearInterval(timer));
      if (typeof BroadcastChannel == 'function') {
        // Another tab delivered these: this one must not send them again at page hide.
        channel = new BroadcastChannel(lockName);
        channel.onmessage = (m) => outbox.heard(m.data);
        teardown.push(() => channel!.close());
      }
    }
  })();
  return tracker;
}
