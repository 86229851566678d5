// `npm run bench`: clicktrail beside its peers (test/bench/package.json, installed there by
// test/bench/install.mjs) doing the same job against one local collector, in Chromium. Prints a
// table with each peer's figure as a ratio to clicktrail's (and clicktrail's CPU and track() as
// ratios to the bare loop) and writes test/bench/results.json.
// BENCH_SDKS=clicktrail,bare picks SDKs (and writes results.clicktrail-bare.json instead);
// BENCH_CPU_RUNS (3) sets how many browsers the CPU figure is the median of.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { it } from 'vitest';
import { browserAvailable } from '../support/browser';
import { startBenchCollector } from './bench-collector';
import { bundle, burstCpuMedian, closeAfter50, longTasks, serve, trackCost, wire } from './measure';
import { report } from './report';
import { SDKS } from './sdks';

// The CPU figure of one browser swings by half on this shared machine: the median of a few.
const CPU_RUNS = Number(process.env.BENCH_CPU_RUNS) || 3;
const only = process.env.BENCH_SDKS?.split(',').map((n) => n.trim());

it.runIf(browserAvailable())('clicktrail and its peers, the same job in Chromium', async () => {
  const req = createRequire(new URL('./package.json', import.meta.url));
  const c = await startBenchCollector();
  const results: Record<string, Record<string, unknown>> = {};
  try {
    for (const sdk of SDKS.filter((s) => !only || only.includes(s.name))) {
      const version = sdk.version ?? (sdk.name == 'clicktrail' ? JSON.parse(readFileSync('package.json', 'utf8')).version : req(sdk.pkg!).version);
      const b = await bundle(sdk);
      serve(c, sdk, b.code);
      const r: Record<string, unknown> = { version, bundle: { min: b.min, gzip: b.gzip, brotli: b.brotli } };
      // A measurement that crashes the page or runs past its limit is recorded as such.
      const guard = <T>(p: Promise<T>) => p.catch((e) => ({ error: String(e?.message || e).split('\n')[0] }));
      r.track = await guard(trackCost(c, sdk));
      r.burst2000 = await guard(burstCpuMedian(c, sdk, CPU_RUNS));
      r.longTasks10000 = await guard(longTasks(c, sdk));
      r.per1000 = await guard(wire(c, sdk));
      r.close50Healthy = await guard(closeAfter50(c, sdk, 200));
      r.close50Failing503 = await guard(closeAfter50(c, sdk, 503));
      results[sdk.name] = r;
      console.log(sdk.name, JSON.stringify(r));
    }
  } finally {
    await c.close();
  }
  // A run of some SDKs only leaves the full record (results.json, committed) alone.
  const file = only ? `test/bench/results.${only.join('-')}.json` : 'test/bench/results.json';
  const command = (only ? `BENCH_SDKS=${only.join(',')} ` : '') + 'npm run bench';
  writeFileSync(file, JSON.stringify({ date: new Date().toISOString(), command, results }, null, 2) + '\n');
  console.log('\n' + report(results));
}, 2_700_000);
