// Everything the Kinesis sink does past "is the page unloading?" lives here, loaded with the AWS
// SDK on the first flush, so the entry a page loads up front stays a few hundred bytes.
import { log, makeError } from '../../core/errors';
import type { ClicktrailError, QueuedEvent, SendResult } from '../../core/types';
import type { KinesisSinkOptions } from '../kinesis';
import { createPutter, type Putter } from './client';
import { entriesOf, pack, type Entry } from './pack';
import type { Credentials } from './sigv4';
import { putAtUnload } from './unload';

const KNOWN = ['streamName', 'region', 'credentials', 'endpoint', 'partitionKey', 'maxAttempts', 'timeoutMs', 'clientConfig', 'unload'];
// Answers that mean "sign again with fresh credentials or a corrected clock", not "this failed".
const STALE =
  /^(ExpiredToken(Exception)?|RequestExpired|InvalidSignatureException|UnrecognizedClientException|InvalidClientTokenId|IncompleteSignatureException|SignatureDoesNotMatch|RequestTimeTooSkewed)$/;
const INVALID = /^(ValidationException|InvalidArgumentException|SerializationException)$/;

const nameOf = (e: unknown): string => String((e as Error)?.name || 'Error');
const messageOf = (e: unknown): string => String((e as Error)?.message || e);

interface Outcome {
  accepted: string[];
  rejected: string[];
  /** Records sent and not stored, to be retried. */
  failed: Entry[];
  /** Why records were rejected. */
  notes: string[];
  error?: ClicktrailError;
  free?: boolean;
}

/** Checks the options once; a problem fails every send (events stay queued), never throws. */
function problemOf(o: KinesisSinkOptions): string {
  const { streamName, region, credentials, endpoint, partitionKey } = o;
  if (typeof streamName !== 'string' || !/^[\w.-]{1,128}$/.test(streamName))
    return `streamName must be 1-128 characters of [a-zA-Z0-9_.-], got ${JSON.stringify(streamName)}`;
  // With an endpoint (kinesalite, LocalStack) any region name signs; AWS itself has this form.
  if (typeof region !== 'string' || !(endpoint ? /^[\w-]+$/ : /^[a-z]+(-[a-z]+)+-\d+$/).test(region))
    return `region must be an AWS region such as 'us-east-1', got ${JSON.stringify(region)}`;
  if (!credentials || (typeof credentials !== 'object' && typeof credentials !== 'function'))
    return 'credentials are required (static keys or a provider such as fromCognitoIdentityPool)';
  if (endpoint !== undefined && typeof endpoint !== 'string') return 'endpoint must be a URL string';
  if (partitionKey !== undefined && typeof partitionKey !== 'function' && typeof partitionKey !== 'string')
    return 'partitionKey must be a string or a function of the event';
  if (o.unload !== undefined && typeof o.unload?.send !== 'function') return 'unload must be a sink, such as httpSink({ url })';
  return '';
}

export interface Sender {
  send(events: QueuedEvent[]): Promise<SendResult>;
  /** The page-hide request, started before this returns; undefined when it cannot be signed now. */
  hide(events: QueuedEvent[]): Promise<SendResult> | undefined;
}
/** Records per request, bytes per request, bytes per record. */
export type Limits = [number, number, number];

/** `limits` come from the entry, so this chunk shares no module with it but the core's. */
export function createSender(o: KinesisSinkOptions, limits: Limits): Sender {
  const [maxRecords, maxRequestBytes, maxRecordBytes] = limits;
  const { streamName, region, credentials, endpoint, partitionKey, clientConfig } = o;
  const maxAttempts = typeof o.maxAttempts === 'number' && o.maxAttempts > 0 ? o.maxAttempts : Infinity;
  const timeoutMs = typeof o.timeoutMs === 'number' && o.timeoutMs > 0 ? o.timeoutMs : 15_000;
  const where = `kinesis stream "${streamName}" in ${region}`;
  const problem = problemOf(o);
  for (const k of Object.keys(o)) if (!KNOWN.includes(k)) log('warn', `kinesisSink: unknown option "${k}" ignored`);

  // The provider's own failure, told apart from the SDK's errors by identity.
  let providerError: unknown;
  // The credentials the drains signed with, kept for the page-hide request, which cannot wait for
  // a provider (see unload.ts).
  let identity = (typeof credentials === 'object' ? credentials : undefined) as Credentials | undefined;
  const provider: KinesisSinkOptions['credentials'] =
    typeof credentials === 'function'
      ? async (p) => {
          try {
            return (identity = (await credentials(p)) as Credentials);
          } catch (e) {
            throw (providerError = e);
          }
        }
      : credentials;

  let putter: Putter | undefined;
  let offset = 0;
  const client = () =>
    (putter ||= createPutter(streamName, {
      ...clientConfig,
      region,
      credentials: provider,
      endpoint,
      // Retries are ours, per record and shared with every tab; the SDK's would resend records
      // that succeeded and hold the flush lock while it sleeps.
      maxAttempts: 1,
      systemClockOffset: offset,
    }));
  // A new client calls the credential provider again (the SDK caches identities per client);
  // the clock offset it learnt from a skewed answer is kept.
  const renew = () => {
    offset = putter?.offset() || offset;
    putter = undefined;
  };

  const fail = (message: string): ClicktrailError => makeError('sink_failed', `${where}: ${message}`);

  /** Sends one request; false when some of its records are still to be retried. */
  async function put(group: Entry[], out: Outcome, depth = 0): Promise<boolean> {
    const ctl = typeof AbortController === 'function' ? new AbortController() : undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let res;
    try {
      res = await Promise.race([
        client().put(
          group.map((e) => ({ Data: e.data, PartitionKey: e.key })),
          ctl?.signal,
        ),
        // The signal reaches the HTTP request only: a credential provider that never answers
        // (a stalled Cognito call) would hold the flush lock of every tab. The next client asks
        // the provider again.
        new Promise<never>((_, no) => {
          timer = setTimeout(() => {
            ctl?.abort();
            renew();
            no(Object.assign(new Error('timed out'), { name: 'AbortError' }));
          }, timeoutMs);
        }),
      ]);
    } catch (err) {
      const name = nameOf(err);
      if (providerError !== undefined && err === providerError) {
        providerError = undefined;
        renew();
        out.error = fail(`could not get AWS credentials: ${messageOf(err)}`);
      } else if (STALE.test(name)) {
        renew();
        out.free = true;
        out.error = fail(`${name}, retrying with fresh credentials: ${messageOf(err)}`);
      } else if (INVALID.test(name)) {
        // AWS names bad records by their 1-based index: "Value at 'records.3.member.data' ...".
        const bad = new Set([...messageOf(err).matchAll(/records\.(\d+)\.member/g)].map((m) => Number(m[1]) - 1));
        if (bad.size && depth < 3) {
          out.rejected.push(...group.filter((_, i) => bad.has(i)).map((e) => e.event.id));
          out.notes.push(`${name}: ${messageOf(err)}`);
          const rest = group.filter((_, i) => !bad.has(i));
          return !rest.length || put(rest, out, depth + 1);
        }
        // Not pinned on a record (a bad stream name, say): the events wait for a fix.
        out.error = fail(`${name}: ${messageOf(err)}`);
      } else {
        out.error = fail(name === 'AbortError' ? `no answer within ${timeoutMs} ms` : `${name}: ${messageOf(err)}`);
      }
      out.failed.push(...group);
      return false;
    } finally {
      clearTimeout(timer);
    }
    const records = res.Records || [];
    const codes: Record<string, string> = {};
    let n = 0;
    group.forEach((e, i) => {
      const r = records[i];
      if (r?.SequenceNumber) out.accepted.push(e.event.id);
      else {
        n++;
        out.failed.push(e);
        codes[r?.ErrorCode || 'NoAnswer'] ||= r?.ErrorMessage || '';
      }
    });
    if (!n) return true;
    // Throttled records (ProvisionedThroughputExceededException, KMSThrottlingException) and
    // InternalFailure stay out of `accepted`: the core backs off with jitter, then sends only them.
    const detail = Object.entries(codes).map(([c, m]) => (m ? `${c} (${m})` : c)).join(', ');
    out.error = fail(`${n} of ${group.length} records failed: ${detail}`);
    return false;
  }

  const target = {
    streamName,
    region,
    // The SDK's default endpoint: https://docs.aws.amazon.com/general/latest/gr/ak.html
    endpoint: endpoint || `https://kinesis.${region}.amazonaws.com${region.startsWith('cn-') ? '.cn' : ''}`,
  };
  const hide: Sender['hide'] = (events) => {
    if (problem) return;
    const out: Outcome = { accepted: [], rejected: [], failed: [], notes: [] };
    return putAtUnload(target, entriesOf(events, partitionKey, maxRecordBytes, out), identity, Date.now() + (putter?.offset() || offset));
  };

  const send: Sender['send'] = async (events) => {
    if (problem) return { accepted: [], error: makeError('invalid_option', `kinesisSink: ${problem}`) };
    const out: Outcome = { accepted: [], rejected: [], failed: [], notes: [] };
    const entries = entriesOf(events, partitionKey, maxRecordBytes, out);
    const groups = pack(entries, maxRecords, maxRequestBytes);
    let i = 0;
    // One request at a time, stopping at the first failure, so a visitor's later events do not
    // overtake earlier ones still to be retried (a shard keeps records in arrival order).
    while (i < groups.length && (await put(groups[i], out))) i++;
    if (!out.free && maxAttempts < Infinity) {
      const spent = out.failed.filter((e) => (e.event.tries || 0) + 1 >= maxAttempts);
      if (spent.length) {
        out.rejected.push(...spent.map((e) => e.event.id));
        out.notes.push(`${spent.length} records failed ${maxAttempts} times and are dropped`);
      }
    }
    let error = out.error;
    if (out.notes.length) {
      const note = out.notes.join('; ');
      if (error) error.message += `; ${note}`;
      else error = makeError('sink_rejected', `${where}: ${note}`);
    }
    return { accepted: out.accepted, rejected: out.rejected, error, free: out.free };
  };
  return { send, hide };
}
