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
  /** Hands events to the sink at page hide; the requests start before this returns. */
  unload(events: QueuedEvent[]): void;
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
  let timer: ReturnType<typeof setTimeout> | undefined;
  let pending = false;
  let retryAt = 0;
  const tries = new Map<string, number>();
  // Ids on the wire and until when: a drain skips them, so a page hide during a drain does not
  // send the same events twice. A beacon never answers; its hold lapses after a minute.
  const inFlight = new Map<string, number>();
  const busy = (e: QueuedEvent) => (inFlight.get(e.id) || 0) > Date.now();
  const hold = (ids: string[], ms: number) => ids.forEach((id) => inFlight.set(id, Date.now() + ms));
  const release = (ids: string[]) => ids.forEach((id) => inFlight.delete(id));

  const shared = (t?: number): number => {
    try {
      if (t === undefined) return +localStorage.getItem(retryKey)! || retryAt;
      localStorage.setItem(retryKey, String(t));
    } catch {
      // no localStorage: this tab's own retry time still applies
    }
    return (retryAt = t || 0);
  };

  const settle = async (res: SendResult) => {
    const ok = res.accepted || [];
    const bad = res.rejected || [];
    const done = ok.concat(bad);
    if (done.length) {
      await queue.remove(done);
      done.forEach((id) => tries.delete(id));
      settled(done, ok.length, bad.length);
    }
    if (bad.length) report('sink_rejected', `${sink.name} rejected ${bad.length} events for good: ${res.error?.message}`, bad.length);
    return done;
  };

  async function drain(force: boolean): Promise<number[]> {
    let sent = 0;
    let failed = 0;
    let dropped = 0;
    let free = 1;
    const wait = shared() - Date.now();
    if (!force && wait > 0) later(wait);
    else {
      while (globalThis.navigator?.onLine !== false) {
        // Offline: the 'online' event kicks again.
        const batch: QueuedEvent[] = [];
        let bytes = 0;
        for (const e of await queue.read(maxEvents + inFlight.size)) {
          if (batch.length >= maxEvents || (batch.length && bytes + e.json.length > maxBytes)) break;
          if (busy(e)) continue;
          bytes += e.json.length + 1;
          e.tries = tries.get(e.id) || 0;
          batch.push(e);
        }
        if (!batch.length) break;
        const ids = batch.map((e) => e.id);
        hold(ids, 3_600_000);
        let res: SendResult;
        try {
          res = await sink.send(batch, { unload: false });
        } catch (e) {
          res = { accepted: [], error: e as Error };
        }
        release(ids);
        const done = await settle(res);
        sent += (res.accepted || []).length;
        dropped += (res.rejected || []).length;
        const left = ids.filter((id) => !done.includes(id));
        if (!left.length) {
          if (failures) shared(0);
          failures = 0;
          continue;
        }
        failed += left.length;
        if (res.free && free--) continue; // refreshed credentials: once more at once, not counted
        left.forEach((id) => tries.set(id, (tries.get(id) || 0) + 1));
        // Reported once per run of failures, not per attempt.
        if (!failures++) report('sink_failed', `${sink.name}: ${res.error?.message || 'failed'}; ${left.length} events kept, retrying with backoff`, left.length);
        later(shared(Date.now() + backoffMs(failures, baseMs, maxMs, res.retryAfterMs)) - Date.now());
        break;
      }
    }
    return [sent, failed, dropped];
  }

  function later(ms: number) {
    clearTimeout(timer);
    timer = setTimeout(kick, ms);
  }

  function kick() {
    if (pending) return;
    pending = true;
    withLock(lockName, false, () => drain(false))
      .catch((e) => report('internal', `delivery: ${e}`))
      .finally(() => (pending = false));
  }

  return {
    kick,
    flush: async () => (await withLock(lockName, true, () => drain(true))) || [0, 0, 0],
    unload(all) {
      const events = all.filter((e) => !busy(e));
      if (!events.length) return;
      const ids = events.map((e) => e.id);
      hold(ids, 60_000);
      // If the page lives on (it was only hidden), acknowledge what got through.
      sink
        .send(events, { unload: true })
        .then((res) => settle({ accepted: res.accepted }))
        .then(release)
        .catch(() => undefined);
    },
  };
}
