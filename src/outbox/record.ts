import type { QueuedEvent } from '../core/types';

/**
 * The one stored form of the outbox: a record holds the JSON of the events of one write (one
 * task), one event per line, keyed by its first event's id, so key order is capture order. One
 * string rather than an array of objects: IndexedDB copies it in one piece (structured clone of
 * 10,000 event objects held the page for over 150 ms in Chromium), and an acknowledgement rewrites
 * it as cheaply. `v` is the format, 3 for this one (2 was never released). Queues of 0.1.0 stay
 * readable: format 1, the event object itself, one per record.
 */
export interface StoredRecord {
  v: 3;
  e: string;
}

export const FORMAT = 3;

// The outbox splits a write at the batch limits, so that acknowledging a batch deletes whole
// records rather than rewriting them; this bounds records written without limits (the spill's).
const MAX_CHARS = 1 << 17;

// Every event's JSON starts with its id (src/core/envelope.ts): read without parsing.
const HEAD = '{"eventId":"';

/**
 * Lines of event JSON, each starting with its id → [key, record] pairs of at most `max` lines and
 * `maxChars` (one line may be more).
 */
export function toRecords(lines: string[], max = Infinity, maxChars = MAX_CHARS): [string, StoredRecord][] {
  const out: [string, StoredRecord][] = [];
  let part: string[] = [];
  let chars = 0;
  const close = () => part[0] && out.push([idOf(part[0])!, { v: FORMAT, e: part.join('\n') }]);
  for (const l of lines) {
    if (part[0] && (chars + l.length > maxChars || part.length >= max)) close(), (part = []), (chars = 0);
    chars += part.push(l) && l.length + 1;
  }
  close();
  return out;
}

/** What a stored value holds: lines of JSON (format 3) or an event object (1); [] for anything else. */
export function itemsIn(raw: unknown): unknown[] {
  const r = raw as { v?: unknown; e?: unknown; json?: unknown } | null;
  if (r && r.v === FORMAT && typeof r.e == 'string') return r.e ? r.e.split('\n') : [];
  return r && r.json !== undefined ? [r] : [];
}

/** An item's event id, without parsing it; undefined when it has none. */
export function idOf(x: unknown): string | undefined {
  if (typeof x == 'string') return x.startsWith(HEAD) ? x.slice(12, 48) : undefined;
  const id = (x as QueuedEvent | null)?.id;
  return typeof id == 'string' ? id : undefined;
}

/**
 * The capture time of a line: its timestamp, found without parsing (a name or a property
 * cannot fake it: their quotes are escaped), else the milliseconds its UUIDv7 starts with.
 */
const timeOfLine = (line: string, id: string) => Date.parse((STAMP.exec(line) || '')[1]) || parseInt(id.slice(0, 8) + id.slice(9, 13), 16);
const STAMP = /"timestamp":"([^"]*)"/;

/** [id, capture time, JSON characters] of an item, without parsing it. */
export function sizeUp(x: unknown): [string, number, number] | undefined {
  const id = idOf(x);
  if (!id) return;
  if (typeof x == 'string') return [id, timeOfLine(x, id), x.length];
  const e = x as QueuedEvent;
  return typeof e.json == 'string' ? [id, e.time, e.json.length] : undefined;
}

/**
 * A stored item as an event that may be sent, or undefined. Any script of the origin can write
 * the database or the spill, so its JSON is parsed and must be one object whose `eventId` is the
 * item's id, never spliced into a body unchecked.
 */
export function toEvent(x: unknown): QueuedEvent | undefined {
  const id = idOf(x);
  const q = x as QueuedEvent;
  const json = typeof x == 'string' ? x : q.json;
  if (!id || typeof json != 'string') return;
  try {
    const o = JSON.parse(json);
    if (!o || typeof o != 'object' || Array.isArray(o) || o.eventId !== id || typeof o.name != 'string') return;
    if (typeof x == 'string') return { id, json, time: timeOfLine(json, id), aid: typeof o.anonymousId == 'string' ? o.anonymousId : '' };
    return typeof q.time == 'number' && typeof q.aid == 'string' ? q : undefined;
  } catch {
    return;
  }
}
