import type { Reporter } from '../core/errors';
import type { DeliveryReport, QueuedEvent, Sink } from '../core/types';
import type { Queue } from '../queue';
import { backoffMs } from './backoff';
import { withLock } from './lock';

export interface DeliveryOptions {
  queue: Queue;
  sink: Sink;
  lockName: string;
  maxEvents: number;
  maxBytes: number;
  baseMs: number;
  maxMs: number;
  report: Reporter;
  /** Events the sink acknowledged or rejected: gone from the queue. */
  settled(ids: string[], accepted: number, rejected: number): void;
}

export interface Delivery {
  /** Drain soon, unless backing off, offline or another tab is draining. */
  kick(): void;
  /** Drain now, past any backoff, waiting for another tab's drain to end first. */
  flush(): Promise<Omit<DeliveryReport, 'queued'>>;
  /** Hand events to the sink at page hide or unload; the requests start synchronously. */
  unload(events: QueuedEvent[]): void;
}

const online = () => typeof navigator === 'undefined' || navigator.onLine !== false;

/**
 * Moves events from the queue to the sink: in batches under `maxEvents` and `maxBytes`, in the
 * queue's order, inside an origin-wide lock so one tab drains at a time. A failure pauses every
 * tab for the same backoff (the retry time is shared through localStorage).
 */
export function createDelivery(o: DeliveryOptions): Delivery {
  const { queue, sink, report } = o;
  const maxEvents = Math.max(1, Math.min(o.maxEvents, sink.limits?.maxEvents ?? Infinity));
  const maxBytes = Math.max(1, Math.min(o.maxBytes, sink.limits?.maxBytes ?? Infinity));
  const retryKey = o.lockName + ':retryAt';
  let failures = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let pending = false;
  let reportedStreak = false;
  const tries = new Map<string, number>();
  // Ids on the wire, from a drain or the unload path, and until when: a drain skips them so a
  // page hide does not send the same events twice. Beacons never answer; theirs expire.
  const inFlight = new Map<string, number>();
  const busy = (id: string) => (inFlight.get(id) || 0) > Date.now();
  const hold = (ids: string[], ms: number) => {
    const until = Date.now() + ms;
    for (const id of ids) inFlight.set(id, until);
  };
  const release = (ids: string[]) => {
    for (const id of ids) inFlight.delete(id);
  };

  const retryAt = (): number => {
    try {
      return Number(localStorage.getItem(retryKey)) || 0;
    } catch {
      return localRetryAt;
    }
  };
  let localRetryAt = 0;
  const setRetryAt = (t: number) => {
    localRetryAt = t;
    try {
      if (t) localStorage.setItem(retryKey, String(t));
      else localStorage.removeItem(retryKey);
    } catch {
      /* kept in memory */
    }
  };

  const later = (ms: number) => {
    clearTimeout(timer);
    timer = setTimeout(kick, ms);
  };

  async function drain(force: boolean): Promise<Omit<DeliveryReport, 'queued'>> {
    const r = { sent: 0, failed: 0, dropped: 0 };
    if (!force) {
      const wait = retryAt() - Date.now();
      if (wait > 0) {
        later(wait);
        return r;
      }
    }
    let free = 1;
    for (;;) {
      if (!online()) break; // the 'online' event kicks us again
      const events = (await queue.read(maxEvents + inFlight.size)).filter((e) => !busy(e.id));
      if (!events.length) break;
      const batch: QueuedEvent[] = [];
      let bytes = 0;
      for (const e of events) {
        if (batch.length === maxEvents || (batch.length && bytes + e.json.length > maxBytes)) break;
        bytes += e.json.length + 1;
        e.tries = tries.get(e.id) || 0;
        batch.push(e);
      }
      let res;
      const ids = batch.map((e) => e.id);
      hold(ids, 3_600_000);
      try {
        res = await sink.send(batch, { unload: false });
      } catch (e) {
        res = { accepted: [], error: e as Error };
      } finally {
        release(ids);
      }
      const accepted = res.accepted || [];
      const rejected = res.rejected || [];
      const done = accepted.concat(rejected);
      if (done.length) {
        await queue.remove(done);
        for (const id of done) tries.delete(id);
        o.settled(done, accepted.length, rejected.length);
      }
      r.sent += accepted.length;
      r.dropped += rejected.length;
      if (rejected.length) {
        report('sink_rejected', `${sink.name} sink rejected ${rejected.length} events for good: ${res.error?.message || 'no reason given'}`, rejected.length);
      }
      const left = batch.length - done.length;
      if (left > 0) {
        r.failed += left;
        if (res.free && free-- > 0) continue; // refreshed credentials: retry at once, without counting
        failures++;
        for (const e of batch) if (!done.includes(e.id)) tries.set(e.id, (tries.get(e.id) || 0) + 1);
        const wait = backoffMs(failures, o.baseMs, o.maxMs, res.retryAfterMs);
        setRetryAt(Date.now() + wait);
        if (!reportedStreak) {
          // Said once per run of failures, not once per attempt.
          reportedStreak = true;
          report('sink_failed', `${sink.name} sink failed (${res.error?.message || 'unknown error'}); ${left} events kept, retrying with backoff`, left);
        }
        later(wait);
        break;
      }
      if (failures) setRetryAt(0);
      failures = 0;
      reportedStreak = false;
    }
    return r;
  }

  function kick() {
    if (pending) return;
    pending = true;
    withLock(o.lockName, false, () => drain(false))
      .catch((e) => report('internal', `delivery failed: ${e?.message || e}`))
      .finally(() => (pending = false));
  }

  return {
    kick,
    flush: async () =>
      (await withLock(o.lockName, true, () => drain(true))) || { sent: 0, failed: 0, dropped: 0 },
    unload(all) {
      const events = all.filter((e) => !busy(e.id));
      if (!events.length) return;
      const ids = events.map((e) => e.id);
      // Unanswered (a beacon, a frozen page): left to a later drain after a minute.
      hold(ids, 60_000);
      let res: Promise<{ accepted: string[]; rejected?: string[] }>;
      try {
        res = sink.send(events, { unload: true });
      } catch {
        return release(ids);
      }
      // If the page lives on (it was only hidden), acknowledge what got through.
      res
        .then(async (x) => {
          const ok = x.accepted || [];
          if (ok.length) {
            await queue.remove(ok);
            o.settled(ok, ok.length, 0);
          }
          release(ok);
        })
        .catch(() => undefined);
    },
  };
}
