import type { QueuedEvent } from '../../core/types';

/** One event ready for PutRecords, with its size as Kinesis counts it (data + partition key). */
export interface Entry {
  event: QueuedEvent;
  key: string;
  data: Uint8Array;
  size: number;
}

/** Splits entries, in order, into requests of at most `maxRecords` records and `maxBytes` bytes. */
export function pack(entries: Entry[], maxRecords: number, maxBytes: number): Entry[][] {
  const groups: Entry[][] = [];
  let group: Entry[] = [];
  let bytes = 0;
  for (const e of entries) {
    if (group.length === maxRecords || (group.length && bytes + e.size > maxBytes)) {
      groups.push(group);
      group = [];
      bytes = 0;
    }
    group.push(e);
    bytes += e.size;
  }
  if (group.length) groups.push(group);
  return groups;
}

const encoder = new TextEncoder();

/** What entriesOf reports about events it leaves out. */
export interface Rejects {
  rejected: string[];
  notes: string[];
}

/**
 * One entry per event with its partition key; events that would fail the same way on every
 * attempt (a bad key, a record over `maxRecordBytes`) go to `out` instead, dropped and reported.
 */
export function entriesOf(events: QueuedEvent[], partitionKey: string | ((e: QueuedEvent) => string) | undefined, maxRecordBytes: number, out: Rejects): Entry[] {
  const entries: Entry[] = [];
  for (const event of events) {
    let key: unknown = event.aid;
    let why = '';
    try {
      if (partitionKey) key = typeof partitionKey === 'string' ? partitionKey : partitionKey(event);
      if (typeof key === 'number') key = String(key);
    } catch (e) {
      why = `partitionKey threw: ${String((e as Error)?.message || e)}`;
    }
    const data = encoder.encode(event.json);
    if (!why && (typeof key !== 'string' || !key || key.length > 256)) {
      why = `partition key must be a string of 1-256 characters, got ${typeof key === 'string' ? key.length + ' characters' : typeof key}`;
    }
    const size = data.length + (why ? 0 : encoder.encode(key as string).length);
    if (!why && size > maxRecordBytes) why = `record is ${size} bytes; Kinesis takes at most ${maxRecordBytes}`;
    if (why) {
      out.rejected.push(event.id);
      out.notes.push(`event ${event.id}: ${why}`);
    } else entries.push({ event, key: key as string, data, size });
  }
  return entries;
}
