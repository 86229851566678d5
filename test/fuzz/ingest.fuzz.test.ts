// @vitest-environment node
// The ingest Lambda (examples/ingest-lambda/) writing into kinesalite, against random API Gateway
// events: it must always answer (never throw), and store every valid event of a mixed batch.
import { randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKinesalite, type Kinesalite } from '../support/kinesalite';
// @ts-expect-error plain JavaScript module without types
import { createHandler as create } from '../../examples/ingest-lambda/handler.mjs';

type Result = { statusCode: number; headers?: Record<string, string>; body: string };
const createHandler = create as (options: object) => (event: unknown, context?: unknown) => Promise<Result>;
const RUNS = Number(process.env.FUZZ_RUNS || 1);
// A fixed seed by default, so npm test is repeatable; FUZZ_SEED=random explores, FUZZ_SEED=N repeats a run.
const SEED = process.env.FUZZ_SEED == 'random' ? Date.now() % 2 ** 31 : Number(process.env.FUZZ_SEED || 20261204);
const quiet = { warn: () => undefined, error: () => undefined };

const validEvent = fc.record({ name: fc.string({ minLength: 1, maxLength: 30 }).filter((s) => !!s.trim()), props: fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }) }).map(({ name, props }) => ({
  eventId: randomUUID(),
  name,
  type: 'track',
  timestamp: new Date().toISOString(),
  anonymousId: 'anon-' + (name.length % 4),
  userId: null,
  sessionId: randomUUID(),
  seq: 1,
  page: { url: 'https://shop.example/', path: '/', title: '', referrer: '' },
  properties: props,
}));

/** Invalid events, some of them close to valid (a UUID but no name, a bad type...). */
const junkEvent = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  validEvent.chain((e) =>
    fc.constantFrom<Record<string, unknown>>({ name: '' }, { type: 'nope' }, { eventId: 'x' }, { timestamp: 'never' }, { anonymousId: 7 }, { properties: [] }, { traits: 'x' }, { userId: {} }).map((bad) => ({ ...e, ...bad })),
  ),
  fc.constantFrom(JSON.parse('{"__proto__":{"polluted":1}}'), { toJSON: 1 }, { properties: { x: 'y'.repeat(70_000) } }),
);

const mixed = fc.tuple(fc.array(validEvent, { minLength: 1, maxLength: 6 }), fc.array(junkEvent, { maxLength: 4 }), fc.nat()).map(([good, junk, at]) => {
  const all: unknown[] = [...good];
  junk.forEach((j, i) => all.splice((at + i * 31) % (all.length + 1), 0, j));
  return { good, all };
});

const apiEvent = (body: string | Buffer, headers: Record<string, string> = {}, base64 = Buffer.isBuffer(body)) => ({
  version: '2.0',
  headers: { 'content-type': 'text/plain;charset=UTF-8', ...headers },
  requestContext: { http: { method: 'POST', path: '/v1/events' }, requestId: randomUUID() },
  body: base64 ? Buffer.from(body).toString('base64') : String(body),
  isBase64Encoded: base64,
});

/** What no SDK sends: random bodies, base64 and gzip that lie, odd headers and shapes. */
const hostileRequest = fc.oneof(
  fc.uint8Array({ maxLength: 3000 }).map((b) => apiEvent(Buffer.from(b))),
  fc.uint8Array({ maxLength: 300 }).map((b) => apiEvent(Buffer.from(b), { 'content-encoding': 'gzip' })),
  fc.string({ maxLength: 300 }).map((s) => ({ ...apiEvent(s), isBase64Encoded: true })),
  fc.jsonValue().map((v) => apiEvent(gzipSync(JSON.stringify(v) ?? ''), { 'Content-Encoding': 'gzip' })),
  fc.jsonValue().map((v) => apiEvent(JSON.stringify(v) ?? '')),
  fc.record({ headers: fc.oneof(fc.constant(null), fc.dictionary(fc.string({ maxLength: 20 }), fc.string({ maxLength: 20 }))), body: fc.oneof(fc.constant(null), fc.string()), isBase64Encoded: fc.anything(), requestContext: fc.anything() }, { requiredKeys: [] }),
  fc.constantFrom({}, { body: '{"events":' }, apiEvent('['.repeat(100_000)), apiEvent('x'.repeat(2_000_000))),
);

describe('fuzz: the ingest Lambda into kinesalite', () => {
  let k: Kinesalite;
  const stream = 'ingest-fuzz';
  beforeAll(async () => {
    k = await startKinesalite();
    await k.createStream(stream, 1);
  }, 60_000);
  afterAll(() => k?.close());

  it('always answers, and stores every valid event of a mixed batch', async () => {
    const handler = createHandler({ sink: { kind: 'kinesis', client: k.client, streamName: stream, baseDelayMs: 1 }, log: quiet });
    const expected = new Set<string>();
    const thrown: string[] = [];
    await fc.assert(
      fc.asyncProperty(hostileRequest, mixed, fc.boolean(), async (req, { good, all }, gzip) => {
        try {
          const r = await handler(req);
          expect(r.statusCode).toBeGreaterThanOrEqual(200);
          expect(typeof r.body).toBe('string');
        } catch (e) {
          thrown.push(String(e));
        }
        const body = JSON.stringify({ sentAt: new Date().toISOString(), events: all });
        const r = await handler(gzip ? apiEvent(gzipSync(body), { 'content-encoding': 'gzip' }) : apiEvent(body));
        // 200 when all were valid, 400 naming the refused ones otherwise: the valid ones are stored either way.
        expect([200, 400]).toContain(r.statusCode);
        expect(JSON.parse(r.body).accepted).toBe(good.length);
        good.forEach((e) => expected.add(e.eventId));
      }),
      { numRuns: 120 * RUNS, seed: SEED, endOnFailure: true },
    );
    expect(thrown).toEqual([]);
    const stored = new Set((await k.readAll(stream)).map((r) => JSON.parse(r.data).eventId));
    expect([...expected].filter((id) => !stored.has(id))).toEqual([]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  }, 180_000);
});
