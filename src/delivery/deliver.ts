import type { Reporter } from '../core/errors';
import type { QueuedEvent, SendResult, Sink } from '../core/types';
import type { Outbox } from '../outbox/outbox';
import { backoffMs } from './backoff';
import { withLock } from './lock';

export interface Delivery {
  /** Drain soon, unless backing off, offline or another tab is draining. */
  kick(): void;
  /** Drain now, past any backoff, after another tab's drain ends: [sent, failed, dropped]. */
  flush(): Promise<number[]>;
  /**
   * Page hide: hands this tab's unacknowledged events to the sink in batches within the limits
   * and the browser's keepalive budget; the requests start before this returns. `unloading`:
   * the page is being unloaded (not hidden, not entering the back/forward cache).
   */
  unload(unloading: boolean): void;
  /** Forgets the retry state, here and in localStorage (consent withdrawn, erasure). */
  reset(): void;
  /** No more drains or retries (shutdown). */
  stop(): void;
}

export interface DeliveryOptions {
  lockName: string;
  maxEvents: number;
  maxBytes: number;
  baseMs: number;
  maxMs: number;
  /** Whether sending is allowed now (consent granted, not shut down). */
  allowed: () => boolean;
  /** Whether the page is being left: a request failing then was aborted, not refused. */
  leaving: () => boolean;
}

// Chromium and WebKit let a page keep 64 KiB of keepalive bodies in flight (beacons included);
// Firefox 140 takes more (about 120 KB of events all went at close in our runs).
const keepaliveBudget = () => (/Firefox\//.test(globalThis.navigator?.userAgent) ? 5e5 : 6e4);

const utf8 = new TextEncoder();
// An event's size in UTF-8 bytes with the comma that joins it to the next. ASCII, the common
// case, needs no encoding. Not a Blob: in Chromium each one is a round trip to the browser process.
export const sizeOf = (e: QueuedEvent): number => (/[^\0-\x7f]/.test(e.json) ? utf8.encode(e.json).length : e.json.length) + 1;

/**
 * Moves events from the outbox to the sink in batches under `maxEvents` and `maxBytes`, in
 * capture order, inside an origin-wide lock so one tab drains at a time (Web Locks; without
 * them tabs drain uncoordinated: duplicates possible, no loss). A failure pauses every tab for
 * the same backoff: the retry time is shared through localStorage.
 */
export function createDelivery(outbox: Outbox, sink: Sink, o: DeliveryOptions, report: Reporter): Delivery {
  const retryKey = o.lockName + ':retry';
  let failures = 0;
  let timer: ReturnType<typeof setTimeout>;
  let draining = false;
  // One drain at a time within this page too: without Web Locks (Node) the lock is a no-op.
  let running: Promise<unknown> = Promise.resolve();
  let retryAt = 0;
  let stopped = false;
  // Sent and dropped since the start: a flush reports the difference.
  let sent = 0;
  let dropped = 0;

  // Whether a batch of `n` events and `bytes` is past the limits. The first event goes even when
  // it alone is over maxBytes: alone.
  const full = (n: number, bytes: number) => n >= o.maxEvents || (n > 0 && bytes > o.maxBytes);

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

  async function drain(force?: boolean): Promise<void> {
    let free = 1;
    const wait = shared() - Date.now();
    if (stopped || (!force && wait > 0)) return void (stopped || later(wait));
    // Offline: the 'online' event kicks again.
    while (globalThis.navigator?.onLine !== false && o.allowed()) {
      let bytes = 0;
      const batch = await outbox.batch(o.maxEvents, (n, e) => full(n, (bytes += sizeOf(e))));
      if (!batch[0]) break;
      const ids = batch.map((e) => e.id);
      let res: SendResult;
      let t: ReturnType<typeof setTimeout> | undefined;
      try {
        // A sink that never answers must not hold the lock, and every tab's delivery, for ever.
        res = await Promise.race([
          sink.send(batch, { unload: false }),
          // Longer than the built-in sinks' own request timeouts (15 s by default).
          new Promise<never>((_, no) => (t = setTimeout(no, 6e4, Error('no answer within 60 s')))),
        ]);
      } catch (error) {
        res = { accepted: [], error: error as Error };
      }
      clearTimeout(t);
      const left = await outbox.settle(ids, res);
      sent += res.accepted.length;
      dropped += res.rejected?.length || 0;
      // Once per change the sink made to how it sends (gzip turned off for a collector).
      if (res.notice) report(res.notice.code || 'sink_failed', res.notice.message);
      if (res.rejected?.[0]) report('sink_rejected', `${res.rejected.length} dropped: ${res.error?.message}`, res.rejected.length);
      if (!left[0]) {
        if (failures) shared(0);
        failures = 0;
        continue;
      }
      if (res.free && free--) continue; // refreshed credentials: once more at once, not counted
      // Leaving the page aborts the request (WebKit fails it as the navigation starts, before
      // pagehide): no collector failure, no shared delay; the page hide or the next page sends.
      if (res.aborted || o.leaving() || !o.allowed()) break;
      outbox.fail(left);
      // Reported once per run of failures, not per attempt.
      // A collector URL refused at creation is a configuration problem, not a failing collector.
      if (!failures++) report((res.error as { code?: string })?.code == 'invalid_option' ? 'invalid_option' : 'sink_failed', `${left.length} kept for retry: ${res.error?.message}`, left.length);
      later(shared(Date.now() + backoffMs(failures, o.baseMs, o.maxMs, res.retryAfterMs)) - Date.now());
      break;
    }
  }

  // Timed drains (kick) skip a lock another tab holds and respect the backoff; flush() waits
  // for the lock and goes past the backoff.
  const run = (force?: boolean) => {
    const fn = () => withLock(o.lockName, force, () => drain(force));
    return (running = running.then(fn, fn));
  };

  function later(ms: number) {
    clearTimeout(timer);
    // Past 2^31 - 1 ms a timer fires at once, and a long backoff would spin.
    timer = setTimeout(kick, Math.min(ms, 2 ** 31 - 1));
  }

  function kick() {
    if (draining || stopped || !o.allowed()) return;
    draining = true;
    run()
      .catch((e) => report('internal', 'delivery: ' + e))
      .finally(() => (draining = false));
  }

  return {
    kick,
    async flush() {
      const s0 = sent;
      const d0 = dropped;
      const f0 = outbox.failures();
      await run(true);
      // Failed: distinct events, however many attempts they failed.
      return [sent - s0, outbox.failures(f0), dropped - d0];
    },
    reset() {
      clearTimeout(timer);
      failures = retryAt = 0;
      try {
        localStorage.removeItem(retryKey);
      } catch {
        // blocked storage
      }
    },
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
    unload(unloading) {
      if (!o.allowed()) return;
      let budget = keepaliveBudget();
      let batch: QueuedEvent[] = [];
      let bytes = 0;
      const send = () => {
        const ids = batch.map((e) => e.id);
        if (!ids[0]) return;
        outbox.send(batch, 'hide', 6e4);
        // If the page lives on (it was only hidden), acknowledge what got through and free the
        // rest for the next drain.
        sink.send(batch, { unload: true }).then(
          (res) => outbox.settle(ids, { accepted: res.accepted }),
          () => 0,
        );
      };
      for (const e of outbox.hide(unloading)) {
        const size = sizeOf(e);
        if ((budget -= size) < 0) break;
        if (full(batch.length, (bytes += size))) send(), (batch = []), (bytes = size);
        batch.push(e);
      }
      send();
    },
  };
}
