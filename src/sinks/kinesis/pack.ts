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
