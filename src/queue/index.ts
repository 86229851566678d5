import type { Reporter } from '../core/errors';
import type { QueuedEvent } from '../core/types';
import { openStore, type Tx } from './indexeddb';

export interface Queue {
  /** Settles once the store is chosen: IndexedDB (probed), or memory. */
  ready: Promise<unknown>;
  kind(): 'indexeddb' | 'memory' | 'pending';
  /** Resolves once the events are stored: durably, in one transaction, when on IndexedDB. */
  add(events: QueuedEvent[]): Promise<void>;
  /** Up to `n` events, oldest first (expired ones dropped on the way); all with no `n`. */
  read(n?: number): Promise<QueuedEvent[]>;
  remove(ids: string[]): Promise<unknown>;
  count(): Promise<number>;
}

/**
 * The durable queue: one IndexedDB record per event, keyed by its UUIDv7 id so key order is
 * capture order. Memory when IndexedDB cannot be used, or when a write fails later (quota, a
 * closed connection): those events then live as long as the page rather than being lost, and
 * what IndexedDB already holds goes out from the next page view. Caps on events, bytes and age
 * drop the oldest first, counted and reported.
 */
export function createQueue(
  name: string,
  maxEvents: number,
  maxBytes: number,
  maxAgeMs: number,
  persist: boolean,
  report: Reporter,
  dropped: (kind: 'overflow' | 'expired', n: number) => void,
): Queue {
  let mem: QueuedEvent[] = [];
  let tx: Tx | undefined;
  let kind: 'indexeddb' | 'memory' | 'pending' = 'pending';
  let added = 0;

  const toMemory = (why: unknown) => {
    if (kind != 'memory') report('storage_unavailable', 'IndexedDB unusable, events kept in memory: ' + why);
    tx = undefined;
    kind = 'memory';
  };

  const ready = (persist ? openStore(name) : Promise.reject())
    .then((t) => {
      tx = t;
      kind = 'indexeddb';
      return trim();
    })
    .catch((e) => (persist ? toMemory(e) : (kind = 'memory')));

  // A request's result, read inside the transaction; resolves when the transaction completes.
  const get = async <T>(fn: (s: IDBObjectStore) => IDBRequest<T>, fallback: T): Promise<T> => {
    let out = fallback;
    if (tx) await tx('readonly', (s) => (fn(s).onsuccess = (e) => (out = (e.target as IDBRequest<T>).result))).catch(toMemory);
    return out;
  };

  const collect = async (n?: number) =>
    tx ? (await get((s) => s.getAll(null, n), [] as QueuedEvent[])).filter((e) => e && e.json) : mem.slice(0, n);

  async function remove(ids: string[]) {
    mem = mem.filter((e) => !ids.includes(e.id));
    if (tx && ids.length) await tx('readwrite', (s) => ids.map((id) => s.delete(id))).catch(toMemory);
  }

  /** Drops expired events, then the oldest beyond the caps; reports each kind once per trim. */
  async function trim() {
    const all = await collect();
    const cutoff = Date.now() - maxAgeMs;
    const drop: string[] = [];
    let bytes = 0;
    let expired = 0;
    for (let i = all.length; i--; ) {
      const e = all[i];
      if (e.time < cutoff) expired++;
      // Newest first: keep while under both caps, then drop everything older.
      else if (drop.length == expired && all.length - i <= maxEvents && (bytes += e.json.length) <= maxBytes) continue;
      drop.push(e.id);
    }
    await remove(drop);
    added = 0;
    const overflow = drop.length - expired;
    if (expired) dropped('expired', expired), report('event_expired', expired + ' dropped', expired);
    if (overflow) dropped('overflow', overflow), report('queue_overflow', overflow + ' oldest dropped', overflow);
  }

  return {
    ready,
    kind: () => kind,
    async add(events) {
      await ready;
      if (tx) await tx('readwrite', (s) => events.map((e) => s.put(e, e.id))).catch((e) => toMemory(e));
      if (!tx) mem = mem.concat(events);
      // Counting exactly across tabs would cost a read per write; a trim every so often bounds it.
      if ((added += events.length) > maxEvents / 10) await trim();
    },
    async read(n) {
      await ready;
      const list = await collect(n);
      return list[0]?.time < Date.now() - maxAgeMs ? trim().then(() => collect(n)) : list;
    },
    remove: (ids) => ready.then(() => remove(ids)),
    count: () => ready.then(() => get((s) => s.count(), mem.length)),
  };
}
