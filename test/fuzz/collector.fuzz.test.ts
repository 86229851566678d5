// @vitest-environment node
// The example collector (examples/collector/) against random and malformed bodies: it must stay
// up, and every well-formed event of a mixed batch must be kept. Both the bare collector and the
// demo server (server.mjs, whose dashboard summarises each event) run as they ship.
import { spawn, type ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCollector, type Collector } from '../support/collector';

const RUNS = Number(process.env.FUZZ_RUNS || 1);
// A fixed seed by default, so npm test is repeatable; FUZZ_SEED=random explores, FUZZ_SEED=N repeats a run.
const SEED = process.env.FUZZ_SEED == 'random' ? Date.now() % 2 ** 31 : Number(process.env.FUZZ_SEED || 20261204);

function post(url: string, body: Buffer | string, headers: Record<string, string> = {}): Promise<number | 'reset'> {
  return new Promise((ok) => {
    const req = request(url, { method: 'POST', headers: { 'Content-Type': 'text/plain', ...headers } }, (res) => {
      res.resume();
      res.on('end', () => ok(res.statusCode!));
    });
    req.on('error', () => ok('reset'));
    req.end(body);
  });
}

let serial = 0;
/** A well-formed clicktrail event with a unique id. */
const validEvent = fc.record({ name: fc.string({ minLength: 1, maxLength: 20 }), value: fc.double({ noNaN: true, noDefaultInfinity: true }) }).map(({ name, value }) => ({
  eventId: `0190f000-0000-7000-8000-${String(++serial).padStart(12, '0')}`,
  name,
  type: 'track',
  timestamp: new Date().toISOString(),
  anonymousId: 'a',
  userId: null,
  sessionId: 's',
  seq: serial,
  page: { url: 'http://x/', path: '/', title: '', referrer: '' },
  properties: { value, items: [{ item_id: 'sku', quantity: 1 }] },
}));

/** What a broken or hostile sender could put in a batch beside good events (all JSON). */
const junkEvent = fc.oneof(
  fc.jsonValue(),
  fc.constantFrom(null, 0, '', [], {}, { eventId: null }, { eventId: {} }, { name: { toString: 1 } }, { properties: null }),
  fc.constantFrom({ properties: { items: [null] } }, { properties: { items: 'x' } }, { page: null }, { properties: { items: [{ quantity: {} }] } }),
  fc.constantFrom({ __proto__: { polluted: 1 } }, JSON.parse('{"__proto__":{"polluted":1},"eventId":"p"}')),
  // Junk with an id of its own, so a collector that drops repeated ids still reads it.
  fc.tuple(fc.jsonValue(), fc.constantFrom({ items: [null] }, { items: [1, 'x'] }, null, 'p', { value: {} })).map(([v, properties]) => ({ eventId: `junk-${++serial}`, name: v, page: v, properties })),
);

/** A batch of good and junk events in random order, and the ids of the good ones. */
const mixedBatch = fc.tuple(fc.array(validEvent, { minLength: 1, maxLength: 5 }), fc.array(junkEvent, { maxLength: 5 }), fc.integer()).map(([good, junk, seed]) => {
  const all: unknown[] = [...good];
  junk.forEach((j, i) => all.splice(Math.abs(seed + i * 7919) % (all.length + 1), 0, j));
  return { all, ids: good.map((e) => e.eventId) };
});

/** Bodies that are no batch at all: bytes, truncated JSON, gzip lies, huge strings. */
const garbage = fc.oneof(
  fc.uint8Array({ maxLength: 2000 }).map((b) => ({ body: Buffer.from(b), headers: {} as Record<string, string> })),
  fc.uint8Array({ maxLength: 200 }).map((b) => ({ body: Buffer.from(b), headers: { 'Content-Encoding': 'gzip' } })),
  fc.jsonValue().map((v) => ({ body: gzipSync(JSON.stringify(v) ?? 'x'), headers: { 'Content-Encoding': 'gzip' } })),
  fc.jsonValue().map((v) => ({ body: (JSON.stringify(v) ?? '').slice(0, -1), headers: {} })),
  fc.constantFrom('{"events":', '{"events":{"length":1e9}}', '[' .repeat(50_000), '"' + 'x'.repeat(2e6) + '"').map((body) => ({ body: Buffer.from(body), headers: {} })),
);

const mixedBody = (all: unknown[]) => (Math.random() < 0.5 ? JSON.stringify({ sentAt: new Date().toISOString(), events: all }) : JSON.stringify(all));

describe('fuzz: the example collector (collector.mjs)', () => {
  let collector: Collector;
  const kept = new Set<unknown>();
  beforeAll(async () => {
    collector = await startCollector({ onEvents: (events) => events.forEach((e: any) => kept.add(e?.eventId)) });
  });
  afterAll(() => collector.close());

  it('keeps every well-formed event of a mixed batch, and survives any body', async () => {
    await fc.assert(
      fc.asyncProperty(mixedBatch, garbage, async ({ all, ids }, junk) => {
        expect(await post(collector.url + '/v1/events', junk.body, junk.headers)).not.toBe('reset');
        expect(await post(collector.url + '/v1/events', mixedBody(all))).toBe(200);
        for (const id of ids) expect(kept.has(id)).toBe(true);
      }),
      { numRuns: 300 * RUNS, seed: SEED, endOnFailure: true },
    );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  }, 120_000);
});

describe('fuzz: the demo server (server.mjs, npm run demo)', () => {
  let child: ChildProcess;
  let url = '';
  let exited: number | null = null;
  beforeAll(async () => {
    child = spawn(process.execPath, ['examples/collector/server.mjs'], { env: { ...process.env, PORT: '0' }, stdio: ['ignore', 'pipe', 'pipe'] });
    child.on('exit', (code) => (exited = code ?? -1));
    let out = '';
    child.stderr!.on('data', (d) => (out += d));
    url = await new Promise<string>((ok, fail) => {
      child.stdout!.on('data', (d) => {
        out += d;
        const m = /http:\/\/127\.0\.0\.1:\d+/.exec(out);
        if (m) ok(m[0]);
      });
      child.on('exit', () => fail(new Error('demo server exited: ' + out)));
    });
  });
  afterAll(() => void child?.kill());

  it('stays up and shows every well-formed event of a mixed batch on its dashboard', async () => {
    const shown = async () => {
      const r = await fetch(url + '/api/events');
      return new Set(((await r.json()) as { events: { eventId: string }[] }).events.map((e) => e.eventId));
    };
    await fc.assert(
      fc.asyncProperty(mixedBatch, garbage, async ({ all, ids }, junk) => {
        await post(url + '/v1/events', junk.body, junk.headers);
        const status = await post(url + '/v1/events', mixedBody(all));
        expect(exited, 'the demo server exited').toBeNull();
        expect(status).toBe(200);
        const seen = await shown();
        expect(ids.filter((id) => !seen.has(id))).toEqual([]);
      }),
      // The dashboard keeps the newest 1,000 events: stay well under.
      { numRuns: 100 * RUNS, seed: SEED, endOnFailure: true },
    );
  }, 120_000);
});
