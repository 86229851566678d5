// Not part of `npm test`: where the main thread's time goes for a burst of 2,000 events and the
// 10 s after (issue 11's CPU figure), for clicktrail and for the bare loop of test/bench/sdks.ts.
//   npx vitest run --project bench test/bench/profile.bench.ts
// PROFILE_SDKS=clicktrail picks entries (default clicktrail,clicktrail-plain,bare,empty); PROFILE_INTERVAL_US sets the sampling interval (100).
// clicktrail runs from dist/ unbundled (ES modules), so names and file:line are dist's own.
// Prints the top 20 functions by self time and the time by category, and writes each profile
// to the system's temp folder (open it in DevTools' Performance panel). TRACE=1 records a Chrome
// trace instead and sums the main thread's trace events by name (what "(program)" was).
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it } from 'vitest';
import { browserAvailable, launch } from '../support/browser';
import { startBenchCollector, type BenchCollector } from './bench-collector';
import { burst, prefix, sleep } from './measure';
import { analyse, profileTables, type CpuProfile } from './profile';
import { SDKS } from './sdks';
import { mainThreadTable, startTrace } from './trace';

const only = (process.env.PROFILE_SDKS || 'clicktrail,clicktrail-plain,bare,empty').split(',').map((n) => n.trim());
const clicktrail = SDKS.find((s) => s.name == 'clicktrail')!;
const EXTRA = [
  // What gzip costs: CompressionStream's work runs outside JS, so it shows only as (program).
  { name: 'clicktrail-plain', entry: clicktrail.entry.replace("'/e' })", "'/e', compress: false })") },
  // The floor under all: the same page and burst loop with a track() that does nothing.
  { name: 'empty', entry: 'window.bench = { track: () => undefined, flush: () => undefined };' },
];
const INTERVAL_US = Number(process.env.PROFILE_INTERVAL_US) || 100;
const TRACE = !!process.env.TRACE;

/** Serves dist/*.js and dist/chunks/*.js as they are, under /dist/. */
function serveDist(c: BenchCollector): void {
  for (const dir of ['dist', 'dist/chunks']) {
    for (const f of readdirSync(dir)) if (f.endsWith('.js')) c.page(`/${dir}/${f}`, readFileSync(join(dir, f), 'utf8'), 'text/javascript');
  }
}

async function profileOne(c: BenchCollector, name: string, entry: string) {
  c.page(`/p-${name}.js`, entry.replaceAll('../../dist/', '/dist/'), 'text/javascript');
  c.page(`/p-${name}.html`, `<!doctype html><meta charset="utf-8"><title>${name}</title>
<script>window.BENCH_URL = location.origin;</script><script type="module" src="/p-${name}.js"></script><h1>bench</h1>`);
  const b = await launch();
  try {
    const page = await b.context.newPage();
    await page.goto(`${c.url}/p-${name}.html`);
    await page.waitForFunction(() => (window as any).bench);
    await sleep(1_000);
    const cdp = await b.context.newCDPSession(page);
    await cdp.send('Performance.enable');
    const taskMs = async () => (await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name == 'TaskDuration')!.value * 1000;
    const p = prefix();
    if (TRACE) {
      const before = await taskMs();
      const stop = await startTrace(cdp);
      await burst(page, p, 0, 2_000);
      await sleep(10_000);
      const events = await stop();
      return { name, delivered: c.delivered(p).size, taskMs: (await taskMs()) - before, busyMs: NaN, file: '', tables: mainThreadTable(events) };
    }
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: INTERVAL_US });
    const before = await taskMs();
    await cdp.send('Profiler.start');
    await burst(page, p, 0, 2_000);
    await sleep(10_000);
    const { profile } = await cdp.send('Profiler.stop');
    const task = (await taskMs()) - before;
    const file = join(tmpdir(), `clicktrail-bench-${name}.cpuprofile`);
    writeFileSync(file, JSON.stringify(profile));
    const own = (url: string) => url.includes('/dist/') || url.includes(`/p-${name}.js`);
    const a = analyse(profile as unknown as CpuProfile, own);
    return { name, delivered: c.delivered(p).size, taskMs: task, busyMs: a.busyMs, file, tables: profileTables(a) };
  } finally {
    await b.close();
  }
}

it.runIf(browserAvailable())('where the main thread spends a burst of 2,000 and the 10 s after', async () => {
  const c = await startBenchCollector();
  serveDist(c);
  try {
    for (const sdk of [...SDKS, ...EXTRA].filter((s) => only.includes(s.name))) {
      const r = await profileOne(c, sdk.name, sdk.entry);
      console.log(
        `\n## ${r.name}: burst of 2,000 + 10 s, ${TRACE ? 'traced' : `sampled every ${INTERVAL_US} µs`}; ${r.delivered} delivered\n` +
          (TRACE
            ? `main-thread TaskDuration ${r.taskMs.toFixed(1)} ms (tracing on)\n\n${r.tables}`
            : `main-thread TaskDuration ${r.taskMs.toFixed(1)} ms (profiler on), profiler busy ${r.busyMs.toFixed(1)} ms; profile: ${r.file}\n\n${r.tables}`),
      );
    }
  } finally {
    await c.close();
  }
}, 300_000);
