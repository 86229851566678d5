import { itemsIn, sizeUp } from './record';

export interface Caps {
  maxEvents: number;
  maxBytes: number;
  maxAgeMs: number;
}

export interface Trim {
  /** Ids to drop, and the keys of the records that hold them. */
  ids: Set<string>;
  keys: string[];
  expired: number;
  overflow: number;
  /** JSON characters kept. */
  kept: number;
}

/**
 * What the caps drop from the stored records: events older than `maxAgeMs`, then, newest kept
 * first, everything older than what fits `maxEvents` and 95% of `maxBytes` (trimming to the cap
 * itself would read the whole store again at the next write).
 */
export function overCaps(rows: [string, unknown][], caps: Caps, now = Date.now()): Trim {
  const out: Trim = { ids: new Set(), keys: [], expired: 0, overflow: 0, kept: 0 };
  const cutoff = now - caps.maxAgeMs;
  let n = 0;
  for (let r = rows.length; r--; ) {
    const items = itemsIn(rows[r][1]);
    let hit = false;
    for (let i = items.length; i--; ) {
      const m = sizeUp(items[i]);
      if (!m) continue; // unreadable: the drain drops and reports it
      const [id, time, chars] = m;
      if (time < cutoff) out.expired++;
      else if (!out.overflow && ++n <= caps.maxEvents && out.kept + chars <= caps.maxBytes * 0.95) {
        out.kept += chars;
        continue;
      } else out.overflow++;
      out.ids.add(id);
      hit = true;
    }
    if (hit) out.keys.push(rows[r][0]);
  }
  return out;
}
