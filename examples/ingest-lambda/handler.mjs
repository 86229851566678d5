// The production ingest for clicktrail: an AWS Lambda behind an API Gateway HTTP API (payload
// format 2.0). It takes the SDK's batches (`{ sentAt, events }`, gzip or plain, base64 or not)
// and single events (httpSink format 'single'), checks every event, and writes the valid ones to
// a Kinesis data stream or, as one NDJSON object per batch, to S3. See README.md.
import { answer, bodyText, cors, eventsOf, preflight } from './lib/request.mjs';
import { invalidReason } from './lib/validate.mjs';

const DEFAULTS = { maxBodyBytes: 1_048_576, maxEvents: 500, maxEventBytes: 65_536 };

/**
 * Makes a handler. Options:
 * - `sink`: `{ kind: 'kinesis', client, streamName, attempts?, baseDelayMs? }` or
 *   `{ kind: 's3', client, bucket, prefix? }` (clients from @aws-sdk/client-kinesis / client-s3);
 * - `origins`: the shop origins CORS allows (`['https://shop.example']`; `['*']` for any);
 * - `maxBodyBytes` (1 MiB, checked before and after gunzip), `maxEvents` (500 per request),
 *   `maxEventBytes` (64 KiB per event);
 * - `log`: where problems are written (console by default).
 * @returns `async (event, context) => response` for API Gateway.
 */
export function createHandler(options) {
  const o = { ...DEFAULTS, origins: [], log: console, ...options };
  const { sink } = o;
  const write = sink.kind === 's3' ? writeS3(sink) : writeKinesis(sink);

  return async function handler(event, context) {
    const headers = Object.fromEntries(Object.entries(event.headers || {}).map(([k, v]) => [k.toLowerCase(), v]));
    const c = cors(headers, o.origins);
    const method = event.requestContext?.http?.method || 'POST';
    if (method === 'OPTIONS') return preflight(c);
    if (!c.allowed) return answer(403, { error: 'origin_not_allowed', message: `origin ${headers.origin} is not allowed` }, c.headers);
    if (method !== 'POST') return answer(405, { error: 'method_not_allowed' }, { ...c.headers, Allow: 'POST, OPTIONS' });

    let events;
    try {
      events = eventsOf(bodyText({ ...event, headers }, o.maxBodyBytes));
      if (events.length > o.maxEvents) throw Object.assign(new Error(`${events.length} events > ${o.maxEvents}`), { status: 413, code: 'too_many_events' });
      if (!events.length) throw Object.assign(new Error('no events in the body'), { status: 400, code: 'no_events' });
    } catch (e) {
      if (!e.status) throw e;
      o.log.warn(`[ingest] ${e.code}: ${e.message}`);
      return answer(e.status, { error: e.code, message: e.message }, c.headers);
    }

    const receivedAt = new Date();
    const requestId = event.requestContext?.requestId || context?.awsRequestId || String(receivedAt.getTime());
    const _ingest = { receivedAt: receivedAt.toISOString(), requestId };
    const rejected = [];
    const valid = [];
    events.forEach((e, index) => {
      const reason = invalidReason(e, Buffer.byteLength(JSON.stringify(e) ?? ''), o.maxEventBytes);
      if (reason) rejected.push({ index, eventId: typeof e?.eventId === 'string' ? e.eventId : null, reason });
      else valid.push({ key: e.anonymousId, line: JSON.stringify({ ...e, _ingest }) });
    });

    if (valid.length) {
      try {
        const failed = await write(valid, receivedAt, requestId);
        // The SDK sends the whole batch again after a 503; a duplicate has the same eventId.
        if (failed) return answer(503, { error: 'throttled', message: `${failed} of ${valid.length} records not stored` }, { ...c.headers, 'Retry-After': '1' });
      } catch (e) {
        o.log.error(`[ingest] write failed: ${e?.name}: ${e?.message}`);
        return answer(500, { error: 'sink_failed', message: 'the events could not be stored; send them again' }, c.headers);
      }
    }
    if (rejected.length) {
      o.log.warn(`[ingest] ${rejected.length} of ${events.length} events refused: ${rejected.slice(0, 3).map((r) => r.reason).join('; ')}`);
      return answer(400, { error: 'invalid_events', accepted: valid.length, rejected }, c.headers);
    }
    return answer(200, { accepted: valid.length }, c.headers);
  };
}

function writeKinesis({ client, streamName, attempts, baseDelayMs }) {
  const load = import('./lib/kinesis.mjs');
  return async (items) => (await load).putToKinesis(client, streamName, items, { attempts, baseDelayMs });
}

function writeS3({ client, bucket, prefix = '' }) {
  const load = import('./lib/s3.mjs');
  return async (items, date, requestId) => {
    const { objectKey, putToS3 } = await load;
    await putToS3(client, bucket, objectKey(prefix, date, requestId), items.map((i) => i.line));
    return 0;
  };
}

let fromEnv;
/**
 * The Lambda entry point (`handler.handler`), configured by environment variables: SINK
 * (`kinesis` or `s3`), STREAM_NAME or BUCKET (+ PREFIX), ALLOWED_ORIGINS (comma-separated),
 * MAX_BODY_BYTES, MAX_EVENTS, MAX_EVENT_BYTES. AWS_ENDPOINT_URL_KINESIS / _S3 point it elsewhere.
 */
export async function handler(event, context) {
  fromEnv ||= handlerFromEnv(process.env);
  return (await fromEnv)(event, context);
}

export async function handlerFromEnv(env) {
  // HTTP/1.1: the Kinesis client's default HTTP/2 handler is needed only for SubscribeToShard.
  const { NodeHttpHandler } = await import('@smithy/node-http-handler');
  const requestHandler = new NodeHttpHandler({ connectionTimeout: 2000, requestTimeout: 5000 });
  const num = (v) => (v ? Number(v) : undefined);
  let sink;
  if ((env.SINK || 'kinesis') === 's3') {
    const { S3Client } = await import('@aws-sdk/client-s3');
    sink = { kind: 's3', client: new S3Client({ requestHandler, forcePathStyle: !!env.AWS_ENDPOINT_URL_S3 }), bucket: env.BUCKET, prefix: env.PREFIX || '' };
  } else {
    const { KinesisClient } = await import('@aws-sdk/client-kinesis');
    sink = { kind: 'kinesis', client: new KinesisClient({ requestHandler }), streamName: env.STREAM_NAME };
  }
  const limits = { maxBodyBytes: num(env.MAX_BODY_BYTES), maxEvents: num(env.MAX_EVENTS), maxEventBytes: num(env.MAX_EVENT_BYTES) };
  for (const k of Object.keys(limits)) if (limits[k] === undefined) delete limits[k];
  const origins = (env.ALLOWED_ORIGINS || '').split(',').map((s) => s.trim()).filter(Boolean);
  return createHandler({ sink, origins, ...limits });
}
