import type { QueuedEvent } from '../core/types';
import { idOf, itemsIn, toRecords, type StoredRecord } from './record';

// A closing tab aborts IndexedDB transactions that have not committed yet, so events tracked a
// moment before the close would be lost if the page-hide request failed too. localStorage is
// the one synchronous store: the records whose write is not confirmed are spilled there at page
// hide, under a key of this tab's own, as lines of event JSON (no escaping: a burst of 10,000
// fits), a blank line between records, and put back into the outbox by the next page view of any
// tab as the same records under the same keys (a write that did complete is then overwritten
// with the same events, not doubled).

const PREFIX = 'clicktrail-spill:';
const spillPrefix = (name: string): string => PREFIX + name + ':';

/** Removes every localStorage key starting with `prefix` (erasure); blocked storage holds none. */
export function removeKeys(prefix: string): void {
  try {
    for (const k of Object.keys(localStorage)) if (k.startsWith(prefix)) localStorage.removeItem(k);
  } catch {
    // blocked storage: nothing was written there either
  }
}

/** Removes what this outbox spilled (consent withdrawn, erasure). */
export const unspillAll = (name: string): void => removeKeys(spillPrefix(name));

/** Saves these records' events (as many records as fit); none clears the entry. */
export function spill(name: string, tab: string, records: StoredRecord[]): void {
  const key = spillPrefix(name) + tab;
  try {
    localStorage.removeItem(key);
  } catch {
    // blocked: the page-hide request is all these events have
  }
  // As many as fit when localStorage is nearly full.
  for (let n = records.length; n; n >>= 1) {
    try {
      return localStorage.setItem(key, records.slice(0, n).map((r) => r.e).join('\n\n'));
    } catch {
      // full: try half as many
    }
  }
}

/** Takes every spilled record of this outbox (from any tab that closed), removing them. */
export function unspill(name: string): [string, StoredRecord][] {
  const out: [string, StoredRecord][] = [];
  // Checked in full when read for sending; a line without an id cannot even be stored.
  const lines = (items: unknown[]) => items.map((x) => (typeof x == 'string' ? x : (x as QueuedEvent | null)?.json)).filter((l): l is string => typeof l == 'string' && !!idOf(l));
  const add = (items: unknown[]) => out.push(...toRecords(lines(items)));
  try {
    for (const k of Object.keys(localStorage)) {
      if (!k.startsWith(spillPrefix(name))) continue;
      const v = localStorage.getItem(k) || '';
      try {
        // Spilled by 0.1.0: a JSON array of events, one record each.
        if (v[0] == '[') for (const r of JSON.parse(v)) add(itemsIn(r));
        else for (const r of v.split('\n\n')) add(r.split('\n'));
      } catch {
        // a corrupt entry: nothing to recover from it, and it must not block the others
      }
      localStorage.removeItem(k);
    }
  } catch {
    // blocked storage
  }
  return out;
}
