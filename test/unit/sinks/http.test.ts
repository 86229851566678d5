// @vitest-environment node
// Node rather than happy-dom: happy-dom's fetch applies its own CORS rules to the collector's
// port; Node 20's fetch, Blob and CompressionStream are the platform APIs the sink uses.
import { describe, expect, it, vi } from 'vitest';
import type { SendResult, TrackedEvent } from '../../../src/core/types';
import { httpSink } from '../../../src/sinks/http';
import { startCollector } from '../../support/collector';
import { events, ids, idsIn, useCollector } from './queued-events';

const h = useCollector();
const url = h.url;

describe('httpSink: request shape', () => {
  it("POSTs a batch as { sentAt, events } text/plain, and 2xx accepts every event", async () => {
    const list = events(3);
    const before = Date.now();
    const res = await httpSink({ url: url() }).send(list, { unload: false });
    expect(res).toEqual({ accepted: ids(list), rejected: [], retryAfterMs: 0 });
    expect(h.collector.requests).toHaveLength(1);
    const [r] = h.collector.requests;
    expect(r.path).toBe('/e');
    expect(r.headers['content-type']).toBe('text/plain;charset=UTF-8');
    expect(r.headers['content-encoding']).toBeUndefined();
    const body = r.json as { sentAt: string; events: unknown[] };
    expect(Object.keys(body)).toEqual(['sentAt', 'events']);
    expect(body.events).toEqual(list.map((e) => JSON.parse(e.json)));
    expect(body.sentAt).toBe(new Date(Date.parse(body.sentAt)).toISOString());
    expect(Date.parse(body.sentAt)).toBeGreaterThanOrEqual(before - 1);
    expect(Date.parse(body.sentAt)).toBeLessThanOrEqual(Date.now());
  });

  it("sends one request per event with the event as the body in 'single' format", async () => {
    const list = events(3);
    const res = await httpSink({ url: url(), format: 'single' }).send(list, { unload: false });
    expect([...res.accepted].sort()).toEqual(ids(list).sort());
    expect(h.collector.requests).toHaveLength(3);
    expect(h.collector.requests.map((r) => r.json).sort((a: any, b: any) => a.properties.i - b.properties.i)).toEqual(list.map((e) => JSON.parse(e.json)));
  });

  it("settles each event on its own answer in 'single' format", async () => {
    h.respond = (r) => (JSON.parse(r.body!).properties.i == 1 ? 422 : JSON.parse(r.body!).properties.i == 2 ? 503 : 200);
    const list = events(3);
    const res = await httpSink({ url: url(), format: 'single' }).send(list, { unload: false });
    expect(res.accepted).toEqual([list[0].id]);
    expect(res.rejected).toEqual([list[1].id]);
  });

  it('builds the body with the encode hook from the parsed events, in one request', async () => {
    h.respond = () => 200; // the collector would answer 400 to a body that is not JSON
    const list = events(2);
    const seen: TrackedEvent[][] = [];
    const encode = (evs: TrackedEvent[]) => (seen.push(evs), evs.map((e) => JSON.stringify({ id: e.eventId })).join('\n'));
    const res = await httpSink({ url: url(), encode }).send(list, { unload: false });
    expect(res.accepted).toEqual(ids(list));
    expect(seen).toEqual([list.map((e) => JSON.parse(e.json))]);
    expect(h.collector.requests).toHaveLength(1);
    expect(h.collector.requests[0].body).toBe(list.map((e) => `{"id":"${e.id}"}`).join('\n'));
  });

  // Was a bug (issue 13): with encode, 'single' was ignored and 29 events went in 4 requests.
  it("sends one request per event with encode and format 'single', each body encoded from that event alone", async () => {
    const list = events(3);
    const seen: TrackedEvent[][] = [];
    const encode = (evs: TrackedEvent[]) => (seen.push(evs), JSON.stringify({ id: evs[0].eventId, n: evs.length }));
    const res = await httpSink({ url: url(), encode, format: 'single' }).send(list, { unload: false });
    expect([...res.accepted].sort()).toEqual(ids(list).sort());
    expect(seen.map((evs) => evs.length)).toEqual([1, 1, 1]);
    expect(h.collector.requests.map((r) => r.json).sort((a: any, b: any) => (a.id < b.id ? -1 : 1))).toEqual(ids(list).sort().map((id) => ({ id, n: 1 })));
  });

  it('sends one request per body when encode gives several, and acknowledges the events only when every one is taken', async () => {
    const list = events(2);
    // One body per event, as a one-row-per-item warehouse needs.
    const encode = (evs: TrackedEvent[]) => evs.map((e) => JSON.stringify({ id: e.eventId }));
    const sink = httpSink({ url: url(), encode });
    expect((await sink.send(list, { unload: false })).accepted).toEqual(ids(list));
    expect(h.collector.requests.map((r) => (r.json as any).id).sort()).toEqual(ids(list).sort());
    // Second try: one of the two bodies fails, so neither event counts as sent.
    h.collector.requests.length = 0;
    h.respond = (r) => (JSON.parse(r.body!).id == list[1].id ? 503 : 200);
    const res = await sink.send(list, { unload: false });
    expect(res.accepted).toEqual([]);
    expect(res.rejected).toEqual([]);
    expect(res.error!.message).toContain('503');
    expect(h.collector.requests).toHaveLength(2);
  });

  it('acknowledges the events without a request when encode gives no body at all', async () => {
    const list = events(2);
    const res = await httpSink({ url: url(), encode: () => [] }).send(list, { unload: false });
    expect(res.accepted).toEqual(ids(list));
    expect(h.collector.requests).toEqual([]);
  });

  it('rejects the events for good when encode throws, without a request', async () => {
    const list = events(2);
    const res = await httpSink({ url: url(), encode: () => { throw new Error('no encoder'); } }).send(list, { unload: false });
    expect(res.accepted).toEqual([]);
    expect(res.rejected).toEqual(ids(list));
    expect(res.error).toMatchObject({ code: 'sink_rejected' });
    expect(res.error!.message).toContain('no encoder');
    expect(h.collector.requests).toEqual([]);
  });

  // Was a bug (kept as a regression test): a hook that gave no string failed like a network
  // error, every time, so its batch blocked the queue for good.
  it('rejects the events for good when encode gives no string, without a request', async () => {
    for (const give of [undefined, { a: 1 }, Promise.resolve('x')]) {
      const list = events(2);
      const res = await httpSink({ url: url(), encode: () => give as unknown as string }).send(list, { unload: false });
      expect(res.rejected).toEqual(ids(list));
      expect(res.error).toMatchObject({ code: 'sink_rejected' });
      expect(res.error!.message).toBe('encode gave no string');
    }
    expect(h.collector.requests).toEqual([]);
  });

  it('sends the headers option', async () => {
    await httpSink({ url: url(), headers: { 'X-Api-Key': 'k-123', Authorization: 'Bearer t' } }).send(events(1), { unload: false });
    expect(h.collector.requests[0].headers['x-api-key']).toBe('k-123');
    expect(h.collector.requests[0].headers.authorization).toBe('Bearer t');
    expect(h.collector.requests[0].headers['content-type']).toBe('text/plain;charset=UTF-8');
  });

  it('gzips a body over 1 KB with Content-Encoding: gzip, and the collector reads it back whole', async () => {
    const list = events(5, 400);
    const res = await httpSink({ url: url() }).send(list, { unload: false });
    expect(res.accepted).toEqual(ids(list));
    const [r] = h.collector.requests;
    expect(r.headers['content-encoding']).toBe('gzip');
    expect(idsIn(r.body)).toEqual(ids(list));
    expect(r.bytes).toBeLessThan(r.body!.length / 5); // the repeated padding compresses well
  });

  it('leaves a body of 1 KB or less uncompressed', async () => {
    const list = events(1, 700);
    expect(list[0].json.length + 40).toBeLessThanOrEqual(1024);
    await httpSink({ url: url() }).send(list, { unload: false });
    expect(h.collector.requests[0].headers['content-encoding']).toBeUndefined();
  });

  it('does not compress with compress: false', async () => {
    const list = events(5, 400);
    await httpSink({ url: url(), compress: false }).send(list, { unload: false });
    const [r] = h.collector.requests;
    expect(r.headers['content-encoding']).toBeUndefined();
    expect(r.bytes).toBe(new TextEncoder().encode(r.body!).length);
    expect(idsIn(r.body)).toEqual(ids(list));
  });
});

describe('httpSink: answers', () => {
  it('accepts on any 2xx', async () => {
    for (const status of [200, 201, 202, 204]) {
      h.respond = () => status;
      const list = events(2);
      expect(await httpSink({ url: url() }).send(list, { unload: false }), String(status)).toEqual({ accepted: ids(list), rejected: [], retryAfterMs: 0 });
    }
  });

  it('neither accepts nor rejects on 500, 502, 503, 408 and 429, so the events are retried', async () => {
    for (const status of [500, 502, 503, 408, 429]) {
      h.respond = () => status;
      const res = await httpSink({ url: url() }).send(events(2), { unload: false });
      expect(res.accepted, String(status)).toEqual([]);
      expect(res.rejected, String(status)).toEqual([]);
      expect(res.error).toMatchObject({ code: 'sink_failed' });
      expect(res.error!.message).toContain(String(status));
    }
  });

  it('rejects the events for good on 400 and 422 once each is refused on its own', async () => {
    for (const status of [400, 422]) {
      h.respond = () => status;
      h.collector.requests.length = 0;
      const list = events(2);
      const res = await httpSink({ url: url() }).send(list, { unload: false });
      expect(res.accepted, String(status)).toEqual([]);
      expect(res.rejected, String(status)).toEqual(ids(list));
      expect(res.error).toMatchObject({ code: 'sink_rejected' });
      expect(res.error!.message).toContain(`${list[0].id} (${status})`);
      expect(h.collector.requests.map((r) => idsIn(r.body).length)).toEqual([2, 1, 1]);
    }
  });

  it('splits a batch answered 413 into halves until the parts fit', async () => {
    h.respond = (r) => (JSON.parse(r.body!).events.length > 2 ? 413 : 200);
    const list = events(7);
    const res = await httpSink({ url: url() }).send(list, { unload: false });
    expect(res.accepted).toEqual(ids(list));
    expect(res.rejected).toEqual([]);
    const delivered = h.collector.delivered.map((r) => idsIn(r.body));
    expect(delivered.flat()).toEqual(ids(list));
    expect(delivered.every((b) => b.length <= 2)).toBe(true);
  });

  it('rejects a single event answered 413', async () => {
    h.respond = () => 413;
    const list = events(2);
    const res = await httpSink({ url: url() }).send(list, { unload: false });
    expect(res.accepted).toEqual([]);
    expect(res.rejected).toEqual(ids(list));
    expect(h.collector.requests.map((r) => idsIn(r.body).length)).toEqual([2, 1, 1]);
  });

  it('reads Retry-After in seconds and as an HTTP date into retryAfterMs', async () => {
    h.respond = () => ({ status: 503, headers: { 'Retry-After': '7' } });
    expect((await httpSink({ url: url() }).send(events(1), { unload: false })).retryAfterMs).toBe(7000);
    h.respond = () => ({ status: 429, headers: { 'Retry-After': new Date(Date.now() + 90_000).toUTCString() } });
    const ms = (await httpSink({ url: url() }).send(events(1), { unload: false })).retryAfterMs!;
    expect(ms).toBeGreaterThan(88_000);
    expect(ms).toBeLessThanOrEqual(90_000);
    h.respond = () => 503;
    expect((await httpSink({ url: url() }).send(events(1), { unload: false })).retryAfterMs).toBe(0);
  });

  it('retries on a network error, with the error', async () => {
    const gone = await startCollector();
    const deadUrl = gone.url;
    await gone.close();
    const list = events(2);
    const res = await httpSink({ url: deadUrl }).send(list, { unload: false });
    expect(res.accepted).toEqual([]);
    expect(res.rejected).toEqual([]);
    expect(res.error).toMatchObject({ code: 'sink_failed' });
    expect(res.error!.message).toContain(deadUrl);
  });

  it('retries when the connection is cut before an answer', async () => {
    h.respond = () => 'drop';
    const res = await httpSink({ url: url() }).send(events(2), { unload: false });
    expect(res).toMatchObject({ accepted: [], rejected: [] });
    expect(res.error).toMatchObject({ code: 'sink_failed' });
    expect(h.collector.requests).toHaveLength(1);
  });

  // Was a bug (issue 11): a gzipped request cut off after the collector had it was sent again
  // at once uncompressed, so the collector got two copies.
  it('never sends a body again by itself after a network error', async () => {
    h.respond = () => 'drop';
    const sink = httpSink({ url: url() });
    const res = await sink.send(events(5, 400), { unload: false });
    expect(res).toMatchObject({ accepted: [], rejected: [] });
    expect(res.aborted).toBeUndefined();
    expect(h.collector.requests.map((r) => r.headers['content-encoding'])).toEqual(['gzip']);
  });

  // Was a bug (kept as a regression test): any network failure of a gzipped request turned gzip
  // off for the rest of the page, so one dropped connection cost compression for good.
  it('tries plain once after a gzipped request fails at the network, and keeps gzip when that was the network', async () => {
    h.respond = () => 'drop';
    const sink = httpSink({ url: url() });
    await sink.send(events(5, 400), { unload: false });
    await sink.send(events(5, 400), { unload: false }); // the plain try fails too
    h.respond = undefined;
    const a = events(5, 400);
    expect((await sink.send(a, { unload: false })).accepted).toEqual(ids(a)); // plain: the probe is still on
    const b = events(5, 400);
    expect((await sink.send(b, { unload: false })).accepted).toEqual(ids(b));
    expect(h.collector.requests.map((r) => r.headers['content-encoding'])).toEqual(['gzip', undefined, undefined, 'gzip']);
  });

  it('sends uncompressed for good when gzipped requests fail and the plain ones after them work, twice (a preflight refusing Content-Encoding)', async () => {
    h.respond = (r) => (r.headers['content-encoding'] ? 'drop' : undefined);
    const sink = httpSink({ url: url() });
    const results: SendResult[] = [];
    for (let i = 0; i < 6; i++) results.push(await sink.send(events(5, 400), { unload: false }));
    expect(h.collector.requests.map((r) => r.headers['content-encoding'])).toEqual(['gzip', undefined, 'gzip', undefined, undefined, undefined]);
    expect(results.map((r) => r.accepted.length)).toEqual([0, 5, 0, 5, 5, 5]);
    // A collector on another origin (Node has no page origin: every URL is one): the report says CORS.
    expect(results[0].error!.message).toMatch(/; CORS: does the collector send Access-Control-Allow-Origin and allow Content-Encoding\?$/);
    expect(results[3].notice).toMatchObject({ code: 'sink_failed' });
    expect(results[3].notice!.message).toBe(`${url()} refused gzip: plain from now on`);
    expect(results.filter((r) => r.notice)).toHaveLength(1);
  });

  it('gives up on a request after timeoutMs and retries later', async () => {
    h.respond = () => ({ status: 200, delayMs: 3000 });
    const start = Date.now();
    const res: SendResult = await httpSink({ url: url(), timeoutMs: 150 }).send(events(1), { unload: false });
    expect(Date.now() - start).toBeLessThan(2000);
    expect(res).toMatchObject({ accepted: [], rejected: [] });
    expect(res.error!.message).toMatch(/abort/i);
  });
});
