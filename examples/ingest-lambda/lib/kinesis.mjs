// Writes events to a Kinesis data stream with PutRecords: requests within its limits (500
// records, 5 MB), and only the records Kinesis failed (throttling) sent again, with backoff.
import { PutRecordsCommand } from '@aws-sdk/client-kinesis';

const MAX_RECORDS = 500;
const MAX_REQUEST_BYTES = 5 * 1024 * 1024;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Splits records, in order, into PutRecords requests within the record and byte limits. */
function chunks(records) {
  const out = [];
  let group = [];
  let bytes = 0;
  for (const r of records) {
    const size = r.Data.length + Buffer.byteLength(r.PartitionKey);
    if (group.length === MAX_RECORDS || (group.length && bytes + size > MAX_REQUEST_BYTES)) {
      out.push(group);
      group = [];
      bytes = 0;
    }
    group.push(r);
    bytes += size;
  }
  if (group.length) out.push(group);
  return out;
}

/**
 * Puts `lines` (one JSON text per event, with its partition key) into the stream. Resolves to
 * the number of records still failed after `attempts` tries (0 when all are stored); a
 * request-level error (a 5xx, a timeout) is retried like a failed record.
 */
export async function putToKinesis(client, streamName, items, { attempts = 4, baseDelayMs = 100 } = {}) {
  let pending = items.map(({ key, line }) => ({ PartitionKey: key, Data: Buffer.from(line + '\n') }));
  for (let attempt = 0; attempt < attempts && pending.length; attempt++) {
    // Full jitter, as the SDK's own backoff: throttled shards get room, retries do not align.
    if (attempt) await sleep(Math.random() * baseDelayMs * 2 ** attempt);
    const failed = [];
    for (const group of chunks(pending)) {
      try {
        const res = await client.send(new PutRecordsCommand({ StreamName: streamName, Records: group }));
        if (res.FailedRecordCount) res.Records.forEach((r, i) => r.ErrorCode && failed.push(group[i]));
      } catch (e) {
        // Errors that retrying cannot fix (no stream, no permission) fail fast.
        if (e?.name === 'ResourceNotFoundException' || e?.name === 'AccessDeniedException' || e?.$metadata?.httpStatusCode === 400) throw e;
        failed.push(...group);
      }
    }
    pending = failed;
  }
  return pending.length;
}
