import { createStore, promisifyRequest, type UseStore } from 'idb-keyval';

/** Time allowed for the probe; Safari has been seen never settling an open() in some iframes. */
const PROBE_MS = 3000;

/** Runs `fn` on the store in one transaction and resolves when the transaction completes. */
export type Tx = (mode: IDBTransactionMode, fn: (s: IDBObjectStore) => unknown) => Promise<unknown>;

/**
 * Opens the queue's database and proves it works with a real write: a missing `indexedDB` is
 * not the only failure (Firefox private windows reject the open, Safari iframes hang, a full
 * disk fails the write). Rejects with the reason.
 */
export async function openStore(name: string): Promise<Tx> {
  const use: UseStore = createStore(name, 'events');
  // The transaction's completion, not the request's success, is what makes a write durable.
  const tx: Tx = (mode, fn) => use(mode, (s) => ((fn(s), promisifyRequest(s.transaction))));
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([
    tx('readwrite', (s) => s.delete('~probe')),
    new Promise((_, reject) => (timer = setTimeout(reject, PROBE_MS, new Error('open timed out')))),
  ]).finally(() => clearTimeout(timer));
  return tx;
}
