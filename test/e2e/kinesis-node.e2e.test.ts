// @vitest-environment node
// The Kinesis sink against kinesalite on loopback, driven by the real tracker (memory queue).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTracker } from '../../src/core/tracker';
import type { ClicktrailError, QueuedEvent, Tracker } from '../../src/core/types';
import { kinesisSink, type KinesisSinkOptions } from '../../src/sinks/kinesis';
import { waitFor } from '../support/browser';
import { CREDENTIALS, REGION, startKinesalite, startThrottlingProxy, type Kinesalite, type StoredRecord } from '../support/kinesalite';

let kinesalite: Kinesalite;
let streams = 0;
const newStream = async (shards = 2) => {
  const name = `clicktrail-${++streams}`;
  await kinesalite.createStream(name, shards);
  return name;
};

const sinkOf = (o: Partial<KinesisSinkOptions> & { streamName: string }) =>
  kinesisSink({
    region: REGION,
    credentials: CREDENTIALS,
    endpoint: kinesalite.url,
    // Node's SDK default is HTTP/2, which kinesalite does not speak.
    clientConfig: { requestHandler: new NodeHttpHandler() },
    ...o,
  });

// Each tracker its own appId: its own queue, lock and retry time, as separate sites would have.
let trackers = 0;
function trackerOf(sink: ReturnType<typeof kinesisSink>, errors: ClicktrailError[], appId = `node-${++trackers}`, baseMs = 5): Tracker {
  return createTracker({
    appId,
    sink,
    queue: { persist: false },
    batch: { maxEvents: 500, maxBytes: 5_000_000 },
    retry: { baseMs, maxMs: baseMs * 4 },
    onError: (e) => errors.push(e),
  });
}

/** Flushes until the queue is empty (failures back off; flush() goes past the backoff). */
const drain = (t: Tracker, what = 'the queue to empty', timeoutMs = 60_000) =>
  waitFor(what, async () => (await t.flush()).queued === 0, timeoutMs);

/**
 * Flushes and waits for the first report. In Node there is no Web Lock, so a drain the tracker
 * kicked itself may run beside flush(): the report, not flush()'s counts, is what to check.
 */
async function firstReport(t: Tracker, errors: ClicktrailError[]): Promise<ClicktrailError> {
  await t.flush();
  await waitFor('a report through onError', () => errors.length > 0);
  return errors[0];
}

const parse = (records: StoredRecord[]) => records.map((r) => ({ ...r, event: JSON.parse(r.data) }));

const counts = (ids: string[]) => {
  const m = new Map<string, number>();
  for (const id of ids) m.set(id, (m.get(id) || 0) + 1);
  return m;
};

describe('kinesisSink in Node against kinesalite', () => {
  beforeAll(async () => {
    kinesalite = await startKinesalite();
  });
  afterAll(async () => {
    await kinesalite?.close();
  });

  it('delivers 2,000 events from sixteen shoppers: every eventId once, each shopper in order on one shard', async () => {
    const streamName = await newStream(2);
    const errors: ClicktrailError[] = [];
    const sink = sinkOf({ streamName });
    const shoppers = Array.from({ length: 16 }, (_, s) => trackerOf(sink, errors, `shopper-${s}`));
    const tracked: string[] = [];
    for (let i = 0; i < 125; i++) {
      shoppers.forEach((t, s) => t.track('view_item' as string, { i, s, items: [{ item_id: `sku-${i}`, price: 9.99 }] }));
    }
    await Promise.all(shoppers.map((t) => drain(t)));
    const stored = parse(await kinesalite.readAll(streamName));
    for (const r of stored) tracked.push(r.event.eventId);

    expect(stored).toHaveLength(2000);
    expect([...counts(tracked).values()].every((n) => n === 1)).toBe(true);
    expect(new Set(stored.map((r) => r.shardId)).size).toBe(2);
    for (const t of shoppers) {
      const aid = t.ids().anonymousId;
      const mine = stored.filter((r) => r.event.anonymousId === aid);
      expect(mine).toHaveLength(125);
      // The partition key is the anonymous id: one shard, and the shard's order is the tracking order.
      expect(mine.every((r) => r.partitionKey === aid)).toBe(true);
      expect(new Set(mine.map((r) => r.shardId)).size).toBe(1);
      expect(mine.map((r) => r.event.properties.i)).toEqual([...Array(125).keys()]);
      expect(t.stats().sent).toBe(125);
    }
    expect(errors).toEqual([]);
  });

  it('packs a batch into requests of at most 500 records and 5 MiB, counting UTF-8 bytes', async () => {
    const streamName = await newStream(1);
    const proxy = await startThrottlingProxy(kinesalite.url, {});
    try {
      const sink = sinkOf({ streamName, endpoint: proxy.url });
      const small: QueuedEvent[] = Array.from({ length: 1200 }, (_, i) => ({
        id: `small-${i}`,
        json: JSON.stringify({ eventId: `small-${i}` }),
        time: 0,
        aid: 'a',
      }));
      const res = await sink.send(small, { unload: false });
      expect(res.accepted).toEqual(small.map((e) => e.id));
      expect(proxy.putRecords).toEqual([500, 500, 200]);

      // 20,000 characters of 'é' are 40,000 bytes: 400 such events are 16 MB on the wire,
      // though only 8 million characters.
      proxy.putRecords.length = 0;
      const big: QueuedEvent[] = Array.from({ length: 400 }, (_, i) => ({
        id: `big-${i}`,
        json: JSON.stringify({ eventId: `big-${i}`, text: 'é'.repeat(20_000) }),
        time: 0,
        aid: 'b',
      }));
      const res2 = await sink.send(big, { unload: false });
      expect(res2.accepted).toHaveLength(400);
      expect(proxy.putRecords.length).toBeGreaterThanOrEqual(4);
      expect(proxy.putRecords.reduce((a, b) => a + b, 0)).toBe(400);
      for (const n of proxy.putRecords) expect(n * (40_000 + 30)).toBeLessThanOrEqual(5 * 1024 * 1024);
      const stored = await kinesalite.readAll(streamName);
      expect(stored).toHaveLength(1600);
    } finally {
      await proxy.close();
    }
  });

  it('resends only throttled records and failed requests, and the stream ends holding every event exactly once', async () => {
    const streamName = await newStream(2);
    const proxy = await startThrottlingProxy(kinesalite.url, { throttleShare: 0.2, failEvery: 3, seed: 7 });
    try {
      const errors: ClicktrailError[] = [];
      const t = trackerOf(sinkOf({ streamName, endpoint: proxy.url }), errors);
      for (let i = 0; i < 2000; i++) t.track('add_to_cart' as string, { i });
      await drain(t, 'every event to be stored');
      const stored = parse(await kinesalite.readAll(streamName));
      const ids = stored.map((r) => r.event.eventId);

      expect(proxy.throttled).toBeGreaterThan(100);
      expect(proxy.failedRequests).toBeGreaterThan(0);
      expect(stored).toHaveLength(2000);
      expect([...counts(ids).values()].every((n) => n === 1)).toBe(true);
      expect(new Set(stored.map((r) => r.event.properties.i)).size).toBe(2000);
      // Only failed records went again: no record reached kinesalite twice.
      expect(proxy.forwarded).toHaveLength(2000);
      // Retries after throttling carry fewer records than the first full batches.
      expect(proxy.putRecords.slice(0, 1)).toEqual([500]);
      expect(Math.min(...proxy.putRecords)).toBeLessThan(500);
      expect(t.stats().sent).toBe(2000);
      expect(t.stats().rejected).toBe(0);
      expect(errors.some((e) => e.code === 'sink_failed' && /ProvisionedThroughputExceededException/.test(e.message))).toBe(true);
      expect(errors.filter((e) => e.code === 'sink_rejected')).toEqual([]);
    } finally {
      await proxy.close();
    }
  });

  it('keeps events and reports clearly when the stream does not exist, then delivers them once it does', async () => {
    const errors: ClicktrailError[] = [];
    const t = trackerOf(sinkOf({ streamName: 'not-yet-created' }), errors);
    for (let i = 0; i < 10; i++) t.track('page_view', { i });
    const error = await firstReport(t, errors);
    expect((await t.flush()).queued).toBe(10);
    expect(error.code).toBe('sink_failed');
    expect(error.message).toMatch(/kinesis stream "not-yet-created" in us-east-1: ResourceNotFoundException: Stream not-yet-created .*not found/);

    await kinesalite.createStream('not-yet-created', 1);
    await drain(t);
    expect((await kinesalite.readAll('not-yet-created')).map((r) => JSON.parse(r.data).properties.i)).toEqual([...Array(10).keys()]);
  });

  it('keeps events and reports clearly when the endpoint is unreachable', async () => {
    const closed = createServer();
    await new Promise<void>((ok) => closed.listen(0, '127.0.0.1', ok));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((ok) => closed.close(ok));
    const errors: ClicktrailError[] = [];
    const t = trackerOf(sinkOf({ streamName: 'anything', endpoint: `http://127.0.0.1:${port}` }), errors);
    t.track('page_view');
    t.track('purchase', { transaction_id: 'T1', items: [], value: 10, currency: 'EUR' });
    const error = await firstReport(t, errors);
    expect((await t.flush()).queued).toBe(2);
    expect(error.code).toBe('sink_failed');
    expect(error.message).toMatch(/kinesis stream "anything" in us-east-1: .*ECONNREFUSED/);
  });

  it('gives up on a request that gets no answer within timeoutMs and keeps its events', async () => {
    // Accepts the request, never answers.
    const silent = createServer(() => undefined);
    await new Promise<void>((ok) => silent.listen(0, '127.0.0.1', ok));
    try {
      const errors: ClicktrailError[] = [];
      const endpoint = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
      const t = trackerOf(sinkOf({ streamName: 'slow', endpoint, timeoutMs: 300 }), errors);
      t.track('page_view');
      const started = Date.now();
      const error = await firstReport(t, errors);
      expect(Date.now() - started).toBeLessThan(5000);
      expect(error.message).toMatch(/kinesis stream "slow" in us-east-1: no answer within 300 ms/);
    } finally {
      silent.closeAllConnections();
      await new Promise((ok) => silent.close(ok));
    }
  });

  // Was a bug (kept as a regression test): the timeout reached the HTTP request only, so a
  // credential provider that never answered held the flush (and every tab's lock) for good.
  it('gives up within timeoutMs when the credential provider never answers, and keeps the events', async () => {
    const errors: ClicktrailError[] = [];
    let calls = 0;
    const credentials = () => (calls++, new Promise<never>(() => undefined));
    const t = trackerOf(sinkOf({ streamName: 'stalled', timeoutMs: 300, credentials }), errors);
    t.track('page_view');
    const started = Date.now();
    expect((await firstReport(t, errors)).message).toMatch(/kinesis stream "stalled" in us-east-1: no answer within 300 ms/);
    expect(Date.now() - started).toBeLessThan(5000);
    expect((await t.flush()).queued).toBe(1);
    // Each try asks the provider afresh rather than waiting on the stalled answer.
    expect(calls).toBeGreaterThanOrEqual(2);
  });

  it('takes one partition key for every record, and any region name with an endpoint (kinesalite, LocalStack)', async () => {
    const streamName = await newStream(2);
    const errors: ClicktrailError[] = [];
    const t = trackerOf(sinkOf({ streamName, region: 'local', partitionKey: 'all-in-order' }), errors);
    for (let i = 0; i < 5; i++) t.track('view_item' as string, { i });
    await drain(t);
    const stored = parse(await kinesalite.readAll(streamName));
    expect(stored.map((r) => [r.partitionKey, r.event.properties.i])).toEqual([0, 1, 2, 3, 4].map((i) => ['all-in-order', i]));
    expect(errors).toEqual([]);
  });

  // Was a bug (kept as a regression test): the core measured batches in UTF-16 units, so a batch of
  // non-ASCII events could need several requests; when one failed, the records of the requests
  // after it had never been sent yet still counted an attempt, and maxAttempts dropped them early.
  it('sends each batch in one request, so a failed request spends an attempt only of records it carried', async () => {
    const streamName = await newStream(1);
    const proxy = await startThrottlingProxy(kinesalite.url, {
      inject: (n) => (n === 1 || n === 3 ? { status: 500, type: 'InternalFailure', message: 'proxy: injected 500' } : undefined),
    });
    try {
      const errors: ClicktrailError[] = [];
      const t = trackerOf(sinkOf({ streamName, endpoint: proxy.url, maxAttempts: 2 }), errors);
      // 9,000 characters of Japanese are 27,000 bytes: 300 events are 8 MB on the wire.
      for (let i = 0; i < 300; i++) t.track('view_item' as string, { i, text: '日本語'.repeat(3000) });
      await drain(t);
      expect(t.stats()).toMatchObject({ sent: 300, rejected: 0 });
      expect((await kinesalite.readAll(streamName)).length).toBe(300);
      expect(proxy.putRecords.length).toBeGreaterThanOrEqual(4);
    } finally {
      await proxy.close();
    }
  });

  it('keeps events and names the bad option when the region or stream name is malformed', async () => {
    const errors: ClicktrailError[] = [];
    const t = trackerOf(sinkOf({ streamName: 'ok', region: 'US East 1' }), errors);
    t.track('page_view');
    expect((await firstReport(t, errors)).message).toMatch(/kinesisSink: region must be an AWS region such as 'us-east-1', got "US East 1"/);
    expect((await t.flush()).queued).toBe(1);

    const errors2: ClicktrailError[] = [];
    const t2 = trackerOf(sinkOf({ streamName: 'has spaces' }), errors2);
    t2.track('page_view');
    expect((await firstReport(t2, errors2)).message).toMatch(/streamName must be 1-128 characters/);
  });

  it('keeps events when the credential provider throws, and delivers them once it recovers', async () => {
    const streamName = await newStream(1);
    let down = true;
    let calls = 0;
    const credentials = async () => {
      calls++;
      if (down) throw new Error('Cognito identity pool unreachable');
      return CREDENTIALS;
    };
    const errors: ClicktrailError[] = [];
    const t = trackerOf(sinkOf({ streamName, credentials }), errors);
    for (let i = 0; i < 5; i++) t.track('view_item' as string, { i });
    expect((await firstReport(t, errors)).message).toMatch(/could not get AWS credentials: Cognito identity pool unreachable/);
    expect((await t.flush()).queued).toBe(5);
    down = false;
    await drain(t);
    expect(calls).toBeGreaterThanOrEqual(2);
    expect(await kinesalite.readAll(streamName)).toHaveLength(5);
  });

  it('renews expired credentials and retries at once, without a backoff or a spent attempt', async () => {
    const streamName = await newStream(1);
    const proxy = await startThrottlingProxy(kinesalite.url, {
      inject: (n) => (n === 1 ? { status: 400, type: 'ExpiredTokenException', message: 'The security token included in the request is expired' } : undefined),
    });
    try {
      let calls = 0;
      const credentials = async () => {
        calls++;
        return { ...CREDENTIALS, expiration: new Date(Date.now() + 3_600_000) };
      };
      const sink = sinkOf({ streamName, credentials, endpoint: proxy.url });
      const events: QueuedEvent[] = Array.from({ length: 7 }, (_, i) => ({ id: `x${i}`, json: `{"eventId":"x${i}"}`, time: 0, aid: 'a', tries: 0 }));
      const first = await sink.send(events, { unload: false });
      expect(first).toMatchObject({ accepted: [], free: true });
      expect(first.error?.message).toMatch(/ExpiredTokenException, retrying with fresh credentials/);
      // The core sends again at once (free: no backoff, no attempt counted); a new client asks the provider again.
      const second = await sink.send(events, { unload: false });
      expect(second.accepted).toEqual(events.map((e) => e.id));
      expect(calls).toBe(2);
      expect(proxy.putRecords).toEqual([7, 7]);
      expect(await kinesalite.readAll(streamName)).toHaveLength(7);
    } finally {
      await proxy.close();
    }
  });

  it('drops a record Kinesis refuses as invalid, reports it, and stores the rest of its request', async () => {
    const streamName = await newStream(1);
    // The service, not the sink, finds the bad record: its partition key is blanked on the way.
    const proxy = await startThrottlingProxy(kinesalite.url, {
      mutate: (records) => {
        for (const r of records) if (Buffer.from(r.Data, 'base64').toString().includes('"poison":true')) r.PartitionKey = '';
      },
    });
    try {
      const errors: ClicktrailError[] = [];
      const t = trackerOf(sinkOf({ streamName, endpoint: proxy.url }), errors);
      for (let i = 0; i < 6; i++) t.track('view_item' as string, { i, poison: i === 3 });
      await drain(t);
      expect(t.stats().sent).toBe(5);
      expect(t.stats().rejected).toBe(1);
      expect(errors).toHaveLength(1);
      expect(errors[0].code).toBe('sink_rejected');
      expect(errors[0].message).toMatch(/ValidationException: .*records\.4\.member\.partitionKey/);
      const stored = parse(await kinesalite.readAll(streamName));
      expect(stored.map((r) => r.event.properties.i)).toEqual([0, 1, 2, 4, 5]);
    } finally {
      await proxy.close();
    }
  });

  it('rejects events whose partition key function fails, reporting each, and sends the others', async () => {
    const streamName = await newStream(1);
    const errors: ClicktrailError[] = [];
    const partitionKey = (e: QueuedEvent) => {
      const p = JSON.parse(e.json).properties;
      if (p.i === 1) throw new Error('no cart id');
      return p.i === 2 ? '' : `cart-${p.i}`;
    };
    const t = trackerOf(sinkOf({ streamName, partitionKey }), errors);
    for (let i = 0; i < 4; i++) t.track('add_to_cart' as string, { i });
    await drain(t);
    expect(t.stats()).toMatchObject({ sent: 2, rejected: 2 });
    expect(errors).toHaveLength(1);
    expect(errors[0].message).toMatch(/partitionKey threw: no cart id/);
    expect(errors[0].message).toMatch(/partition key must be a string of 1-256 characters, got 0 characters/);
    const stored = await kinesalite.readAll(streamName);
    expect(stored.map((r) => r.partitionKey)).toEqual(['cart-0', 'cart-3']);
  });

  it('drops records that keep failing after maxAttempts, with a report and a counter', async () => {
    const streamName = await newStream(1);
    const proxy = await startThrottlingProxy(kinesalite.url, { throttleShare: 1 });
    try {
      // The core counts attempts per record and passes them as `tries`.
      const sink = sinkOf({ streamName, endpoint: proxy.url, maxAttempts: 3 });
      const events = (tries: number): QueuedEvent[] =>
        Array.from({ length: 3 }, (_, i) => ({ id: `m${i}`, json: `{"eventId":"m${i}"}`, time: 0, aid: 'a', tries }));
      expect(await sink.send(events(0), { unload: false })).toMatchObject({ accepted: [], rejected: [] });
      expect(await sink.send(events(1), { unload: false })).toMatchObject({ accepted: [], rejected: [] });
      const last = await sink.send(events(2), { unload: false });
      expect(last.rejected).toEqual(['m0', 'm1', 'm2']);
      expect(last.error?.message).toMatch(/3 records failed 3 times and are dropped/);

      // Through the tracker: dropped after three attempts, reported, counted.
      const errors: ClicktrailError[] = [];
      proxy.putRecords.length = 0;
      const t = trackerOf(sink, errors);
      for (let i = 0; i < 3; i++) t.track('view_item' as string, { i });
      await drain(t);
      expect(proxy.putRecords).toEqual([3, 3, 3]);
      expect(t.stats()).toMatchObject({ sent: 0, rejected: 3 });
      const rejected = errors.filter((e) => e.code === 'sink_rejected');
      expect(rejected).toHaveLength(1);
      expect(rejected[0].message).toMatch(/3 records failed 3 times and are dropped/);
    } finally {
      await proxy.close();
    }
  });

  it('sends nothing at unload and answers at once, leaving the events queued', async () => {
    const proxy = await startThrottlingProxy(kinesalite.url, {});
    let calls = 0;
    try {
      const sink = sinkOf({
        streamName: 'any',
        endpoint: proxy.url,
        credentials: async () => {
          calls++;
          return CREDENTIALS;
        },
      });
      const events: QueuedEvent[] = [{ id: 'u1', json: '{"eventId":"u1"}', time: 0, aid: 'a' }];
      const started = performance.now();
      expect(await sink.send(events, { unload: true })).toEqual({ accepted: [] });
      expect(performance.now() - started).toBeLessThan(50);
      expect(proxy.putRecords).toEqual([]);
      expect(calls).toBe(0);
    } finally {
      await proxy.close();
    }
  });
});
