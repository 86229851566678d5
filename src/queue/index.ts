import type { Reporter } from '../core/errors';
import type { QueuedEvent } from '../core/types';
import { openStore, type Tx } from './indexeddb';

export interface QueueLimits {
  maxEvents: number;
  maxBytes: number;
  maxAgeMs: number;
}

export interface Queue {
  /** Settles once the store is chosen: IndexedDB (probed), or memory. */
  ready: Promise<unknown>;
  kind(): 'indexeddb' | 'memory' | 'pending';
  /** Resolves once the events are stored: durably, in one transaction, when on IndexedDB. */
  add(events: QueuedEvent[]): Promise<void>;
  /** Up to `n` events, oldest first; expired ones are dropped on the way. */
  read(n: number): Promise<QueuedEvent[]>;
  remove(ids: string[]): Promise<unknown>;
  count(): Promise<number>;
}

const byId = (a: QueuedEvent, b: QueuedEvent) => (a.id < b.id ? -1 : 1);

/**
 * The durable queue: one IndexedDB record per event, keyed by its UUIDv7 id so key order is
 * capture order; memory when IndexedDB cannot be used (said once) or a write fails later
 * (quota, a closed connection), so those events are kept for the page's life rather than lost.
 * Caps on events, bytes and age drop the oldest first, counted and reported.
 */
export function createQueue(
  name: string,
  limits: QueueLimits,
  persist: boolean,
  report: Reporter,
  dropped: (kind: 'overflow' | 'expired', n: number) => void,
): Queue {
  let mem: QueuedEvent[] = [];
  let tx: Tx | undefined;
  let kind: 'indexeddb' | 'memory' | 'pending' = 'pending';
  let added = 0;

  const toMemory = (why: unknown) => {
    if (kind !== 'memory') report('storage_unavailable', `IndexedDB unusable (${(why as Error)?.message || why}); events kept in memory for this page only`);
    tx = undefined;
    kind = 'memory';
  };

  const ready = (persist && typeof indexedDB === 'object' && indexedDB ? openStore(name) : Promise.reject(new Error('not available')))
    .then((t) => {
      tx = t;
      kind = 'indexeddb';
      return trim();
    })
    .catch((e) => (persist ? toMemory(e) : (kind = 'memory')));

  // Oldest first from both stores; records that are not events (a probe key) are skipped.
  async function collect(n?: number): Promise<QueuedEvent[]> {
    let disk: QueuedEvent[] = [];
    if (tx) await tx('readonly', (s) => (s.getAll(null, n).onsuccess = (e) => (disk = (e.target as IDBRequest).result))).catch(toMemory);
    return disk.filter((e) => e && e.json).concat(mem).sort(byId).slice(0, n);
  }

  async function remove(ids: string[]) {
    if (!ids.length) return;
    const gone = new Set(ids);
    mem = mem.filter((e) => !gone.has(e.id));
    if (tx) await tx('readwrite', (s) => ids.forEach((id) => s.delete(id))).catch(toMemory);
  }

  /** Drops expired events, then the oldest beyond the caps; reports each kind once per trim. */
  async function trim() {
    const all = await collect();
    const cutoff = Date.now() - limits.maxAgeMs;
    let bytes = 0;
    let live = 0;
    const drop: string[] = [];
    let expired = 0;
    let full = false;
    for (let i = all.length - 1; i >= 0; i--) {
      const e = all[i];
      if (e.time < cutoff) expired++;
      else if (!full && ++live <= limits.maxEvents && (bytes += e.json.length) <= limits.maxBytes) continue;
      else full = true;
      drop.push(e.id);
    }
    await remove(drop);
    added = 0;
    if (expired) {
      dropped('expired', expired);
      report('event_expired', `${expired} events older than maxAgeMs dropped`, expired);
    }
    if (drop.length > expired) {
      dropped('overflow', drop.length - expired);
      report('queue_overflow', `queue full: ${drop.length - expired} oldest events dropped`, drop.length - expired);
    }
  }

  return {
    ready,
    kind: () => kind,
    async add(events) {
      await ready;
      if (tx) await tx('readwrite', (s) => events.forEach((e) => s.put(e, e.id))).catch((e) => (toMemory(e), (mem = mem.concat(events))));
      else mem = mem.concat(events);
      // Counting exactly across tabs would cost a read per write; trimming every so often bounds it.
      if ((added += events.length) > limits.maxEvents / 10) await trim();
    },
    async read(n) {
      await ready;
      const list = await collect(n);
      if (list.length && list[0].time < Date.now() - limits.maxAgeMs) {
        await trim();
        return collect(n);
      }
      return list;
    },
    remove: (ids) => ready.then(() => remove(ids)),
    async count() {
      await ready;
      let n = 0;
      if (tx) await tx('readonly', (s) => (s.count().onsuccess = (e) => (n = (e.target as IDBRequest).result))).catch(toMemory);
      return n + mem.length;
    },
  };
}
