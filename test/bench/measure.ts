// The measurements of the comparative benchmark, one function per figure. Each runs in a fresh
// Chromium (its own profile), on a page served by the bench collector at the same origin.
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import type { Page } from 'playwright-core';
import { launch, waitFor, type LaunchedBrowser } from '../support/browser';
import type { BenchCollector } from './bench-collector';
import type { Sdk } from './sdks';

let run = 0;
/** A key prefix of its own for each measurement: leftovers of another never count. */
export const prefix = () => `bk-${++run}-`;
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function bundle(sdk: Sdk): Promise<{ code: string; min: number; gzip: number; brotli: number }> {
  const out = await build({
    stdin: { contents: sdk.entry, resolveDir: 'test/bench', loader: 'js' },
    bundle: true,
    minify: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2020',
    write: false,
    logLevel: 'silent',
    define: { 'process.env.NODE_ENV': '"production"' },
  });
  const code = out.outputFiles[0].text;
  return {
    code,
    min: Buffer.byteLength(code),
    gzip: gzipSync(code, { level: 9 }).length,
    brotli: brotliCompressSync(code, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
}

/** Serves the SDK's page; the SDK gets a second after load to set itself up (Segment loads async). */
export function serve(c: BenchCollector, sdk: Sdk, code: string): void {
  c.page(`/${sdk.name}.js`, code, 'text/javascript');
  c.page(`/${sdk.name}.html`, `<!doctype html><meta charset="utf-8"><title>${sdk.name}</title>
<script>window.BENCH_URL = location.origin;</script><script src="/${sdk.name}.js"></script><h1>bench</h1>`);
}

async function fresh<T>(c: BenchCollector, sdk: Sdk, fn: (page: Page, b: LaunchedBrowser) => Promise<T>): Promise<T> {
  const b = await launch();
  try {
    const page = await b.context.newPage();
    await page.goto(`${c.url}/${sdk.name}.html`);
    await sleep(1_000);
    const work = fn(page, b);
    work.catch(() => undefined); // still pending when the browser closes after a timeout
    return await Promise.race([work, sleep(LIMIT_MS).then(() => Promise.reject(new Error(`no result within ${LIMIT_MS / 1000} s`)))]);
  } finally {
    await b.close();
  }
}

/** A measurement that takes longer than this is reported as such, not waited for. */
const LIMIT_MS = 120_000;

export const burst = (page: Page, p: string, from: number, n: number) =>
  page.evaluate(([p, from, n]) => { for (let i = from; i < from + n; i++) (window as any).bench.track(p + i); }, [p, from, n] as const);

/** track(): mean over 10,000 calls timed as a whole, p99 over 10,000 more timed one by one. */
export function trackCost(c: BenchCollector, sdk: Sdk, n = 10_000) {
  return fresh(c, sdk, async (page) => {
    const p = prefix();
    await burst(page, p, 0, 200); // warm-up
    return page.evaluate(([p, n]) => {
      const b = (window as any).bench;
      let t0 = performance.now();
      for (let i = 0; i < n; i++) b.track(p + (1e6 + i));
      const mean = ((performance.now() - t0) / n) * 1000;
      const each = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        t0 = performance.now();
        b.track(p + (2e6 + i));
        each[i] = performance.now() - t0;
      }
      each.sort();
      return { meanUs: mean, p99Us: each[Math.floor(n * 0.99)] * 1000, isolated: crossOriginIsolated };
    }, [p, n] as const);
  });
}

/** Main-thread task time (CDP Performance.getMetrics TaskDuration) for a burst of n and the 10 s after it returned, and events delivered by then. */
export function burstCpu(c: BenchCollector, sdk: Sdk, n = 2_000, afterMs = 10_000) {
  return fresh(c, sdk, async (page, b) => {
    const cdp = await b.context.newCDPSession(page);
    await cdp.send('Performance.enable');
    const metric = async () => {
      const { metrics } = await cdp.send('Performance.getMetrics');
      const m = Object.fromEntries(metrics.map((x: { name: string; value: number }) => [x.name, x.value]));
      return { task: m.TaskDuration * 1000, script: m.ScriptDuration * 1000 };
    };
    const p = prefix();
    const before = await metric();
    const start = Date.now();
    await burst(page, p, 0, n);
    const burstMs = Date.now() - start;
    await sleep(afterMs);
    const after = await metric();
    return { taskMs: after.task - before.task, scriptMs: after.script - before.script, burstMs, deliveredIn10s: c.delivered(p).size };
  });
}

/** burstCpu `runs` times, each in a fresh browser: the run with the median CPU, and every run's. */
export async function burstCpuMedian(c: BenchCollector, sdk: Sdk, runs: number) {
  const all = [];
  for (let i = 0; i < runs; i++) all.push(await burstCpu(c, sdk));
  const sorted = all.slice().sort((a, b) => a.taskMs - b.taskMs);
  return { ...sorted[(runs - 1) >> 1], taskMsRuns: all.map((r) => Math.round(r.taskMs)) };
}

/** Long tasks (Long Tasks API) from a burst of n calls in one task to 3 s after. */
export function longTasks(c: BenchCollector, sdk: Sdk, n = 10_000) {
  return fresh(c, sdk, async (page) => {
    const p = prefix();
    await page.evaluate(() => {
      (window as any).longs = [];
      new PerformanceObserver((l) => (window as any).longs.push(...l.getEntries().map((e) => e.duration))).observe({ type: 'longtask' });
    });
    await burst(page, p, 0, n);
    await sleep(3_000);
    const longs: number[] = await page.evaluate(() => (window as any).longs);
    return { count: longs.length, totalMs: Math.round(longs.reduce((a, b) => a + b, 0)), longestMs: Math.round(Math.max(0, ...longs)) };
  });
}

/** Requests and bytes (on the wire and decoded) to deliver n events, per 1,000 events. */
export function wire(c: BenchCollector, sdk: Sdk, n = 1_000) {
  return fresh(c, sdk, async (page) => {
    const p = prefix();
    const from = c.requests.length;
    await burst(page, p, 0, n);
    await page.evaluate(() => (window as any).bench.flush()).catch(() => undefined);
    await waitFor('every event', () => c.delivered(p).size >= n, 30_000).catch(() => undefined);
    await sleep(1_000);
    const rs = c.requests.slice(from);
    const per = 1_000 / n;
    return { delivered: c.delivered(p).size, requests: rs.length * per, wireBytes: Math.round(rs.reduce((a, r) => a + r.wire, 0) * per), decodedBytes: Math.round(rs.reduce((a, r) => a + r.decoded, 0) * per) };
  });
}

/** Tracks 50, closes the page 50 ms later; counts what arrived by 3 s after, then after the next page view (10 s). */
export async function closeAfter50(c: BenchCollector, sdk: Sdk, status: number) {
  const b = await launch();
  try {
    const page = await b.context.newPage();
    await page.goto(`${c.url}/${sdk.name}.html`);
    await sleep(1_000);
    const p = prefix();
    c.status = status;
    await burst(page, p, 0, 50);
    await sleep(50);
    await page.close({ runBeforeUnload: true });
    await sleep(3_000);
    const atClose = c.delivered(p).size;
    c.status = 200;
    const next = await b.context.newPage();
    await next.goto(`${c.url}/${sdk.name}.html`);
    await waitFor('all 50', () => c.delivered(p).size >= 50, 10_000).catch(() => undefined);
    return { atClose, afterNextPage: c.delivered(p).size };
  } finally {
    c.status = 200;
    await b.close();
  }
}
