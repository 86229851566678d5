// @vitest-environment node
// The collector URL is checked when the sink is made, against a page location stubbed here (the
// real-browser half is in test/e2e/http-sink.e2e.test.ts).
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { httpSink } from '../../../src/sinks/http';
import { startCollector, type Collector } from '../../support/collector';
import { events, ids } from './queued-events';

let collector: Collector;
beforeAll(async () => {
  collector = await startCollector();
});
afterAll(() => collector.close());
afterEach(() => {
  collector.requests.length = 0;
  vi.unstubAllGlobals();
});

const onPage = (href: string) => vi.stubGlobal('location', new URL(href));

async function refused(url: unknown) {
  const list = events(2);
  const res = await httpSink({ url } as { url: string }).send(list, { unload: false });
  expect(res.accepted).toEqual([]);
  expect(res.rejected ?? []).toEqual([]);
  expect(res.retryAfterMs).toBe(300_000); // no spinning on a URL that cannot work
  expect(res.error).toMatchObject({ code: 'invalid_option' });
  expect(res.error!.message).not.toMatch(/undefined|invalid_option:/);
  expect(collector.requests).toEqual([]);
  return res.error!.message;
}

describe('httpSink: the collector URL', () => {
  // Was a bug (issue 12): 'v1/events' posted relative to each page, and the 404s dropped events.
  it('refuses a relative URL and names where it would have posted', async () => {
    onPage('https://shop.example/products/42');
    expect(await refused('v1/events')).toBe('httpSink url "v1/events" is relative: it posts to https://shop.example/products/v1/events; start it with / or https://');
  });

  it('refuses a missing url, a non-http(s) one and one that is not a URL', async () => {
    onPage('https://shop.example/');
    expect(await refused(undefined)).toBe('httpSink url missing: not an http(s) URL');
    expect(await refused('ftp://shop.example/e')).toBe('httpSink url "ftp://shop.example/e": not an http(s) URL');
    vi.unstubAllGlobals(); // no page: a root-relative URL has nothing to resolve against
    expect(await refused('/v1/events')).toBe('httpSink url "/v1/events": not an http(s) URL');
  });

  // Was a bug (issue 16): the browser blocked it as mixed content and it was retried for ever.
  it('refuses an http:// collector from an https:// page, but not a loopback one', async () => {
    onPage('https://shop.example/');
    expect(await refused('http://collect.shop.example/e')).toBe('httpSink url "http://collect.shop.example/e" is http on an https page: blocked as mixed content');
    const list = events(1);
    expect((await httpSink({ url: collector.url + '/e' }).send(list, { unload: false })).accepted).toEqual(ids(list));
  });

  it('posts a root-relative or protocol-relative URL to the page origin it resolves to', async () => {
    onPage(collector.url + '/products/42');
    const list = events(1);
    expect((await httpSink({ url: '/v1/events' }).send(list, { unload: false })).accepted).toEqual(ids(list));
    expect((await httpSink({ url: collector.url.slice(5) + '/v2' }).send(list, { unload: false })).accepted).toEqual(ids(list));
    expect(collector.requests.map((r) => r.path)).toEqual(['/v1/events', '/v2']);
  });
});
