// The short form of `npm run bench` in `npm test`: the harness works (bundling, the shared
// collector reading every SDK's body format, the delivery count), not the timings.
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable } from '../support/browser';
import { startBenchCollector, type BenchCollector } from './bench-collector';
import { report } from './report';
import { bundle, serve, wire } from './measure';
import { analyse } from './profile';
import { SDKS } from './sdks';

describe.runIf(browserAvailable())('the comparative benchmark harness', () => {
  let c: BenchCollector;
  beforeAll(async () => {
    c = await startBenchCollector();
  });
  afterAll(() => c?.close());

  it('finds the bench keys in gzip, gzip-js, base64 form and plain bodies', async () => {
    const post = (path: string, body: Buffer | string, headers: Record<string, string> = {}) => fetch(c.url + path, { method: 'POST', body: typeof body == 'string' ? body : new Uint8Array(body), headers });
    await post('/e', gzipSync(JSON.stringify({ events: [{ k: 'bk-0-1' }] })), { 'Content-Encoding': 'gzip' });
    await post('/i/v0/e/?compression=gzip-js', gzipSync(JSON.stringify([{ properties: { k: 'bk-0-2' } }])));
    await post('/e/', 'data=' + encodeURIComponent(Buffer.from(JSON.stringify({ k: 'bk-0-3' })).toString('base64')));
    await post('/com.snowplowanalytics.snowplow/tp2', JSON.stringify({ data: [{ se_la: 'bk-0-4' }] }));
    c.status = 503;
    await post('/v1/t', JSON.stringify({ properties: { k: 'bk-0-5' } }));
    c.status = 200;
    expect([...c.delivered('bk-0-')].sort()).toEqual(['bk-0-1', 'bk-0-2', 'bk-0-3', 'bk-0-4']);
  });

  it('bundles clicktrail for the same job and counts its requests, bytes and deliveries', async () => {
    const sdk = SDKS.find((s) => s.name == 'clicktrail')!;
    const b = await bundle(sdk);
    expect(b.brotli).toBeLessThan(b.gzip);
    expect(b.gzip).toBeLessThan(b.min);
    serve(c, sdk, b.code);
    const w = await wire(c, sdk, 120);
    expect(w.delivered).toBe(120);
    // 120 events in batches of at most 50: three requests or more, each gzipped.
    expect(w.requests * 0.12).toBeGreaterThanOrEqual(3);
    expect(w.wireBytes).toBeLessThan(w.decodedBytes);
    const table = report({ clicktrail: { version: '0', bundle: b, track: { meanUs: 1, p99Us: 5 }, burst2000: { taskMs: 1, deliveredIn10s: 1 }, longTasks10000: { count: 0, totalMs: 0 }, per1000: w, close50Healthy: { atClose: 1, afterNextPage: 1 }, close50Failing503: { afterNextPage: 1 } } });
    expect(table).toContain('| bundle brotli (B) |');
  }, 120_000);

  it('counts the bare loop\'s events and reports clicktrail\'s figures as ratios to it', async () => {
    const sdk = SDKS.find((s) => s.name == 'bare')!;
    const b = await bundle(sdk);
    serve(c, sdk, b.code);
    const w = await wire(c, sdk, 120);
    expect(w.delivered).toBe(120);
    // Two full batches of 50 at once, the last 20 on flush(): three plain JSON requests.
    expect(Math.round(w.requests * 0.12)).toBe(3);
    // Not compressed: the decoded count only adds the query string and a space per request.
    expect(w.wireBytes).toBeGreaterThan(w.decodedBytes * 0.99);
    const figures = (taskMs: number, meanUs: number) => ({ version: '0', track: { meanUs }, burst2000: { taskMs } });
    const table = report({ clicktrail: figures(300, 4), bare: figures(100, 5) });
    expect(table).toContain('clicktrail ÷ bare, CPU, burst 2,000 + 10 s: ×3 (target ≤ 3: met)');
    expect(table).toContain('clicktrail ÷ bare, track() mean: ×0.8 (target ≤ 1.3: met)');
  }, 120_000);

  it('reads a CPU profile into self and total time per function, natives named by their caller', () => {
    const frame = (functionName: string, url = '', lineNumber = -1, scriptId = '0') => ({ functionName, url, lineNumber, scriptId });
    const nodes = [
      { id: 1, callFrame: frame('(root)'), children: [2, 3, 4, 5] },
      { id: 2, callFrame: frame('(idle)') },
      { id: 3, callFrame: frame('(program)') },
      { id: 4, callFrame: frame('', '', 0, '9'), children: [6] },
      { id: 5, callFrame: frame('(garbage collector)') },
      { id: 6, callFrame: frame('track', 'http://127.0.0.1:1/dist/index.js', 9, '7'), children: [7] },
      { id: 7, callFrame: frame('put') },
    ];
    // Each sample's time runs to the next: idle 5 ms, program 1, loop 1, track 2, put 3, GC 1.
    const samples = [2, 3, 4, 6, 7, 5, 2];
    const timeDeltas = [0, 5000, 1000, 1000, 2000, 3000, 1000];
    const a = analyse({ nodes, samples, timeDeltas, startTime: 0, endTime: 13000 }, (u) => u.includes('/dist/'));
    const row = (fn: string) => a.rows.find((r) => r.fn == fn)!;
    expect(row('put ← track /dist/index.js:10')).toMatchObject({ selfMs: 3, totalMs: 3, category: 'IndexedDB / structured clone' });
    expect(row('track')).toMatchObject({ at: '/dist/index.js:10', selfMs: 2, totalMs: 5, category: 'our JS' });
    expect(row('(anonymous)')).toMatchObject({ at: '(page.evaluate)', selfMs: 1, totalMs: 6, category: 'harness (the burst loop)' });
    expect(a.busyMs).toBe(8);
    expect(a.categories.get('GC')).toBe(1);
  });
});
