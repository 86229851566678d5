import { createStore, promisifyRequest } from 'idb-keyval';
import type { QueuedEvent } from '../core/types';
import type { Store } from './types';

/** Time allowed for the probe; Safari has been seen never settling an open() in some iframes. */
const PROBE_MS = 3000;

/**
 * One IndexedDB record per event, keyed by its UUIDv7 id so key order is capture order.
 * Resolves to null, with the reason, when the database cannot really be used: a missing
 * `indexedDB` is not the only case (Firefox private windows throw on open, Safari iframes hang).
 */
export async function indexedDbStore(name: string): Promise<{ store?: Store; reason?: string }> {
  if (typeof indexedDB === 'undefined' || !indexedDB) return { reason: 'IndexedDB is not available' };
  let use: ReturnType<typeof createStore>;
  try {
    use = createStore(name, 'events');
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([
      use('readwrite', (s) => {
        s.put(1, '~probe');
        s.delete('~probe');
        return promisifyRequest(s.transaction);
      }),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`opening IndexedDB took over ${PROBE_MS} ms`)), PROBE_MS);
      }),
    ]).finally(() => clearTimeout(timer));
  } catch (e) {
    return { reason: `IndexedDB cannot be used (${(e as Error)?.message || e})` };
  }
  const getAll = (n?: number) =>
    use('readonly', (s) => promisifyRequest(s.getAll(null, n) as IDBRequest<QueuedEvent[]>));
  return {
    store: {
      kind: 'indexeddb',
      add: (events) =>
        use('readwrite', (s) => {
          for (const e of events) s.put(e, e.id);
          return promisifyRequest(s.transaction);
        }),
      read: (n) => getAll(n),
      remove: (ids) =>
        use('readwrite', (s) => {
          for (const id of ids) s.delete(id);
          return promisifyRequest(s.transaction);
        }),
      all: () => getAll(),
      count: () => use('readonly', (s) => promisifyRequest(s.count())),
    },
  };
}
