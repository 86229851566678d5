import { createStore, promisifyRequest } from 'idb-keyval';

/** Time allowed for the probe; Safari has been seen never settling an open() in some iframes. */
const PROBE_MS = 3000;

/** Runs `fn` on the store in one transaction and resolves when the transaction completes. */
export type Tx = (mode: IDBTransactionMode, fn: (s: IDBObjectStore) => unknown) => Promise<unknown>;

/**
 * The queue's database, usable at once (requests wait for the open), and a probe that proves it
 * works with a real transaction: a missing `indexedDB` is not the only failure (Firefox private
 * windows reject the open, Safari iframes hang). The probe rejects with the reason. Throws when
 * there is no `indexedDB` at all.
 */
export function openStore(name: string): [Tx, Promise<unknown>] {
  const use = createStore(name, 'events');
  // The transaction's completion, not the request's success, is what makes a write durable.
  const tx: Tx = (mode, fn) => use(mode, (s) => (fn(s), promisifyRequest(s.transaction)));
  return [
    tx,
    // The timer is left to fire once the race is over: rejecting a settled race does nothing.
    Promise.race([tx('readonly', (s) => s.count()), new Promise((_, no) => setTimeout(no, PROBE_MS, 'open timed out'))]),
  ];
}
