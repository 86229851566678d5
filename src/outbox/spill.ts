import type { QueuedEvent } from '../core/types';
import { idOf, itemsIn, type StoredRecord } from './record';

// A closing tab aborts IndexedDB transactions that have not committed yet, so events tracked a
// moment before the close would be lost if the page-hide request failed too. localStorage is
// the one synchronous store: the records whose write is not confirmed are spilled there at page
// hide, under a key of this tab's own, as lines of event JSON (no escaping: a burst of 10,000
// fits), and put back into the outbox by the next page view of any tab (a write that did
// complete is then overwritten with the same events).

const PREFIX = 'clicktrail-spill:';
export const spillPrefix = (name: string): string => PREFIX + name + ':';

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
      return localStorage.setItem(key, records.slice(0, n).map((r) => r.e).join('\n'));
    } catch {
      // full: try half as many
    }
  }
}

/** Takes every spilled event of this outbox (from any tab that closed) as lines, removing them. */
export function unspill(name: string): string[] {
  const out: string[] = [];
  const add = (x: unknown) => {
    const line = typeof x == 'string' ? x : (x as QueuedEvent | null)?.json;
    // Checked in full when read for sending; a line without an id cannot even be stored.
    if (typeof line == 'string' && idOf(line)) out.push(line);
  };
  try {
    for (const k of Object.keys(localStorage)) {
      if (!k.startsWith(spillPrefix(name))) continue;
      const v = localStorage.getItem(k) || '';
      try {
        // Spilled by 0.1.0: a JSON array of events.
        if (v[0] == '[') for (const r of JSON.parse(v)) itemsIn(r).forEach(add);
        else v.split('\n').forEach(add);
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
