import { randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { CREDENTIALS, REGION, nodeClient, startKinesalite, startThrottlingProxy, type Kinesalite } from '../support/kinesalite';
import { startS3, type LocalS3 } from '../support/s3rver';
// @ts-expect-error plain JavaScript module without types
import { createHandler as create } from '../../examples/ingest-lambda/handler.mjs';

type Result = { statusCode: number; headers: Record<string, string>; body: string };
type Handler = (event: object, context?: object) => Promise<Result>;
const createHandler = create as (options: object) => Handler;
const quiet = { warn: () => undefined, error: () => undefined };
const SHOP = 'https://shop.example';

let n = 0;
const envelope = (over: Record<string, unknown> = {}) => ({
  eventId: randomUUID(),
  name: 'add_to_cart',
  type: 'track',
  timestamp: new Date().toISOString(),
  anonymousId: `anon-${(n++ % 3) + 1}`,
  userId: null,
  sessionId: randomUUID(),
  seq: n,
  page: { url: 'https://shop.example/p/1', path: '/p/1', title: 'Kettle', referrer: '' },
  properties: { items: [{ item_id: 'p-kettle', quantity: 1 }] },
  ...over,
});

/** An API Gateway HTTP API (payload 2.0) event, as AWS hands it to the Lambda. */
const apiEvent = (body: string | Buffer, o: { method?: string; headers?: Record<string, string>; base64?: boolean } = {}) => {
  const base64 = o.base64 ?? Buffer.isBuffer(body);
  return {
    version: '2.0',
    routeKey: 'POST /v1/events',
    rawPath: '/v1/events',
    headers: { 'content-type': 'text/plain;charset=UTF-8', ...o.headers },
    requestContext: { http: { method: o.method || 'POST', path: '/v1/events' }, requestId: randomUUID() },
    body: base64 ? Buffer.from(body).toString('base64') : String(body),
    isBase64Encoded: base64,
  };
};
const batch = (events: unknown[]) => JSON.stringify({ sentAt: new Date().toISOString(), events });

describe('examples/ingest-lambda into Kinesis (kinesalite)', () => {
  let k: Kinesalite;
  let stream = 0;
  beforeAll(async () => {
    k = await startKinesalite();
  });
  afterAll(() => k?.close());
  const newStream = async () => {
    const name = `ingest-${++stream}`;
    await k.createStream(name, 2);
    return name;
  };
  const stored = async (name: string) => (await k.readAll(name)).map((r) => ({ key: r.partitionKey, event: JSON.parse(r.data) }));

  it('stores every event of a batch as one record, keyed by anonymousId, with _ingest added', async () => {
    const name = await newStream();
    const handler = createHandler({ sink: { kind: 'kinesis', client: k.client, streamName: name }, origins: [SHOP], log: quiet });
    const events = [envelope(), envelope({ name: 'page_view', type: 'page', properties: {} }), envelope({ userId: 'u-1' })];
    const res = await handler(apiEvent(batch(events)));
    expect([res.statusCode, JSON.parse(res.body)]).toEqual([200, { accepted: 3 }]);
    const records = await stored(name);
    expect(records.map((r) => r.event.eventId).sort()).toEqual(events.map((e) => e.eventId).sort());
    for (const r of records) {
      const sent = events.find((e) => e.eventId === r.event.eventId)!;
      expect(r.key).toBe(sent.anonymousId);
      expect(r.event).toEqual({ ...sent, _ingest: { receivedAt: expect.any(String), requestId: expect.any(String) } });
    }
  });

  it('reads gzip bodies base64-encoded by API Gateway, with or without Content-Encoding, and single events', async () => {
    const name = await newStream();
    const handler = createHandler({ sink: { kind: 'kinesis', client: k.client, streamName: name }, log: quiet });
    const a = [envelope(), envelope()];
    const b = envelope();
    const c = envelope();
    const gz = gzipSync(batch(a));
    expect((await handler(apiEvent(gz, { headers: { 'content-encoding': 'gzip' } }))).statusCode).toBe(200);
    expect((await handler(apiEvent(gzipSync(JSON.stringify(b))))).statusCode).toBe(200); // no header: the magic bytes
    expect((await handler(apiEvent(JSON.stringify(c), { base64: true }))).statusCode).toBe(200); // format 'single'
    expect((await stored(name)).map((r) => r.event.eventId).sort()).toEqual([...a, b, c].map((e) => e.eventId).sort());
  });

  it('answers 400 naming each bad event and why, and keeps the valid events of the same batch', async () => {
    const name = await newStream();
    const handler = createHandler({ sink: { kind: 'kinesis', client: k.client, streamName: name }, log: quiet, maxEventBytes: 2_000 });
    const good = [envelope(), envelope()];
    const bad: unknown[] = [
      envelope({ eventId: 'not-a-uuid' }),
      envelope({ name: '' }),
      envelope({ timestamp: 'yesterday' }),
      envelope({ anonymousId: undefined }),
      envelope({ properties: [1, 2] }),
      envelope({ properties: { text: 'x'.repeat(3_000) } }),
      'a string',
    ];
    const res = await handler(apiEvent(batch([bad[0], good[0], ...bad.slice(1), good[1]])));
    expect(res.statusCode).toBe(400);
    const body = JSON.parse(res.body);
    expect(body.accepted).toBe(2);
    expect(body.rejected.map((r: { index: number; reason: string }) => [r.index, r.reason])).toEqual([
      [0, 'eventId is not a UUID'],
      [2, 'name is not a string of 1-255 characters'],
      [3, 'timestamp is not an ISO 8601 date'],
      [4, 'anonymousId is missing'],
      [5, 'properties is not an object'],
      [6, expect.stringMatching(/^event of 3\d{3} bytes > 2000$/)],
      [7, 'not an object'],
    ]);
    expect(body.rejected[1].eventId).toBe((bad[1] as { eventId: string }).eventId);
    expect((await stored(name)).map((r) => r.event.eventId).sort()).toEqual(good.map((e) => e.eventId).sort());
  });

  it('refuses bodies over the limits, before and after gunzip, and batches with too many events', async () => {
    const name = await newStream();
    const handler = createHandler({ sink: { kind: 'kinesis', client: k.client, streamName: name }, log: quiet, maxBodyBytes: 20_000, maxEvents: 5 });
    const big = batch([envelope({ properties: { text: 'x'.repeat(30_000) } })]);
    const bomb = gzipSync(Buffer.alloc(5_000_000, 32)); // 5 MB of spaces, about 5 KB gzipped
    expect(bomb.length).toBeLessThan(20_000);
    const answers = await Promise.all([
      handler(apiEvent(big)),
      handler(apiEvent(bomb, { headers: { 'content-encoding': 'gzip' } })),
      handler(apiEvent(batch(Array.from({ length: 6 }, () => envelope())))),
      handler(apiEvent('{"events": [')),
      handler(apiEvent(Buffer.from('not gzip at all'), { headers: { 'content-encoding': 'gzip' } })),
    ]);
    expect(answers.map((r) => [r.statusCode, JSON.parse(r.body).error])).toEqual([
      [413, 'payload_too_large'],
      [413, 'payload_too_large'],
      [413, 'too_many_events'],
      [400, 'bad_json'],
      [400, 'bad_gzip'],
    ]);
    expect(await stored(name)).toEqual([]);
  });

  it('answers CORS for the configured shop origins only, and stores nothing from another origin', async () => {
    const name = await newStream();
    const handler = createHandler({ sink: { kind: 'kinesis', client: k.client, streamName: name }, origins: [SHOP, 'https://www.shop.example'], log: quiet });
    const pre = await handler(apiEvent('', { method: 'OPTIONS', headers: { origin: SHOP, 'access-control-request-method': 'POST' } }));
    expect(pre.statusCode).toBe(204);
    expect(pre.headers['Access-Control-Allow-Origin']).toBe(SHOP);
    expect(pre.headers['Access-Control-Allow-Headers']).toMatch(/Content-Encoding/);
    const ok = await handler(apiEvent(batch([envelope()]), { headers: { origin: SHOP } }));
    expect([ok.statusCode, ok.headers['Access-Control-Allow-Origin'], ok.headers['Access-Control-Expose-Headers']]).toEqual([200, SHOP, 'Retry-After']);
    const evilPre = await handler(apiEvent('', { method: 'OPTIONS', headers: { origin: 'https://evil.example' } }));
    expect([evilPre.statusCode, evilPre.headers['Access-Control-Allow-Origin']]).toEqual([403, undefined]);
    const evil = await handler(apiEvent(batch([envelope()]), { headers: { origin: 'https://evil.example' } }));
    expect([evil.statusCode, JSON.parse(evil.body).error]).toEqual([403, 'origin_not_allowed']);
    expect(await stored(name)).toHaveLength(1);
  });

  it('sends again only the records Kinesis throttled, and stores each event once', async () => {
    const name = await newStream();
    const proxy = await startThrottlingProxy(k.url, { throttleShare: 0.3, seed: 7 });
    try {
      const handler = createHandler({ sink: { kind: 'kinesis', client: nodeClient(proxy.url), streamName: name, baseDelayMs: 5, attempts: 8 }, log: quiet });
      const events = Array.from({ length: 50 }, () => envelope());
      const res = await handler(apiEvent(batch(events)));
      expect(res.statusCode).toBe(200);
      expect(proxy.throttled).toBeGreaterThan(0);
      expect(proxy.putRecords[0]).toBe(50);
      expect(proxy.putRecords.slice(1).every((x) => x < 50)).toBe(true);
      const ids = (await stored(name)).map((r) => r.event.eventId).sort();
      expect(ids).toEqual(events.map((e) => e.eventId).sort());
    } finally {
      await proxy.close();
    }
  });

  it('answers 503 with Retry-After when Kinesis keeps throttling, and 500 when the stream is missing', async () => {
    const name = await newStream();
    const proxy = await startThrottlingProxy(k.url, { throttleShare: 1 });
    try {
      const client = new KinesisClient({ region: REGION, credentials: CREDENTIALS, endpoint: proxy.url, requestHandler: new NodeHttpHandler(), maxAttempts: 1 });
      const handler = createHandler({ sink: { kind: 'kinesis', client, streamName: name, baseDelayMs: 1, attempts: 3 }, log: quiet });
      const res = await handler(apiEvent(batch([envelope(), envelope()])));
      expect([res.statusCode, res.headers['Retry-After'], JSON.parse(res.body).error]).toEqual([503, '1', 'throttled']);
      expect(proxy.putRecords).toEqual([2, 2, 2]);
      const missing = createHandler({ sink: { kind: 'kinesis', client: k.client, streamName: 'no-such-stream' }, log: quiet });
      const r2 = await missing(apiEvent(batch([envelope()])));
      expect([r2.statusCode, JSON.parse(r2.body).error]).toEqual([500, 'sink_failed']);
    } finally {
      await proxy.close();
    }
  });
});

describe('examples/ingest-lambda into S3 (s3rver)', () => {
  let s3: LocalS3;
  beforeAll(async () => {
    s3 = await startS3('clickstream');
  });
  afterAll(() => s3?.close());

  it('writes one NDJSON object per batch under dt=YYYY-MM-DD/hour=HH/, without the refused events', async () => {
    const handler = createHandler({ sink: { kind: 's3', client: s3.client, bucket: 'clickstream', prefix: 'raw/' }, log: quiet });
    const first = [envelope(), envelope(), envelope({ eventId: 'x' })];
    const second = [envelope()];
    const before = new Date();
    expect((await handler(apiEvent(gzipSync(batch(first)), { headers: { 'content-encoding': 'gzip' } }))).statusCode).toBe(400);
    expect((await handler(apiEvent(batch(second)))).statusCode).toBe(200);
    const objects = await s3.objects('clickstream');
    expect(objects).toHaveLength(2);
    const hour = before.toISOString();
    for (const o of objects) {
      expect(o.key).toMatch(new RegExp(`^raw/dt=${hour.slice(0, 10)}/hour=${hour.slice(11, 13)}/\\d+-[\\w-]+\\.ndjson$`));
      expect(o.type).toBe('application/x-ndjson');
    }
    const lines = objects.map((o) => o.body.trimEnd().split('\n').map((l) => JSON.parse(l)));
    const ids = lines.map((l) => l.map((e) => e.eventId).sort());
    expect(ids).toEqual(expect.arrayContaining([first.slice(0, 2).map((e) => e.eventId).sort(), [second[0].eventId]]));
    expect(lines.flat().every((e) => typeof e._ingest.receivedAt === 'string')).toBe(true);
  });

  it('answers 500 when the bucket cannot be written, so the SDK sends the batch again', async () => {
    const handler = createHandler({ sink: { kind: 's3', client: s3.client, bucket: 'no-such-bucket' }, log: quiet });
    const res = await handler(apiEvent(batch([envelope()])));
    expect([res.statusCode, JSON.parse(res.body).error]).toEqual([500, 'sink_failed']);
  });
});
