import type { QueuedEvent } from '../core/types';

// A closing tab aborts IndexedDB transactions that have not committed yet, so events tracked a
// moment before the close would be lost if the page-hide request failed too. localStorage is
// the one synchronous store: such events are spilled there at page hide, under a key of this
// tab's own, and moved into the queue by the next page view of any tab.

const PREFIX = 'clicktrail-spill:';

/** Saves events whose IndexedDB write had not completed at page hide; none clears the entry. */
export function spill(name: string, tab: string, events: QueuedEvent[]): void {
  const key = PREFIX + name + ':' + tab;
  try {
    localStorage.removeItem(key);
  } catch {
    // blocked: the page-hide request is all these events have
  }
  // As many as fit when localStorage is nearly full (a big burst is about 1 KB per event).
  for (let n = events.length; n; n >>= 1) {
    try {
      return localStorage.setItem(key, JSON.stringify(events.slice(0, n)));
    } catch {
      // full: try half as many
    }
  }
}

/** Takes every spilled event of this queue (from any tab that closed), removing them. */
export function unspill(name: string): QueuedEvent[] {
  const out: QueuedEvent[] = [];
  try {
    for (const k of Object.keys(localStorage)) {
      if (!k.startsWith(PREFIX + name + ':')) continue;
      try {
        out.push(...(JSON.parse(localStorage.getItem(k)!) as QueuedEvent[]).filter((e) => e?.id && e.json));
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
