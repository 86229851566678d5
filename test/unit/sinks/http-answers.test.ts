// @vitest-environment node
// Node's fetch against the real test collector, as in http.test.ts. Here: what the sink makes of
// answers that mean a misconfigured collector, refused events, and a page being left.
import { describe, expect, it, vi } from 'vitest';
import type { SendResult } from '../../../src/core/types';
import { httpSink } from '../../../src/sinks/http';
import { startCollector } from '../../support/collector';
import { events, ids, idsIn, useCollector } from './queued-events';

const h = useCollector();
const url = h.url;
const zipped = () => h.collector.requests.map((r) => r.headers['content-encoding']);
// Delivery's report puts the code in front once: the message must not carry one of its own.
const plainMessage = (res: SendResult) => {
  expect(res.error!.message).not.toMatch(/sink_failed|sink_rejected|invalid_option|undefined/);
  return res.error!.message;
};

describe('httpSink: a misconfigured collector', () => {
  // Was a bug (issue 12): a 404 was taken as poison and the batch was dropped for good.
  it('keeps the events on 401, 403, 404, 405 and 415 and asks for a pause of 5 minutes, naming the URL', async () => {
    for (const status of [401, 403, 404, 405, 415]) {
      h.respond = () => status;
      const list = events(3);
      const res = await httpSink({ url: url() }).send(list, { unload: false });
      expect(res, String(status)).toMatchObject({ accepted: [], rejected: [], retryAfterMs: 300_000 });
      expect(res.error).toMatchObject({ code: 'sink_failed' });
      expect(plainMessage(res)).toContain(`${url()} answered ${status}`);
      expect(res.error!.message).toContain('check the collector; kept, next try in 5 min');
    }
  });

  // Was a bug (issue 16): a 307 to another address had the whole body posted there, and counted as sent.
  it('does not follow a redirect: the events are kept, the target gets nothing, and the report says redirect', async () => {
    h.respond = (r) => (r.path == '/e' ? { status: 307, headers: { Location: '/elsewhere' } } : 200);
    const list = events(2);
    const res = await httpSink({ url: url() }).send(list, { unload: false });
    expect(res).toMatchObject({ accepted: [], rejected: [], retryAfterMs: 300_000 });
    expect(plainMessage(res)).toBe(`${url()} redirects: check the collector; kept, next try in 5 min`);
    expect(h.collector.requests.map((r) => r.path)).toEqual(['/e']);
  });
});

describe('httpSink: events the collector refuses', () => {
  // Was a bug (issue 12): one bad event cost the whole batch.
  it('splits a batch answered 400 or 422 in halves to drop only the events refused, and names them', async () => {
    const list = events(8);
    const bad = [list[2].id, list[5].id];
    h.respond = (r) => (idsIn(r.body).some((id) => bad.includes(id)) ? 422 : 200);
    const res = await httpSink({ url: url() }).send(list, { unload: false });
    expect(res.rejected).toEqual(bad);
    expect(res.accepted.sort()).toEqual(ids(list).filter((id) => !bad.includes(id)).sort());
    expect(h.collector.events.map((e) => e.eventId).sort()).toEqual(res.accepted); // each good one once
    expect(res.error).toMatchObject({ code: 'sink_rejected' });
    expect(plainMessage(res)).toBe(`${url()} refused add_to_cart ${bad[0]} (422), add_to_cart ${bad[1]} (422)`);
  });

  // The answer of examples/ingest-lambda: it stored the valid events and names the others.
  it('drops only the events a 400 answer names, and takes the rest as stored, without splitting or sending them again', async () => {
    const list = events(6, 300);
    const bad = [list[1].id, list[4].id];
    h.respond = () => ({ status: 400, body: JSON.stringify({ error: 'invalid_events', accepted: 4, rejected: bad.map((eventId, i) => ({ index: i, eventId, reason: 'bad' })) }) });
    const res = await httpSink({ url: url() }).send(list, { unload: false });
    // Gzipped, and not sent again plain: the answer shows the collector read it.
    expect(zipped()).toEqual(['gzip']);
    expect(res.notice).toBeUndefined();
    expect(res.rejected).toEqual(bad);
    expect(res.accepted).toEqual(ids(list).filter((id) => !bad.includes(id)));
    expect(plainMessage(res)).toBe(`${url()} refused add_to_cart ${bad[0]} (400), add_to_cart ${bad[1]} (400)`);
  });

  it('sends at most 26 requests to tell them apart; the events it could not settle wait for the next try', async () => {
    h.respond = () => 400;
    const list = events(50);
    const res = await httpSink({ url: url() }).send(list, { unload: false });
    // The gzipped batch, the same plain, and 24 halves (plain: gzip was not the trouble).
    expect(h.collector.requests.length).toBeLessThanOrEqual(26);
    expect(zipped().filter(Boolean)).toEqual(['gzip']);
    expect(res.rejected!.length).toBeGreaterThan(0);
    expect(res.accepted).toEqual([]);
    expect(res.rejected!.length).toBeLessThan(50);
  });
});

describe('httpSink: a collector that cannot read gzip', () => {
  // Was a bug (issue 13): API Gateway passes a gzipped body base64-encoded, the Lambda answers
  // 400, and the batch was dropped as poison.
  it('sends a gzipped body answered 400 or 415 once more plain, and plain from then on, remembered per collector URL', async () => {
    for (const status of [400, 415]) {
      const storage: Record<string, unknown> = {};
      vi.stubGlobal('localStorage', storage);
      h.collector.requests.length = 0;
      h.respond = (r) => (r.headers['content-encoding'] ? status : 200);
      const sink = httpSink({ url: url() });
      const list = events(5, 400);
      const res = await sink.send(list, { unload: false });
      expect(res.accepted).toEqual(ids(list));
      expect(res.notice).toMatchObject({ code: 'sink_failed' });
      expect(res.notice!.message).toBe(`${url()} refused gzip: plain from now on`);
      expect((await sink.send(events(5, 400), { unload: false })).notice).toBeUndefined(); // said once
      // Another page or tab of the origin: a new sink, the same storage.
      await httpSink({ url: url() }).send(events(5, 400), { unload: false });
      h.respond = undefined;
      await httpSink({ url: url() + '?other' }).send(events(5, 400), { unload: false });
      expect(zipped(), String(status)).toEqual(['gzip', undefined, undefined, undefined, 'gzip']);
      expect(Object.keys(storage)).toEqual([`clicktrail:plain:${url()}`]);
    }
  });

  it('keeps gzip and drops nothing unseen when the plain body is refused too', async () => {
    h.respond = () => 400;
    const list = events(1, 1200);
    const sink = httpSink({ url: url() });
    const res = await sink.send(list, { unload: false });
    expect(res.rejected).toEqual(ids(list));
    expect(res.notice).toBeUndefined();
    h.respond = undefined;
    await sink.send(events(1, 1200), { unload: false });
    expect(zipped()).toEqual(['gzip', undefined, 'gzip']);
  });

  // Was a bug (kept as a regression test): the plain halves of a split batch counted as proof
  // that the collector could not read gzip.
  it('keeps gzip after splitting a batch whose gzipped and plain bodies were both refused', async () => {
    const list = events(8, 400);
    h.respond = (r) => (idsIn(r.body).includes(list[3].id) ? 400 : 200);
    const sink = httpSink({ url: url() });
    const res = await sink.send(list, { unload: false });
    expect(res.rejected).toEqual([list[3].id]);
    expect(res.notice).toBeUndefined();
    h.collector.requests.length = 0;
    await sink.send(events(8, 400), { unload: false });
    expect(zipped()).toEqual(['gzip']);
  });

  it('still turns gzip off for the page when localStorage throws', async () => {
    const denied = () => {
      throw new Error('SecurityError');
    };
    vi.stubGlobal('localStorage', new Proxy({}, { get: denied, set: denied }));
    h.respond = (r) => (r.headers['content-encoding'] ? 400 : 200);
    const sink = httpSink({ url: url() });
    expect((await sink.send(events(5, 400), { unload: false })).notice).toBeDefined();
    await sink.send(events(5, 400), { unload: false });
    expect(zipped()).toEqual(['gzip', undefined, undefined]);
  });
});

describe('httpSink: network errors', () => {
  it('reports a request cut off after pagehide as aborted, outcome unknown, and nothing else', async () => {
    const on: Record<string, () => void> = {};
    vi.stubGlobal('addEventListener', (type: string, fn: () => void) => (on[type] = fn));
    const sink = httpSink({ url: url() });
    h.respond = () => 'drop';
    const before = await sink.send(events(2), { unload: false });
    expect(before.aborted).toBeUndefined();
    on.pagehide();
    const res = await sink.send(events(2, 600), { unload: false });
    expect(res).toMatchObject({ accepted: [], rejected: [], aborted: true });
    expect(plainMessage(res)).toBe(`POST ${url()} cut off by leaving the page`);
    on.pageshow(); // back from the back/forward cache
    expect((await sink.send(events(2), { unload: false })).aborted).toBeUndefined();
    expect(h.collector.requests).toHaveLength(3); // and never a second copy
  });

  // Was a bug (issue 12): a CORS refusal said only "TypeError: Failed to fetch".
  it('mentions CORS and Access-Control-Allow-Origin when a request to another origin fails, and not for its own origin', async () => {
    const gone = await startCollector();
    await gone.close();
    const res = await httpSink({ url: gone.url + '/e' }).send(events(1), { unload: false });
    expect(plainMessage(res)).toMatch(/^POST http:\/\/127\.0\.0\.1:\d+\/e failed: TypeError: .*; CORS: does the collector send Access-Control-Allow-Origin\?$/);
    vi.stubGlobal('location', new URL(gone.url + '/page'));
    const own = await httpSink({ url: '/e' }).send(events(1), { unload: false });
    expect(plainMessage(own)).not.toContain('CORS');
    expect(own.error!.message).toContain(`POST ${gone.url}/e failed`);
  });
});
