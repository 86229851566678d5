import type { QueuedEvent } from '../core/types';

/**
 * The one stored form of the outbox: a record holds the events of one write (one task), keyed by
 * its first event's id, so key order is capture order. `v` is the format: 2 is this one. A
 * record without `v` is format 1 (up to 0.1.0): one event per record, the event itself.
 */
export interface StoredRecord {
  v: 2;
  e: QueuedEvent[];
}

export const FORMAT = 2;

/** Records of at most this many JSON characters: one task's burst is split only when very large. */
const MAX_CHARS = 1 << 20;

/** Events → records of at most about 1 MB each. */
export function toRecords(events: QueuedEvent[]): StoredRecord[] {
  const out: StoredRecord[] = [];
  let chars = MAX_CHARS;
  for (const e of events) {
    if ((chars += e.json.length) > MAX_CHARS) out.push({ v: FORMAT, e: [] }), (chars = e.json.length);
    out[out.length - 1].e.push(e);
  }
  return out;
}

export const keyOf = (r: StoredRecord): string => r.e[0].id;

/**
 * A stored event that may be sent: any script of the origin can write the database or the
 * spill, so its JSON is parsed and must be one object whose `eventId` is the record's id, never
 * spliced into a body unchecked.
 */
export function isEvent(e: unknown): e is QueuedEvent {
  const q = e as QueuedEvent;
  if (!q || typeof q.id != 'string' || typeof q.json != 'string' || typeof q.time != 'number' || typeof q.aid != 'string') return false;
  try {
    const o = JSON.parse(q.json);
    return !!o && typeof o == 'object' && !Array.isArray(o) && o.eventId === q.id && typeof o.name == 'string';
  } catch {
    return false;
  }
}

/** The events a stored value holds, in either format; `[]` for anything else. */
export function eventsIn(raw: unknown): unknown[] {
  const r = raw as StoredRecord | null;
  if (r && r.v === FORMAT && Array.isArray(r.e)) return r.e;
  // Format 1: the event itself.
  return r && (r as unknown as QueuedEvent).json !== undefined ? [r] : [];
}
