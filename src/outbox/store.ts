import { FORMAT, idOf, itemsIn, type StoredRecord } from './record';

/** Time allowed for the probe; Safari has been seen never settling an open() in some iframes. */
const PROBE_MS = 3000;
const STORE = 'events';

export type Kind = 'indexeddb' | 'memory' | 'pending';

export interface Store {
  /** Settles once the probe decided whether IndexedDB works. */
  ready: Promise<unknown>;
  kind(): Kind;
  /** One put per [key, record], issued now in one transaction committed at once; memory if that fails. */
  put(records: [string, StoredRecord][]): Promise<void>;
  /**
   * [key, stored value] of the records of IndexedDB (while readable) and of memory, in key order:
   * the first ones holding at least `events` events, or all.
   */
  read(events?: number): Promise<[string, unknown][]>;
  /**
   * Removes these event ids from these records; a record left empty (or unreadable) is deleted.
   * The records in `whole` are known to hold nothing else: deleted without reading them. Rejects
   * when IndexedDB refused: over a quota a rewrite (Chromium) and even a delete (Firefox) abort.
   */
  drop(keys: string[], ids: Set<string>, whole?: Set<string>): Promise<void>;
  /** Deletes the database and what memory holds (consent withdrawn, erasure). */
  erase(): Promise<void>;
  /** Closes the connection once its transactions end; the next use opens it again. */
  close(): void;
}

const done = <T>(r: IDBRequest<T> | IDBTransaction) =>
  new Promise<T>((ok, no) => {
    (r as IDBTransaction).oncomplete = (r as IDBRequest).onsuccess = () => ok((r as IDBRequest<T>).result);
    (r as IDBTransaction).onabort = r.onerror = () => no(r.error);
  });

/**
 * The outbox's storage: one IndexedDB database named after the app (object store `events`,
 * schema version 1 as written by 0.1.0), and memory beside it. IndexedDB is probed with a real
 * transaction: a missing `indexedDB` is not the only failure (Firefox private windows reject the
 * open, Safari iframes hang). After a write fails (quota), later writes go to memory but the
 * database stays readable: what it holds is still sent and counted.
 */
export function createStore(name: string, persist: boolean, failed: (why: unknown) => void): Store {
  const mem = new Map<string, StoredRecord>();
  let db: IDBDatabase | undefined;
  let opening: Promise<IDBDatabase> | undefined;
  let readable = persist;
  let writable = persist;
  let kind: Kind = 'pending';

  const open = () =>
    (opening ||= new Promise<IDBDatabase>((ok, no) => {
      const req = indexedDB.open(name);
      req.onupgradeneeded = () => req.result.createObjectStore(STORE);
      // Another tab erasing the database (consent withdrawn) must not wait for this connection.
      done(req).then((d) => {
        d.onversionchange = () => (d.close(), (db = opening = undefined));
        ok((db = d));
      }, no);
    }));

  // Runs `fn` in a transaction, synchronously once the database is open: a write must be issued
  // in the task that tracked its events, or a crash right after the task loses them.
  // Every transaction whose requests are all issued at once is committed at once, reads too:
  // WebKit runs one transaction at a time, and one left open by a page it keeps in its page cache
  // would hold the next page's open for good.
  function tx<T>(mode: IDBTransactionMode, fn: (s: IDBObjectStore) => T, commit = true): Promise<T> {
    const run = (d: IDBDatabase) => {
      if (!readable) throw 'IndexedDB unusable';
      const t = d.transaction(STORE, mode);
      let out: T;
      try {
        out = fn(t.objectStore(STORE));
      } catch (e) {
        // Nothing of a half-issued write may commit: the caller keeps all of it in memory.
        t.abort();
        throw e;
      }
      // Committed now rather than when the page next idles: a transaction left to auto-commit is
      // aborted if the page closes first.
      if (commit) t.commit?.();
      return done(t).then(() => out);
    };
    try {
      return db ? run(db) : open().then(run);
    } catch (e) {
      return Promise.reject(e);
    }
  }

  const toMemory = (why: unknown) => {
    if (writable) failed(why);
    writable = false;
    kind = 'memory';
  };

  // Its own transaction, not tx(): it must still answer after the race below gave up on it.
  const probe = new Promise((ok, no) => (persist ? ok(0) : no())).then(open).then((d) => done(d.transaction(STORE).objectStore(STORE).count()));
  let late = false;
  // The timer is left to fire once the race is over: rejecting a settled race does nothing.
  const ready = Promise.race([probe, new Promise((_, no) => setTimeout(no, PROBE_MS, 'open timed out'))]).then(
    () => void (writable && (kind = 'indexeddb')),
    (e) => {
      // Not persisting is no failure: memory, without a report.
      if (persist) toMemory(e || 'no IndexedDB');
      late = e == 'open timed out';
      kind = 'memory';
      readable = false;
    },
  );
  // An open that answers after the probe gave up (a busy machine, a neighbour holding the
  // database): IndexedDB after all, with what memory took meanwhile. What is stored is read again.
  probe.then(
    () => {
      if (!late) return;
      late = false;
      readable = writable = true;
      kind = 'indexeddb';
      const held = [...mem];
      mem.clear();
      return held[0] && store.put(held);
    },
    () => 0,
  );

  const inMemory = (records: [string, StoredRecord][]) => records.forEach(([k, r]) => mem.set(k, r));

  function edit(s: { get(k: string): unknown; put(v: unknown, k: string): unknown; delete(k: string): unknown }, key: string, raw: unknown, ids: Set<string>) {
    const all = itemsIn(raw);
    const left = all.filter((x) => {
      const id = idOf(x);
      return id && !ids.has(id);
    });
    if (left.length == all.length && all.length) return;
    // A format 1 record holds one event: it goes whole.
    if (left.length) s.put({ v: FORMAT, e: left.join('\n') }, key);
    else s.delete(key);
  }

  const memStore = { get: (k: string) => mem.get(k), put: (v: unknown, k: string) => mem.set(k, v as StoredRecord), delete: (k: string) => mem.delete(k) };

  const store: Store = {
    ready,
    kind: () => kind,
    async put(records) {
      if (!writable) return inMemory(records);
      const write = tx('readwrite', (s) => records.forEach(([k, r]) => s.put(r, k)));
      try {
        // A write waiting for an open that the probe gives up on moves to memory with it.
        await Promise.race([write, ready.then(() => (readable ? write : undefined))]);
        if (!readable) throw 'IndexedDB unusable';
      } catch (e) {
        toMemory(e);
        inMemory(records);
      }
    },
    async read(events = Infinity) {
      const out: [string, unknown][] = [];
      await ready;
      // A few records at a time until they hold `events` events: a record can hold hundreds,
      // and reading more than a batch needs costs the page a structured clone of each.
      for (let n = 0, got = 1; readable && got && n < events; ) {
        const after = out.length ? IDBKeyRange.lowerBound(out[out.length - 1][0], true) : null;
        // Records are about a batch each: two cover most reads.
        const limit = events < Infinity ? (out.length ? 8 : 2) : undefined;
        got = 0;
        await tx('readonly', (s) => {
          const keys = s.getAllKeys(after, limit);
          const values = s.getAll(after, limit);
          values.onsuccess = () => values.result.forEach((v, i) => (got++, (n += itemsIn(v).length || 1), out.push([keys.result[i] as string, v])));
        }).catch(() => 0);
      }
      if (!mem.size) return out;
      for (const [k, r] of mem) out.push([k, r]);
      return out.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    },
    async drop(keys, ids, whole = new Set()) {
      for (const k of keys) if (mem.has(k)) edit(memStore, k, mem.get(k), ids);
      if (!readable || !keys.some((k) => !mem.has(k))) return;
      // A rewrite is issued from a read's callback: that transaction cannot be committed early.
      const reads = keys.some((k) => !mem.has(k) && !whole.has(k));
      await tx('readwrite', (s) => keys.forEach((k) => mem.has(k) || (whole.has(k) ? s.delete(k) : (s.get(k).onsuccess = (e) => edit(s, k, (e.target as IDBRequest).result, ids)))), !reads);
    },
    close() {
      db?.close();
      db = opening = undefined;
    },
    async erase() {
      mem.clear();
      if (!persist) return;
      await opening?.catch(() => 0);
      store.close();
      await done(indexedDB.deleteDatabase(name)).catch(() => 0);
    },
  };
  return store;
}
