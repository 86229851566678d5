import type { QueuedEvent } from '../core/types';
import { idOf, itemsIn, toEvent, type StoredRecord } from './record';

export interface Ledger {
  /** This page's own events, written as these records (both in capture order). */
  wrote(records: [string, StoredRecord][], events: QueuedEvent[]): void;
  /** Records put back from elsewhere (the spill). */
  saw(records: [string, StoredRecord][]): void;
  /** A record read from storage: its items as [id, event], the event undefined when malformed. */
  read(key: string, raw: unknown): [string | undefined, QueuedEvent | undefined][];
  /** A well-formed event this tab knows, by id. */
  get(id: string): QueuedEvent | undefined;
  /** The records holding these events. */
  keys(ids: Iterable<string>): string[];
  /** These events left storage: forgotten; resolves to the records they leave empty. */
  drop(ids: Iterable<string>): Set<string>;
  /** Another tab acknowledged these: forgotten, their records still to be read again. */
  forget(ids: Iterable<string>): void;
  clear(): void;
}

/**
 * What this tab knows of the stored records: which record holds each event, which events each
 * record holds (records lose events, never gain any, so a record whose known events are all
 * acknowledged is deleted without reading it), and the events known to be well formed (written
 * by this page, or checked once when read), with their tries.
 */
export function createLedger(): Ledger {
  const home = new Map<string, string>();
  const holds = new Map<string, Set<string>>();
  const known = new Map<string, QueuedEvent>();
  const hold = (k: string, ids: (string | undefined)[]) => holds.set(k, new Set(ids.filter((id): id is string => !!id)));

  return {
    wrote(records, events) {
      let r = 0;
      let k = '';
      for (const e of events) {
        // Each record starts with its key's event.
        if (r < records.length && records[r][0] == e.id) holds.set((k = records[r++][0]), new Set());
        home.set(e.id, k), known.set(e.id, e), holds.get(k)!.add(e.id);
      }
    },
    saw: (records) => records.forEach(([k, r]) => hold(k, itemsIn(r).map(idOf))),
    read(k, raw) {
      const items = itemsIn(raw);
      hold(k, items.map(idOf));
      return items.map((x) => {
        const id = idOf(x);
        let e = id ? known.get(id) : undefined;
        if (!e && (e = toEvent(x))) known.set(e.id, e);
        if (e) home.set(e.id, k);
        return [id, e];
      });
    },
    get: (id) => known.get(id),
    keys: (ids) => [...new Set([...ids].map((id) => home.get(id)!).filter(Boolean))],
    drop(ids) {
      const empty = new Set<string>();
      for (const id of ids) {
        const k = home.get(id)!;
        const h = holds.get(k);
        if (h && h.delete(id) && !h.size) holds.delete(k), empty.add(k);
        home.delete(id), known.delete(id);
      }
      return empty;
    },
    forget(ids) {
      for (const id of ids) home.delete(id), known.delete(id);
    },
    clear() {
      home.clear();
      holds.clear();
      known.clear();
    },
  };
}
