// The page-hide path: one signed PutRecords started with fetch(..., { keepalive: true }) before
// send() returns, so it may outlive the page. Everything it needs (credentials, clock offset,
// the signing key) was made ready by the drains before; nothing here awaits before the fetch.
import { makeError } from '../../core/errors';
import type { SendResult } from '../../core/types';
import type { Entry } from './pack';
import { signKinesis, type Credentials } from './sigv4';

// Keepalive bodies in flight from this sink. Chromium and WebKit let a page keep at most 64 KiB
// of them and reject a fetch past that (fetch spec, "inflight keepalive bytes").
let inflight = 0;
const BUDGET = 6e4;

export interface UnloadTarget {
  streamName: string;
  endpoint: string;
  region: string;
}

/** Base64 of bytes, in slices (String.fromCharCode takes a bounded number of arguments). */
function base64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 8192) s += String.fromCharCode(...bytes.subarray(i, i + 8192));
  return btoa(s);
}

/**
 * Starts the request for as many entries, in order, as fit the keepalive budget; the others are
 * not accepted and stay queued. Undefined when nothing can be sent (no budget, no credentials).
 */
export function putAtUnload(t: UnloadTarget, entries: Entry[], c: Credentials | undefined, now: number): Promise<SendResult> | undefined {
  // Credentials that expire within a minute could be refused by the time the request lands.
  if (!c || (c.expiration && c.expiration.getTime() - now < 6e4)) return;
  const head = `{"StreamName":${JSON.stringify(t.streamName)},"Records":[`;
  let body = head;
  const sent: Entry[] = [];
  for (const e of entries) {
    // Non-ASCII in a partition key escaped, so the body is ASCII and its length is its size.
    const key = JSON.stringify(e.key).replace(/[^\0-~]/g, (c) => '\\u' + (c.charCodeAt(0) + 65536).toString(16).slice(1));
    const record = `${sent[0] ? ',' : ''}{"Data":"${base64(e.data)}","PartitionKey":${key}}`;
    if (inflight + body.length + record.length + 2 > BUDGET) break;
    body += record;
    sent.push(e);
  }
  if (!sent[0]) return;
  body += ']}';
  const size = body.length; // ASCII: characters are bytes
  const { url, headers } = signKinesis(t.endpoint, t.region, 'Kinesis_20131202.PutRecords', body, c, now);
  inflight += size;
  const fail = (detail: unknown): SendResult => ({ accepted: [], error: makeError('sink_failed', `kinesis stream "${t.streamName}" at page hide: ${detail}`) });
  return fetch(url, { method: 'POST', body, headers, keepalive: true })
    .then(async (r) => {
      const records: Array<{ SequenceNumber?: string }> = (r.ok && (await r.json()).Records) || [];
      const accepted = sent.filter((_, i) => records[i]?.SequenceNumber).map((e) => e.event.id);
      return accepted.length < sent.length ? { ...fail(`${sent.length - accepted.length} of ${sent.length} records not stored (HTTP ${r.status})`), accepted } : { accepted };
    }, fail)
    .finally(() => (inflight -= size));
}
