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
}


/**
 * Delivers events to an Amazon Kinesis data stream with PutRecords: one record per event, its
 * `Data` the event's JSON and its partition key the anonymous id. Requests follow the service
 * limits (500 records and 5 MiB per request, 1 MiB per record). Records the service failed
 * (throttled, internal error) are retried alone, with backoff; expired credentials are renewed
 * and retried at once. The sink's code and the AWS SDK load with `import()` on the first flush.
 *
 * Signed requests need a CORS preflight, which cannot complete while a page unloads: at unload
 * this sink sends nothing, and the events go from the queue on the next page view.
 * @public
 */
export function kinesisSink(options: KinesisSinkOptions): Sink {
  const o = (options && typeof options === 'object' ? options : {}) as KinesisSinkOptions;
  let sender: Promise<Sender> | undefined;
  return {
    name: 'kinesis',
    // The core measures a batch in UTF-16 units; UTF-8 takes at most 3 bytes per unit, and each
    // record's partition key (up to 256 units) counts too. So every batch fits one request, and
    // a failed request never leaves records of the batch untried yet counted as attempted.
    limits: { maxEvents: MAX_RECORDS, maxBytes: Math.floor((MAX_REQUEST_BYTES - MAX_RECORDS * 768) / 3), maxEventBytes: MAX_RECORD_BYTES - 256 },
    async send(events: QueuedEvent[], ctx: SendContext): Promise<SendResult> {
      // A signed PutRecords is not CORS-simple (Authorization, X-Amz-* headers): it needs a
      // preflight, after an async credential lookup and signing, none of which a page that is
      // unloading lives to finish (and keepalive preflights long failed in Chromium:
      // https://crbug.com/835821). The events stay queued and go from the next page view.
      if (ctx.unload) return { accepted: [] };
      let send: Sender;
      try {
        send = await (sender ||= import('./kinesis/sender').then((m) => m.createSender(o, [MAX_RECORDS, MAX_REQUEST_BYTES, MAX_RECORD_BYTES])));
      } catch (e) {
        sender = undefined; // a chunk that failed to load (offline) is fetched again next time
        return { accepted: [], error: makeError('sink_failed', `kinesis: could not load the AWS SDK: ${(e as Error)?.message || e}`) };
      }
      try {
        return await send(events);
      } catch (e) {
        return { accepted: [], error: makeError('sink_failed', `kinesis: ${(e as Error)?.message || e}`) };
      }
    },
  };
}
