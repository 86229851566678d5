// @vitest-environment node
// The page-hide path and the options, split from http.test.ts (same set-up).
// Node rather than happy-dom: happy-dom's fetch applies its own CORS rules to the collector's
// port; Node 20's fetch, Blob and CompressionStream are the platform APIs the sink uses.
import { describe, expect, it, vi } from 'vitest';
import { httpSink } from '../../../src/sinks/http';
import { events, ids, idsIn, useCollector } from './queued-events';

const h = useCollector();
const url = h.url;

describe('httpSink: at unload', () => {
  it('sends CORS-simple requests: no custom headers and no compression', async () => {
    const list = events(5, 400);
    const res = await httpSink({ url: url(), headers: { 'X-Api-Key': 'k' } }).send(list, { unload: true });
    expect(res.accepted).toEqual(ids(list));
    const [r] = h.collector.requests;
    expect(r.headers['x-api-key']).toBeUndefined();
    expect(r.headers['content-encoding']).toBeUndefined();
    expect(r.headers['content-type']).toBe('text/plain;charset=UTF-8');
    expect(idsIn(r.body)).toEqual(ids(list));
  });

  it('never rejects for good at unload, nor splits on 413', async () => {
    for (const status of [400, 413, 422]) {
      h.respond = () => status;
      h.collector.requests.length = 0;
      const res = await httpSink({ url: url() }).send(events(4), { unload: true });
      expect(res, String(status)).toMatchObject({ accepted: [], rejected: [] });
      expect(h.collector.requests).toHaveLength(1);
    }
  });

  // Was a bug (issue 16): the beacon carried the page's cookies and full-URL Referer, though the
  // sink sends without credentials, and its events were held unconfirmed.
  it('keeps a body past the 64 KB keepalive budget for the next page, and never hands it to sendBeacon', async () => {
    const beacons: unknown[] = [];
    vi.stubGlobal('navigator', { sendBeacon: (...a: unknown[]) => (beacons.push(a), true) });
    for (const credentials of [undefined, 'omit', 'include'] as const) {
      const res = await httpSink({ url: url(), credentials }).send(events(4, 17_000), { unload: true });
      expect(res).toMatchObject({ accepted: [], rejected: [] });
      expect(res.error!.message).toBe(`POST ${url()} failed: kept for the next page (keepalive budget full)`);
    }
    expect(beacons).toEqual([]);
    expect(h.collector.requests).toEqual([]);
  });
});

describe('httpSink: options', () => {
  it('does not throw without a url: every send fails with invalid_option and accepts nothing', async () => {
    const sink = httpSink({} as { url: string });
    const res = await sink.send(events(2, 100), { unload: false });
    expect(res.accepted).toEqual([]);
    expect(res.rejected ?? []).toEqual([]);
    expect(res.error).toMatchObject({ code: 'invalid_option' });
  });

  it('sends the queued JSON byte for byte inside the batch, gzip undone', async () => {
    const list = events(4, 500);
    await httpSink({ url: url() }).send(list, { unload: false });
    const [r] = h.collector.requests;
    expect(r.headers['content-encoding']).toBe('gzip');
    expect(r.body).toMatch(/^\{"sentAt":"[^"]+","events":\[/);
    expect(r.body!.slice(r.body!.indexOf('"events":') + 9, -1)).toBe(`[${list.map((e) => e.json).join(',')}]`);
  });
});
