import type { QueuedEvent } from '../core/types';
import { uuidv7 } from '../core/ids';
import { withLock } from '../delivery/lock';
import { overCaps } from './caps';
import { createLedger } from './ledger';
import { idOf, itemsIn, sizeUp, toRecords, type StoredRecord } from './record';
import { spill, unspill, unspillAll } from './spill';
import { createStore, type Store } from './store';
import type { Outbox, OutboxOptions, Via } from './types';

export type { Outbox, OutboxOptions, Via } from './types';

const HELD_MAX = 1000;
// This tab's unacknowledged events kept for the page-hide path; older ones wait in storage.
const MINE_MAX = 1000;

/**
 * One owner for every event from `track()` to its acknowledgement. The states:
 *   accepted   `held` (consent pending) or `accepted` (until the end of the task): memory
 *   durable    a record put in IndexedDB (`writing` until the write completes; spilled to
 *              localStorage at page hide meanwhile), or in memory when storage is unusable
 *   in flight  `wire`: which request (a drain's or the page-hide path's), until when
 *   acknowledged or dropped: removed from storage; the reason counted (sent, rejected,
 *              expired, overflow, invalid, consent)
 * `mine` lists this tab's events still unacknowledged, for the page-hide path; `ledger` what
 * this tab knows of the stored records.
 */
export function createOutbox({ name, caps, report, count, announce, batch }: OutboxOptions): Outbox {
  const [batchMax, batchChars] = batch ? [batch.maxEvents, batch.maxBytes] : [];
  const tab = uuidv7();
  let store: Store | undefined;
  let held: QueuedEvent[] = [];
  let accepted: QueuedEvent[] = [];
  const writing = new Map<string, StoredRecord>();
  const wire = new Map<string, { via: Via; until: number }>();
  let mine: QueuedEvent[] = [];
  const ledger = createLedger();
  // Acknowledged or dropped, but still stored: their removal failed, or has not completed.
  const stale = new Set<string>();
  const staleKeys = new Set<string>();
  // Removed since the latest batch() began reading: that read may still return them.
  const removed = new Set<string>();
  let refused = 0;
  // The number of the latest failure of each event that failed.
  const failed = new Map<string, number>();
  let fails = 0;
  let writes: Promise<unknown> = Promise.resolve();
  let spilled = false;
  let overflowed = 0;
  let holding = true;
  let added = 0;
  let chars = 0;
  let trimming: Promise<unknown> | undefined;

  const respill = () => spilled && (spill(name, tab, [...writing.values()]), (spilled = writing.size > 0));

  function trim() {
    // One trim at a time, across the tabs too: two would drop, count and report the same events.
    return (trimming ||= withLock(name + ':trim', true, async () => {
      const rows = await store!.read();
      const t = overCaps(rows, caps);
      await drop(t.keys, t.ids);
      added = rows.reduce((n, [, r]) => n + itemsIn(r).length, 0) - t.ids.size;
      chars = t.kept;
      if (t.expired) count('expired', t.expired), report('event_expired', t.expired + ' dropped', t.expired);
      if (t.overflow) count('overflow', t.overflow), report('queue_overflow', t.overflow + ' oldest dropped', t.overflow);
      return t.kept;
    }).finally(() => (trimming = undefined)));
  }

  function drop(keys: string[], ids: Set<string>) {
    added -= ids.size;
    mine = mine.filter((e) => !ids.has(e.id));
    ids.forEach((id) => (wire.delete(id), failed.delete(id), stale.add(id)));
    keys.forEach((k) => staleKeys.add(k));
    return remove(keys, ids, ledger.drop(ids));
  }

  // Done only once storage no longer holds them: until then they are never sent again, and the
  // next batch() tries again (over a quota, Firefox aborts even a delete).
  const remove = (keys: string[], ids: Set<string>, whole?: Set<string>) =>
    store!.drop(keys, ids, whole).then(
      () => (ids.forEach((id) => (stale.delete(id), removed.add(id))), keys.forEach((k) => staleKeys.delete(k)), (refused = 0)),
      // Once per run of refusals, not at every drain.
      (e) => refused++ || report('storage_failed', e),
    );

  function put(records: [string, StoredRecord][], events?: QueuedEvent[]) {
    if (events) ledger.wrote(records, events);
    else ledger.saw(records);
    records.forEach(([k, r]) => writing.set(k, r));
    const done = store!.put(records).then(() => {
      records.forEach(([k]) => writing.delete(k));
      respill();
      // Counted here since the last trim, which reads every record (other tabs' writes are seen
      // then): reading thousands of records at every write would stall the page.
      for (const [, r] of records) (added += itemsIn(r).length), (chars += r.e.length);
      if (added > caps.maxEvents || chars > caps.maxBytes) return trim();
    });
    return (writes = Promise.all([writes, done]).catch((e) => report('storage_failed', e)));
  }

  const outbox: Outbox = {
    kind: () => (store ? store.kind() : 'pending'),
    ready: () => (store ? store.ready : Promise.resolve()),
    hold: () => void (holding = true),
    open() {
      holding = false;
      if (store) return void outbox.write();
      store = createStore(name, caps.persist, (why) => report('storage_unavailable', 'IndexedDB unusable, events kept in memory: ' + why));
      put(unspill(name));
      store.ready.then(() => store && store.kind() == 'indexeddb' && trim());
      outbox.write();
    },
    accept(e) {
      if (!holding) {
        // Erased meanwhile: storage is opened again only for a new event.
        if (!store) outbox.open();
        // Written by the tracker's end-of-task write (one microtask per task, not two).
        accepted.push(e);
      } else if (held.push(e) > HELD_MAX) {
        // Bounded while the consent banner waits: the oldest go, counted, reported once.
        held.shift();
        count('overflow', 1);
        if (!overflowed++) report('queue_overflow', `over ${HELD_MAX} events wait for consent, oldest dropped`, 1);
      }
    },
    write() {
      if (held.length && store) accepted = held.splice(0).concat(accepted);
      const events = accepted;
      if (!events.length || !store) return writes;
      accepted = [];
      mine = mine.concat(events);
      if (mine.length > MINE_MAX * 2) mine = mine.slice(-MINE_MAX);
      return put(toRecords(events.map((e) => e.json), batchMax, batchChars), events);
    },
    async batch(max, full) {
      const now = Date.now();
      for (const [id, w] of wire) if (w.until < now) wire.delete(id);
      if (staleKeys.size) await remove([...staleKeys], new Set(stale));
      removed.clear();
      let rows = await store!.read(max + wire.size);
      const first = sizeUp(itemsIn(rows[0]?.[1])[0]);
      if (first && first[1] < now - caps.maxAgeMs) await trim(), (rows = await store!.read(max + wire.size));
      const out: QueuedEvent[] = [];
      const bad = new Set<string>();
      const badKeys: string[] = [];
      const seen = new Set<string>();
      read: for (const [k, raw] of rows) {
        const items = ledger.read(k, raw);
        if (!items.length) badKeys.push(k);
        for (const [id, e] of items) {
          if (!e) {
            bad.add(id!), badKeys.push(k);
            continue;
          }
          if (wire.has(e.id) || seen.has(e.id) || stale.has(e.id) || removed.has(e.id)) continue;
          if (full(out.length, e)) break read;
          seen.add(e.id);
          out.push(e);
          e.tries ||= 0;
        }
      }
      if (badKeys[0]) {
        await drop(badKeys, bad);
        count('invalid', bad.size || 1);
        report('storage_corrupt', `${bad.size || 1} stored events unreadable or malformed, dropped`, bad.size || 1);
      }
      outbox.send(out, 'drain', 36e5);
      return out;
    },
    hide(unloading) {
      outbox.write();
      if (writing.size) spill(name, tab, [...writing.values()]), (spilled = true);
      // What this tab's drain has on the wire goes again only when the page unloads: leaving
      // cancels that request. A hidden page, or one entering the back/forward cache, keeps it,
      // and its answer arrives later.
      return mine.filter((e) => !wire.has(e.id) || (unloading && wire.get(e.id)!.via == 'drain'));
    },
    send(events, via, ms) {
      const until = Date.now() + ms;
      for (const e of events) wire.set(e.id, { via, until });
    },
    async settle(ids, res) {
      const ok = res.accepted || [];
      const bad = res.rejected || [];
      const gone = new Set(ok.concat(bad));
      ids.forEach((id) => gone.has(id) || wire.delete(id));
      count('sent', ok.length);
      count('rejected', bad.length);
      if (gone.size) {
        const keys = ledger.keys(gone);
        announce([...gone]);
        await drop(keys, gone);
      }
      return ids.filter((id) => !gone.has(id));
    },
    fail(ids) {
      // Bounded: the failures of events another tab acknowledged are not removed one by one.
      if (failed.size > 1e4) failed.clear();
      fails++;
      for (const id of ids) {
        const e = ledger.get(id);
        if (e) (e.tries = (e.tries || 0) + 1), failed.set(id, fails);
      }
    },
    failures: (since) => (since == null ? fails : [...failed.values()].filter((n) => n > since).length),
    heard(ids) {
      const gone = new Set(ids);
      mine = mine.filter((e) => !gone.has(e.id));
      // Their failures here still count for a flush() under way.
      ledger.forget(ids.filter((id) => !wire.has(id)));
    },
    async clear(all) {
      count('consent', held.length + (all ? accepted.length : 0));
      held = [];
      if (!all) return;
      accepted = [];
      mine = [];
      writing.clear();
      ledger.clear();
      failed.clear();
      stale.clear();
      staleKeys.clear();
      wire.clear();
      spilled = false;
      unspillAll(name);
      const s = store;
      store = undefined;
      await writes.catch(() => 0);
      await s?.erase();
    },
    leave: () => store?.close(),
    held: () => held.length + accepted.length,
    async count() {
      await writes;
      const rows = store ? await store.read() : [];
      return rows.reduce((n, [, r]) => n + itemsIn(r).filter((x) => !stale.has(idOf(x)!)).length, held.length + accepted.length);
    },
  };
  return outbox;
}
