import type { QueuedEvent } from '../../core/types';
import { MAX_RECORDS, MAX_REQUEST_BYTES } from './limits';

/** One event ready for PutRecords, with its size as Kinesis counts it (data + partition key). */
export interface Entry {
  event: QueuedEvent;
  key: string;
  data: Uint8Array;
  size: number;
}

/** Splits entries, in order, into requests of at most 500 records and 5 MiB. */
export function pack(entries: Entry[]): Entry[][] {
  const groups: Entry[][] = [];
  let group: Entry[] = [];
  let bytes = 0;
  for (const e of entries) {
    if (group.length === MAX_RECORDS || (group.length && bytes + e.size > MAX_REQUEST_BYTES)) {
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
