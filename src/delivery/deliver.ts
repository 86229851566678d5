import type { Reporter } from '../core/errors';
import type { QueuedEvent, SendResult, Sink } from '../core/types';
import type { Queue } from '../queue';
import { backoffMs } from './backoff';
import { withLock } from './lock';

export interface Delivery {
  /** Drain soon, unless backing off, offline or another tab is draining. */
  kick(): void;
  /** Drain now, past any backoff, after another tab's drain ends: [sent, failed, dropped]. */
  flush(): Promise<number[]>;
  /**
   * Hands events to the sink at page hide, in batches within the limits and the browser's
   * keepalive budget; the requests start before this returns. `final`: the page is going
   * (pagehide), so this page's drain in flight will be cancelled and its events go too.
   */
  unload(events: QueuedEvent[], final?: boolean): void;
  /** No more drains or retries (shutdown). */
  stop(): void;
}


/**
 * Moves events from the queue to the sink in batches under `maxEvents` and `maxBytes`, in queue
 * order, inside an origin-wide lock so one tab drains at a time. A failure pauses every tab for
 * the same backoff: the retry time is shared through localStorage.
 */
export function createDelivery(
  queue: Queue,
  sink: Sink,
  lockName: string,
  maxEvents: number,
  maxBytes: number,
  baseMs: number,
  maxMs: number,
  report: Reporter,
  settled: (ids: string[], accepted: number, rejected: number) => void,
): Delivery {
  const retryKey = lockName + ':retry';
  let failures = 0;
  let timer: ReturnType<typeof setTimeout>;
  let draining = false;
  // One drain at a time within this page too: the cross-tab lock may be a no-op (no Web Locks
  // and no localStorage, as in Node), and flush() must not race a timer's drain.
  let running: Promise<unknown> = Promise.resolve();
  let retryAt = 0;
  let stopped = false;
  // Sent and dropped since the start (a flush reports the difference).
  let sent = 0;
  let dropped = 0;
  // Per event not delivered yet: its failed attempts, and the number of its latest failure
  // (failures are numbered in order: a flush counts the events that last failed after it began).
  const tries: Record<string, number> = {};
  const failedAt: Record<string, number> = {};
  let fails = 0;
  // Ids on the wire, and until when: a drain skips them, so that what the page-hide path sent is
  // not sent again while its answer is awaited. A beacon never answers; its hold lapses after a
  // minute.
  const wire: Record<string, number> = {};
  const hold = (ids: string[], ms: number) => ids.map((id) => (wire[id] = Date.now() + ms));
  // Of those, the ids in this page's drain right now. The pagehide path sends them all the same:
  // leaving the page cancels that drain's request, and they would wait for the next visit. A tab
  // that is only hidden keeps its request, and does not send them twice.
  let drainIds: string[] = [];

  // An event's serialised size in UTF-8 bytes, with the comma that joins it to the next. Not a
  // Blob: in Chromium each one is a round trip to the browser process, seconds over a big queue.
  const utf8 = new TextEncoder();
  const sizeOf = (e: QueuedEvent) => utf8.encode(e.json).length + 1;
  // Whether a batch of `n` events and `bytes` is past the limits. The first event goes even when
  // it alone is over maxBytes: alone.
  const full = (n: number, bytes: number) => n >= maxEvents || (n > 0 && bytes > maxBytes);

  const shared = (t?: number): number => {
    if (t != null) retryAt = t;
    try {
      if (t == null) return +localStorage[retryKey] || retryAt;
      localStorage[retryKey] = t;
    } catch {
      // no localStorage: this tab's own retry time still applies
    }
    return retryAt;
  };

  async function settle(res: SendResult, ids: string[]) {
    const ok = res.accepted || [];
    const bad = res.rejected || [];
    const done = ok.concat(bad);
    ids.map((id) => delete wire[id]);
    if (done.length) {
      // Told first: events still waiting for their IndexedDB write must not be written now.
      settled(done, ok.length, bad.length);
      done.map((id) => (delete tries[id], delete failedAt[id]));
      await queue.remove(done);
    }
    if (bad[0]) report('sink_rejected', `${bad.length} dropped: ${res.error?.message}`, bad.length);
    return ids.filter((id) => !done.includes(id));
  }

  async function drain(force?: boolean): Promise<void> {
    let free = 1;
    const wait = shared() - Date.now();
    if (stopped || (!force && wait > 0)) return void (stopped || later(wait));
    // Offline: the 'online' event kicks again.
    while (globalThis.navigator?.onLine !== false) {
      const batch: QueuedEvent[] = [];
      let bytes = 0;
      // Lapsed holds (unanswered beacons) go; read past the events still held.
      let held = 0;
      for (const id in wire) wire[id] > Date.now() ? held++ : delete wire[id];
      for (const e of await queue.read(maxEvents + held)) {
        if (wire[e.id] > Date.now()) continue;
        if (full(batch.length, (bytes += sizeOf(e)))) break;
        batch.push(e);
        e.tries = tries[e.id] || 0;
      }
      if (!batch[0]) break;
      const ids = batch.map((e) => e.id);
      hold((drainIds = ids), 36e5);
      let res: SendResult;
      let t: ReturnType<typeof setTimeout> | undefined;
      try {
        // A sink that never answers (a hung custom sink, a stalled chunk load) must not hold
        // the lock, and with it every tab's delivery, for ever: its batch fails and is retried.
        res = await Promise.race([
          sink.send(batch, { unload: false }),
          // Longer than the built-in sinks' own request timeouts (15 s by default).
          new Promise<never>((_, no) => (t = setTimeout(no, 6e4, Error('no answer within 60 s')))),
        ]);
      } catch (error) {
        res = { accepted: [], error: error as Error };
      }
      clearTimeout(t);
      drainIds = [];
      const left = await settle(res, ids);
      sent += res.accepted.length;
      dropped += res.rejected?.length || 0;
      if (!left[0]) {
        if (failures) shared(0);
        failures = 0;
        continue;
      }
      if (res.free && free--) continue; // refreshed credentials: once more at once, not counted
      left.map((id) => ((tries[id] = (tries[id] || 0) + 1), (failedAt[id] = ++fails)));
      // Reported once per run of failures, not per attempt.
      if (!failures++) report('sink_failed', `${left.length} kept for retry: ${res.error?.message}`, left.length);
      later(shared(Date.now() + backoffMs(failures, baseMs, maxMs, res.retryAfterMs)) - Date.now());
      break;
    }
  }

  // Timed drains (kick) skip a lock another tab holds and respect the backoff; flush() waits
  // for the lock and goes past the backoff.
  const run = (force?: boolean) => {
    const fn = () => withLock(lockName, force, () => drain(force));
    return (running = running.then(fn, fn));
  };

  function later(ms: number) {
    clearTimeout(timer);
    // Past 2^31 - 1 ms a timer fires at once, and a long backoff would spin.
    timer = setTimeout(kick, Math.min(ms, 2 ** 31 - 1));
  }

  function kick() {
    if (draining || stopped) return;
    draining = true;
    run()
      .catch((e) => report('internal', 'delivery: ' + e))
      .finally(() => (draining = false));
  }

  return {
    kick,
    // What happened while flush() ran, including a drain already under way that it waited for.
    async flush() {
      const s0 = sent;
      const d0 = dropped;
      const f0 = fails;
      await run(true);
      // Failed: distinct events, however many attempts they failed.
      return [sent - s0, Object.values(failedAt).filter((n) => n > f0).length, dropped - d0];
    },
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
    unload(all, final) {
      // Chromium lets a page keep 64 KiB of keepalive bodies in flight (beacons included).
      let budget = 6e4;
      let batch: QueuedEvent[] = [];
      let bytes = 0;
      const send = () => {
        const ids = batch.map((e) => e.id);
        hold(ids, 6e4);
        // If the page lives on (it was only hidden), acknowledge what got through and free the
        // rest for the next drain (a beacon's events stay held: their fate is unknown).
        if (ids[0]) sink.send(batch, { unload: true }).then((res) => settle({ accepted: res.accepted }, res.error?.message.includes('sent by beacon') ? res.accepted : ids), () => 0);
      };
      for (const e of all) {
        if (wire[e.id] > Date.now() && !(final && drainIds.includes(e.id))) continue;
        const size = sizeOf(e);
        if ((budget -= size) < 0) break;
        if (full(batch.length, (bytes += size))) send(), (batch = []), (bytes = size);
        batch.push(e);
      }
      send();
      if (final) drainIds = [];
    },
  };
}
