import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, waitFor } from '../support/browser';
import { startCollector, type Collector } from '../support/collector';
import { useBrowserAndCollector } from '../support/harness';
import { trackerPage } from '../support/pages';

describe.runIf(browserAvailable())('a cross-origin collector that answers no CORS preflight', () => {
  const h = useBrowserAndCollector(); // serves the page
  let bare: Collector;
  beforeAll(async () => {
    bare = await startCollector({ preflight: false });
  });
  afterAll(() => bare?.close());

  // The sink never sends a body twice by itself (issue 11): the try after a failed gzipped
  // request goes plain, and after two such rounds gzip stays off for that collector.
  it('still gets every event once: after a gzipped request fails, the next try goes plain, and after two such rounds every request does', async () => {
    // The page is on localhost, the collector on 127.0.0.1: another origin.
    const site = h.collector.url.replace('127.0.0.1', 'localhost');
    h.collector.page('/cors.html', trackerPage({ url: bare.url + '/v1/events', options: '{ batch: { flushIntervalMs: 200 }, retry: { baseMs: 50, maxMs: 200 } }' }));
    const page = await h.browser.context.newPage();
    // The gzipped requests the browser gave up on (their preflight was refused).
    const refused: string[] = [];
    page.on('requestfailed', (r) => r.url().startsWith(bare.url) && refused.push(r.headers()['content-encoding']));
    await page.goto(site + '/cors.html');
    for (let round = 1; round <= 3; round++) {
      await page.evaluate((round) => {
        for (let i = 0; i < 40; i++) (window as any).tracker.track('cors_event', { round, i, pad: 'x'.repeat(100) });
      }, round);
      await waitFor(`round ${round}`, () => bare.events.filter((e) => e.properties?.round === round).length >= 40);
    }
    // None went gzipped (the preflight for Content-Encoding was refused), and none twice.
    expect(bare.delivered.every((r) => r.headers['content-encoding'] === undefined)).toBe(true);
    expect(new Set(bare.events.map((e) => e.eventId)).size).toBe(bare.events.length);
    // Playwright hears of a failed request through the browser's protocol, which can come after
    // the collector already has the plain try.
    await waitFor('the two refused gzipped requests', () => refused.length >= 2, 5_000);
    expect(refused).toEqual(['gzip', 'gzip']);
    // Each failed round was reported once, naming what the collector must allow; then, once, that
    // gzip is off for this collector.
    const errors: Array<{ message: string }> = await page.evaluate(() => (window as any).errors);
    const failed = errors.filter((e) => e.message.includes('; CORS: does the collector send Access-Control-Allow-Origin and allow Content-Encoding?'));
    expect(failed).toHaveLength(2);
    expect(errors.filter((e) => !failed.includes(e)).map((e) => e.message.replace(/^.*: (http\S*)/, '$1'))).toEqual([bare.url + '/v1/events refused gzip: plain from now on']);
    await page.close();
  });
});

describe.runIf(browserAvailable())('a cross-origin collector that asks for a pause with Retry-After', () => {
  const h = useBrowserAndCollector(); // serves the page
  let slow: Collector;
  beforeAll(async () => {
    // The example collector exposes Retry-After to cross-origin pages, as the README asks.
    slow = await startCollector({ respond: ({ n, path }) => (path === '/v1/events' && n === 1 ? { status: 429, headers: { 'Retry-After': '1' } } : undefined) });
  });
  afterAll(() => slow?.close());

  it('waits as long as it asks, though the page is on another origin', async () => {
    const site = h.collector.url.replace('127.0.0.1', 'localhost');
    h.collector.page('/xo-ra.html', trackerPage({ url: slow.url + '/v1/events', options: '{ batch: { flushIntervalMs: 100 }, retry: { baseMs: 10, maxMs: 20 } }' }));
    const page = await h.browser.context.newPage();
    await page.goto(site + '/xo-ra.html');
    await page.evaluate(() => (window as any).tracker.track('after_429', {}));
    await waitFor('delivery after the 429', () => slow.events.some((e) => e.name === 'after_429'), 20_000);
    const [first, second] = slow.requests.filter((r) => r.path === '/v1/events');
    expect(first.status).toBe(429);
    expect(second.at - first.at).toBeGreaterThanOrEqual(950);
    await page.close();
  });
});
