import type { Reporter } from '../core/errors';
import type { QueuedEvent } from '../core/types';
import { withLock } from '../delivery/lock';
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
 * Issues one request per item, 100 per task: the next hundred start from the success of the
 * last, which keeps the transaction open (one transaction for all) without a long task — in
 * Chromium each put costs tens of microseconds of main-thread time.
 */
function chunked<T>(items: T[], request: (item: T) => IDBRequest, i = 0): void {
  let r: IDBRequest | undefined;
  for (const item of items.slice(i, (i += 100))) r = request(item);
  if (i < items.length) r!.onsuccess = () => chunked(items, request, i);
  // Commit now rather than when the page next idles: a transaction left to auto-commit is
  // aborted if the page closes first, and this write often races a closing tab.
  else r?.transaction!.commit?.();
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
  // Only ever filled while `tx` is unset: once on memory, the queue never goes back.
  let mem: QueuedEvent[] = [];
  let kind: 'indexeddb' | 'memory' | 'pending' = 'pending';
  let tx: Tx | undefined;
  // Bytes added since the last full trim: a full read of the store happens only when this
  // could break the byte cap, since reading thousands of records stalls the main thread.
  let bytes = 0;
  let added = 0;
  // One trim at a time, across the tabs too: two at once would drop, count and report the same
  // events twice.
  let trimming: Promise<void> | undefined;

  // Not persisting is no failure: memory, without a report.
  const toMemory = (why: unknown) => {
    if (persist && kind != 'memory') report('storage_unavailable', 'IndexedDB unusable, events kept in memory: ' + why);
    tx = undefined;
    kind = 'memory';
  };

  // `tx` is set only when openStore does not throw (no indexedDB at all); the probe decides.
  const ready: Promise<unknown> = new Promise((ok, no) => (persist ? ok(([tx] = openStore(name))[1]) : no()))
    // A write may have failed over to memory while the probe was still running.
    .then(() => tx && ((kind = 'indexeddb'), trim()))
    .catch(toMemory);

  // A request's result, read inside the transaction; resolves when the transaction completes.
  const get = async <T>(fn: (s: IDBObjectStore) => IDBRequest<T>, out: T): Promise<T> => (
    tx && (await tx('readonly', (s) => (fn(s).onsuccess = (e) => (out = (e.target as IDBRequest<T>).result))).catch(toMemory)), out
  );

  const count = () => get((s) => s.count(), mem.length);

  const collect = async (n?: number) => (tx ? (await get((s) => s.getAll(null, n), [] as QueuedEvent[])).filter((e) => e?.json) : mem.slice(0, n));

  async function remove(ids: string[]) {
    const gone = new Set(ids);
    mem = mem.filter((e) => !gone.has(e.id));
    if (tx && ids[0]) await tx('readwrite', (s) => chunked(ids, (id) => s.delete(id))).catch(toMemory);
  }

  const trim = () => (trimming ||= withLock(name + ':trim', true, doTrim).finally(() => (trimming = undefined)) as Promise<void>);

  /** Drops expired events, then the oldest beyond the caps; reports each kind once per trim. */
  async function doTrim() {
    const all = await collect();
    const cutoff = Date.now() - maxAgeMs;
    const drop: string[] = [];
    let total = 0;
    let expired = 0;
    for (let i = all.length; i--; ) {
      const e = all[i];
      if (e.time < cutoff) expired++;
      // Newest first: keep while under both caps, then drop everything older. Down to 95% of the
      // byte cap: trimming to the cap itself would read the whole store again at the next add.
      else if (drop.length == expired && all.length - i <= maxEvents && total + e.json.length <= maxBytes * 0.95) {
        total += e.json.length;
        continue;
      }
      drop.push(e.id);
    }
    await remove(drop);
    added = 0;
    bytes = total;
    const overflow = drop.length - expired;
    if (expired) dropped('expired', expired), report('event_expired', expired + ' dropped', expired);
    if (overflow) dropped('overflow', overflow), report('queue_overflow', overflow + ' oldest dropped', overflow);
  }

  return {
    ready,
    kind: () => kind,
    async add(events) {
      // Not waiting for the probe: a tab that closes right after loading still gets its
      // events written (the requests wait for the open, and fail over to memory if it fails).
      if (tx) {
        // A write still waiting for a slow open when the probe gave up must not land later: its
        // events are in memory then, and would be sent again from the next page view.
        const write = tx('readwrite', (s) => kind != 'memory' && chunked(events, (e) => s.put(e, e.id)));
        // If the probe gives up on a database that never opens, so does this write (it has
        // moved to memory by then, `tx` unset).
        await Promise.race([write, ready.then(() => tx && write)]).catch(toMemory);
      }
      if (!tx) mem = mem.concat(events);
      for (const e of events) bytes += e.json.length;
      // Caps: the count is cheap to read, the bytes only by reading every record; other tabs'
      // writes are seen at the next check.
      if ((added += events.length) > maxEvents / 20 || bytes > maxBytes) {
        added = 0;
        if (bytes > maxBytes || (await count()) > maxEvents) await trim();
      }
    },
    read: (n) =>
      ready.then(() => collect(n)).then((list) => (list[0]?.time < Date.now() - maxAgeMs ? trim().then(() => collect(n)) : list)),
    remove: (ids) => ready.then(() => remove(ids)),
    count: () => ready.then(count),
  };
}
