import type { Reporter } from '../core/errors';
import type { QueuedEvent } from '../core/types';
import { indexedDbStore } from './indexeddb';
import { memoryStore } from './memory';
import type { Store } from './types';

export interface QueueLimits {
  maxEvents: number;
  maxBytes: number;
  maxAgeMs: number;
}

export interface Queue {
  /** Settles once the store is chosen (IndexedDB probed, or memory). */
  ready: Promise<void>;
  kind(): 'indexeddb' | 'memory' | 'pending';
  /** Resolves once the events are stored (durably when the store is IndexedDB). */
  add(events: QueuedEvent[]): Promise<void>;
  /** Up to `n` events, oldest first; expired ones are dropped on the way. */
  read(n: number): Promise<QueuedEvent[]>;
  remove(ids: string[]): Promise<void>;
  count(): Promise<number>;
}

const byId = (a: QueuedEvent, b: QueuedEvent) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
// Records that are not events (another tab's probe key) are skipped.
const valid = (e: QueuedEvent) => !!e && typeof e.id === 'string' && typeof e.json === 'string';

/**
 * The durable queue: IndexedDB when it really works, memory otherwise (said once through the
 * reporter), with caps on events, bytes and age. Writes that fail later (quota, a closed
 * connection) move those events to memory rather than lose them.
 */
export function createQueue(
  name: string,
  limits: QueueLimits,
  persist: boolean,
  report: Reporter,
  dropped: (kind: 'overflow' | 'expired', n: number) => void,
): Queue {
  const mem = memoryStore();
  let disk: Store | undefined;
  let state: 'indexeddb' | 'memory' | 'pending' = 'pending';
  let approxCount = 0;
  let approxBytes = 0;

  const fallBack = (why: string) => {
    if (state !== 'memory') report('storage_unavailable', `${why}; events are kept in memory for this page only`);
    disk = undefined;
    state = 'memory';
  };

  const ready = (async () => {
    if (!persist) return void (state = 'memory');
    const r = await indexedDbStore(name);
    if (r.store) {
      disk = r.store;
      state = 'indexeddb';
      await trim();
    } else fallBack(r.reason!);
  })().catch((e) => fallBack(String(e)));

  const stores = () => (disk ? [disk, mem] : [mem]);

  async function collect(n?: number): Promise<QueuedEvent[]> {
    const lists = await Promise.all(stores().map((s) => (n === undefined ? s.all() : s.read(n)).catch(() => [])));
    const out = lists.flat().filter(valid).sort(byId);
    return n === undefined ? out : out.slice(0, n);
  }

  async function removeIds(ids: string[]) {
    if (!ids.length) return;
    await Promise.all(stores().map((s) => s.remove(ids).catch(() => undefined)));
  }

  /** Drops expired events, then the oldest beyond the caps; says how many, once per trim. */
  async function trim() {
    const all = await collect();
    const cutoff = Date.now() - limits.maxAgeMs;
    const expired = all.filter((e) => e.time < cutoff);
    const live = all.filter((e) => e.time >= cutoff);
    let bytes = 0;
    let keep = 0;
    // Walk from the newest: keep what fits, drop every older event.
    for (let i = live.length - 1; i >= 0; i--) {
      bytes += live[i].json.length;
      if (live.length - i > limits.maxEvents || bytes > limits.maxBytes) break;
      keep = live.length - i;
    }
    const overflow = live.slice(0, live.length - keep);
    await removeIds(expired.concat(overflow).map((e) => e.id));
    if (expired.length) {
      dropped('expired', expired.length);
      report('event_expired', `${expired.length} events older than ${limits.maxAgeMs} ms were dropped`, expired.length);
    }
    if (overflow.length) {
      dropped('overflow', overflow.length);
      report('queue_overflow', `the queue is full; ${overflow.length} oldest events were dropped`, overflow.length);
    }
    approxCount = keep;
    approxBytes = live.slice(live.length - keep).reduce((n, e) => n + e.json.length, 0);
  }

  return {
    ready,
    kind: () => state,
    async add(events) {
      if (!events.length) return;
      await ready;
      if (disk) {
        try {
          await disk.add(events);
        } catch (e) {
          fallBack(`writing to IndexedDB failed (${(e as Error)?.message || e})`);
          await mem.add(events);
        }
      } else await mem.add(events);
      approxCount += events.length;
      for (const e of events) approxBytes += e.json.length;
      if (approxCount > limits.maxEvents || approxBytes > limits.maxBytes) await trim();
    },
    async read(n) {
      await ready;
      const list = await collect(n);
      const cutoff = Date.now() - limits.maxAgeMs;
      const expired = list.filter((e) => e.time < cutoff);
      if (expired.length) {
        await trim();
        return collect(n);
      }
      return list;
    },
    async remove(ids) {
      await ready;
      await removeIds(ids);
      approxCount = Math.max(0, approxCount - ids.length);
    },
    async count() {
      await ready;
      const counts = await Promise.all(stores().map((s) => s.count().catch(() => 0)));
      return counts.reduce((a, b) => a + b, 0);
    },
  };
}
