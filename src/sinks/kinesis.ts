import type { KinesisClientConfig } from '@aws-sdk/client-kinesis';
import { makeError } from '../core/errors';
import type { QueuedEvent, SendContext, SendResult, Sink } from '../core/types';
import { MAX_RECORD_BYTES, MAX_RECORDS, MAX_REQUEST_BYTES } from './kinesis/limits';
import type { Sender } from './kinesis/sender';

/**
 * Options of {@link kinesisSink}.
 * @public
 */
export interface KinesisSinkOptions {
  /** The data stream's name. */
  streamName: string;
  /** The stream's AWS region, such as `'eu-west-1'`. */
  region: string;
  /**
   * Static credentials or any AWS SDK credential provider, typically
   * `fromCognitoIdentityPool({ identityPoolId, clientConfig: { region } })` from
   * `@aws-sdk/credential-providers`. The SDK calls a provider again before its credentials expire.
   */
  credentials: NonNullable<KinesisClientConfig['credentials']>;
  /** Another endpoint than `https://kinesis.<region>.amazonaws.com` (a VPC endpoint, kinesalite). */
  endpoint?: string;
  /**
   * The record's partition key: one for every record (one shard, in order), or a function of
   * the event. Records with one key go to one shard, in order.
   * @defaultValue the event's anonymous id, so each visitor's events stay in order
   */
  partitionKey?: string | ((event: QueuedEvent) => string);
  /**
   * Failed attempts after which a record is dropped (and reported). Without it a record is
   * retried until the queue's `maxAgeMs` expires it.
   * @defaultValue Infinity
   */
  maxAttempts?: number;
  /** Give up on a PutRecords request, the credential lookup included, after this long. @defaultValue 15000 */
  timeoutMs?: number;
  /**
   * Extra `KinesisClient` configuration, for example `{ requestHandler: new NodeHttpHandler() }`
   * in Node (the SDK's default HTTP/2 handler there cannot talk to kinesalite).
   */
  clientConfig?: Omit<KinesisClientConfig, 'region' | 'credentials' | 'endpoint' | 'maxAttempts'>;
  /**
   * A sink for the events still unsent when the page is hidden, typically
   * `httpSink({ url })` of a collector that puts them into the same stream with their
   * `eventId`s. Its request is CORS-simple, so it leaves a closing tab in every engine, where a
   * signed request needs a preflight that may not. With it, this sink sends nothing signed at
   * page hide.
   * @defaultValue none: a signed keepalive PutRecords at page hide (see the README for what
   * reaches the stream at tab close, per engine)
   */
  unload?: Sink;
}


// The AWS SDK is an optional peer dependency: say how to get it, not only that an import failed.
const missing = (e: unknown) =>
  `kinesis: ${/client-kinesis/.test(String(e)) ? '@aws-sdk/client-kinesis is not installed; clicktrail/kinesis needs it: npm install @aws-sdk/client-kinesis' : 'could not load the AWS SDK'} (${(e as Error)?.message || e})`;

/**
 * Delivers events to an Amazon Kinesis data stream with PutRecords: one record per event, its
 * `Data` the event's JSON and its partition key the anonymous id. Requests follow the service
 * limits (500 records and 5 MiB per request, 1 MiB per record). Records the service failed
 * (throttled, internal error) are retried alone, with backoff; expired credentials are renewed
 * and retried at once. The sink's code and the AWS SDK load with `import()` on the first flush.
 *
 * At page hide it starts a signed PutRecords with `fetch(..., { keepalive: true })`, signed
 * synchronously with the credentials of the last flush, or hands the events to the `unload`
 * sink when there is one. What neither gets out stays queued for the next page view.
 * @public
 */
export function kinesisSink(options: KinesisSinkOptions): Sink {
  const o = (options && typeof options === 'object' ? options : {}) as KinesisSinkOptions;
  let sender: Promise<Sender> | undefined;
  let ready: Sender | undefined;
  return {
    name: 'kinesis',
    // The core measures a batch in UTF-16 units; UTF-8 takes at most 3 bytes per unit, and each
    // record's partition key (up to 256 units) counts too. So every batch fits one request, and
    // a failed request never leaves records of the batch untried yet counted as attempted.
    limits: { maxEvents: MAX_RECORDS, maxBytes: Math.floor((MAX_REQUEST_BYTES - MAX_RECORDS * 768) / 3), maxEventBytes: MAX_RECORD_BYTES - 256 },
    async send(events: QueuedEvent[], ctx: SendContext): Promise<SendResult> {
      if (ctx.unload) {
        // Started before this returns: the page may be gone after. The signed request needs a
        // CORS preflight (Authorization, X-Amz-* headers): Chromium 156 and WebKitGTK 2.50 send
        // it and the POST from a closing tab, Firefox 153 drops both in about a third of closes
        // (kinesis-engines.e2e.test.ts). The unload sink, CORS-simple, is for that.
        const r = typeof o.unload?.send == 'function' ? o.unload.send(events, ctx) : ready?.hide(events);
        return r || { accepted: [] };
      }
      let send: Sender;
      try {
        send = ready || (await (sender ||= import('./kinesis/sender').then((m) => (ready = m.createSender(o, [MAX_RECORDS, MAX_REQUEST_BYTES, MAX_RECORD_BYTES])))));
      } catch (e) {
        sender = undefined; // a chunk that failed to load (offline) is fetched again next time
        return { accepted: [], error: makeError('sink_failed', missing(e)) };
      }
      try {
        return await send.send(events);
      } catch (e) {
        return { accepted: [], error: makeError('sink_failed', `kinesis: ${(e as Error)?.message || e}`) };
      }
    },
  };
}
