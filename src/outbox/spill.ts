import { stringify } from './json';
import { eventsIn, type StoredRecord } from './record';

// A closing tab aborts IndexedDB transactions that have not committed yet, so events tracked a
// moment before the close would be lost if the page-hide request failed too. localStorage is
// the one synchronous store: the records whose write is not confirmed are spilled there at page
// hide, under a key of this tab's own, and put back under their own keys by the next page view
// of any tab (a write that did complete is then overwritten with the same record).

const PREFIX = 'clicktrail-spill:';
export const spillPrefix = (name: string): string => PREFIX + name + ':';

/** Saves these records (as many as fit); none clears the entry. */
export function spill(name: string, tab: string, records: StoredRecord[]): void {
  const key = spillPrefix(name) + tab;
  try {
    localStorage.removeItem(key);
  } catch {
    // blocked: the page-hide request is all these events have
  }
  // As many as fit when localStorage is nearly full (a big burst is about 1 KB per event).
  for (let n = records.length; n; n >>= 1) {
    try {
      return localStorage.setItem(key, stringify(records.slice(0, n)));
    } catch {
      // full: try half as many
    }
  }
}

/** Takes every spilled record of this outbox (from any tab that closed), removing them. */
export function unspill(name: string): StoredRecord[] {
  const out: StoredRecord[] = [];
  try {
    for (const k of Object.keys(localStorage)) {
      if (!k.startsWith(spillPrefix(name))) continue;
      try {
        for (const r of JSON.parse(localStorage.getItem(k)!)) if (eventsIn(r).length) out.push(r);
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
