import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { browserAvailable, waitFor } from '../support/browser';
import { idCounts, startCollector, type Collector, type CollectorOptions } from '../support/collector';
import { useBrowserAndCollector } from '../support/harness';
import { trackerPage } from '../support/pages';

// Only flush() delivers: no timed drain can race the assertions.
// Each test's own queue (appId): events one test leaves queued must not reach another's flush.
const quiet = (path: string) => `{ appId: '${path.replace(/\W/g, '')}', batch: { flushIntervalMs: 600000 } }`;
type Report = { sent: number; failed: number; dropped: number; queued: number };

describe.runIf(browserAvailable())('httpSink answers in a real browser', () => {
  let respond: CollectorOptions['respond'];
  const h = useBrowserAndCollector({ respond: (r) => (r.path == '/v1/events' ? respond?.(r) : undefined) });
  let other: Collector;
  beforeAll(async () => {
    other = await startCollector();
  });
  afterAll(() => other?.close());

  async function open(path: string, url = '/v1/events', options = quiet(path)): Promise<Page> {
    h.collector.page(path, trackerPage({ url, options }));
    const page = await h.browser.context.newPage();
    await page.goto(h.collector.url + path);
    return page;
  }
  const track = (page: Page, name: string, n: number, pad = 0) =>
    page.evaluate(([name, n, pad]) => {
      for (let i = 0; i < n; i++) (window as any).tracker.track(name, { i, pad: 'x'.repeat(pad) });
    }, [name, n, pad] as const);
  const flush = (page: Page): Promise<Report> => page.evaluate(() => (window as any).tracker.flush());
  const errors = (page: Page): Promise<Array<{ code: string; message: string }>> => page.evaluate(() => (window as any).errors);
  const named = (c: Collector, name: string) => c.events.filter((e) => e.name === name);

  // Was a bug (issue 12): a 404 was taken as poison and the batch dropped for good.
  it('keeps the events a 404 answers, reports the resolved URL once without nesting, and sends them when the collector is fixed', async () => {
    respond = () => 404;
    const page = await open('/misconf.html');
    await track(page, 'misconf', 3);
    expect(await flush(page)).toMatchObject({ sent: 0, dropped: 0, queued: 3 });
    const [e, ...more] = await errors(page);
    expect(more).toEqual([]);
    expect(e.code).toBe('sink_failed');
    expect(e.message).toContain(`${h.collector.url}/v1/events answered 404: check the collector`);
    expect(e.message.match(/sink_failed|sink_rejected/g)).toHaveLength(1);
    expect(e.message).not.toContain('undefined');
    respond = undefined;
    expect(await flush(page)).toMatchObject({ sent: 3, queued: 0 });
    expect([...idCounts(named(h.collector, 'misconf')).values()]).toEqual([1, 1, 1]);
    await page.close();
  });

  // Was a bug (issue 12): one event the collector refuses cost the whole batch.
  it('drops only the events a 400 refuses, found by splitting the batch, and names them', async () => {
    respond = (r) => (r.body?.includes('"name":"bad_row"') ? 400 : undefined);
    const page = await open('/split.html');
    await page.evaluate(() => {
      const t = (window as any).tracker;
      for (let i = 0; i < 8; i++) t.track(i == 2 || i == 6 ? 'bad_row' : 'good_row', { i });
    });
    expect(await flush(page)).toMatchObject({ sent: 6, dropped: 2, queued: 0 });
    expect([...idCounts(named(h.collector, 'good_row')).values()]).toEqual([1, 1, 1, 1, 1, 1]);
    expect(named(h.collector, 'bad_row')).toEqual([]);
    const bad = [...new Set(h.collector.received.filter((e) => e.name === 'bad_row').map((e) => e.eventId))];
    const [e] = (await errors(page)).filter((x) => x.code === 'sink_rejected');
    expect(e.message).toContain(`${h.collector.url}/v1/events refused bad_row ${bad[0]} (400), bad_row ${bad[1]} (400)`);
    await page.close();
  });

  // The answer of examples/ingest-lambda: it stored the valid events and names the refused ones.
  it('drops only the events a 400 answer names and sends none of the others twice', async () => {
    respond = (r) => {
      const refused = JSON.parse(r.body!).events.filter((e: any) => e.name === 'named_bad');
      return refused.length ? { status: 400, body: JSON.stringify({ error: 'invalid_events', rejected: refused.map((e: any) => ({ eventId: e.eventId, reason: 'bad' })) }) } : undefined;
    };
    const page = await open('/named.html');
    await page.evaluate(() => {
      const t = (window as any).tracker;
      for (let i = 0; i < 8; i++) t.track(i == 3 ? 'named_bad' : 'named_good', { i });
    });
    expect(await flush(page)).toMatchObject({ sent: 7, dropped: 1, queued: 0 });
    // Each good event reached the collector once: in the answered-400 request, which stored it.
    expect([...idCounts(h.collector.received.filter((e) => e.name === 'named_good')).values()]).toEqual([1, 1, 1, 1, 1, 1, 1]);
    const [e] = (await errors(page)).filter((x) => x.code === 'sink_rejected');
    expect(e.message).toMatch(/refused named_bad [0-9a-f-]{36} \(400\)$/);
    respond = undefined;
    await page.close();
  });

  // Was a bug (issue 16): a 307 had the body posted to another origin and counted as sent.
  it('does not follow a redirect: nothing reaches its target, the events stay queued and the report says so', async () => {
    respond = () => ({ status: 307, headers: { Location: other.url + '/v1/events' } });
    const page = await open('/redirect.html');
    await track(page, 'redirected', 2);
    expect(await flush(page)).toMatchObject({ sent: 0, queued: 2 });
    expect(other.requests).toEqual([]);
    const [e] = await errors(page);
    expect(e.message).toContain(`${h.collector.url}/v1/events redirects: check the collector`);
    respond = undefined;
    await page.close();
  });

  // Was a bug (issue 13): API Gateway gives the Lambda a gzipped body base64-encoded, the
  // Lambda answers 400, and the batch was dropped as poison.
  it('sends a gzipped body refused with 400 once more plain, and plain from then on in every page of the origin', async () => {
    respond = (r) => (r.headers['content-encoding'] ? 400 : undefined);
    const page = await open('/gzip-off.html');
    await track(page, 'plain_only', 10, 200);
    expect(await flush(page)).toMatchObject({ sent: 10, dropped: 0 });
    const mine = () => h.collector.requests.filter((r) => r.events.some((e) => e.name === 'plain_only'));
    // (A drain the writes started may have sent part of them first: still one gzipped request.)
    const [zipped, again, ...rest] = mine();
    expect([zipped.headers['content-encoding'], zipped.status]).toEqual(['gzip', 400]);
    expect([again.headers['content-encoding'], again.status, again.body]).toEqual([undefined, 200, zipped.body]);
    expect(rest.every((r) => !r.headers['content-encoding'] && r.status === 200)).toBe(true);
    const kept = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('clicktrail:')));
    expect(kept).toContain(`clicktrail:plain:${h.collector.url}/v1/events`);
    // Another tab of the origin sends plain from its first request.
    const next = await open('/gzip-off.html');
    await track(next, 'plain_only', 10, 200);
    expect(await flush(next)).toMatchObject({ sent: 10 });
    expect(mine().filter((r) => r.headers['content-encoding'])).toEqual([zipped]);
    expect([...idCounts(named(h.collector, 'plain_only')).values()].every((n) => n === 1)).toBe(true);
    respond = undefined;
    await page.close();
    await next.close();
  });

  // Was a bug (issue 12): a CORS refusal said only "TypeError: Failed to fetch".
  it('names CORS and Access-Control-Allow-Origin when a collector on another origin does not allow the page', async () => {
    const strict = await startCollector({ respond: () => ({ status: 200, headers: { 'Access-Control-Allow-Origin': 'https://shop.example' } }) });
    try {
      const page = await open('/cors-denied.html', strict.url + '/v1/events');
      await track(page, 'denied', 1);
      expect(await flush(page)).toMatchObject({ sent: 0, queued: 1 });
      const [e] = await errors(page);
      expect(e.message).toMatch(new RegExp(`POST ${strict.url}/v1/events failed: TypeError: .*; CORS: does the collector send Access-Control-Allow-Origin\\?$`));
      await waitFor('the request at the collector', () => strict.requests.length);
      await page.close();
    } finally {
      await strict.close();
    }
  });
});
