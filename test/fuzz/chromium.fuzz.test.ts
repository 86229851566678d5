// @vitest-environment node
// The API fuzz once in a real Chromium, fewer cases than under happy-dom: the built package,
// real IndexedDB, real JSON and TextEncoder. Needs `npm run build` first (npm test does it).
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, launch, type LaunchedBrowser } from '../support/browser';
import { startCollector, type Collector } from '../support/collector';

const RUNS = Number(process.env.FUZZ_RUNS || 1);
// A fixed seed by default, so npm test is repeatable; FUZZ_SEED=random explores, FUZZ_SEED=N repeats a run.
const SEED = process.env.FUZZ_SEED == 'random' ? Date.now() % 2 ** 31 : Number(process.env.FUZZ_SEED || 20261204);

describe.runIf(browserAvailable())('fuzz: the built package in Chromium', () => {
  let collector: Collector;
  let browser: LaunchedBrowser;
  beforeAll(async () => {
    const out = await build({ entryPoints: ['test/fuzz/chromium-entry.ts'], bundle: true, format: 'iife', write: false, target: 'es2020', logLevel: 'silent' });
    collector = await startCollector();
    collector.page('/fuzz.js', out.outputFiles[0].text, 'text/javascript');
    collector.page('/fuzz.html', '<!doctype html><meta charset="utf-8"><script src="/fuzz.js"></script>');
    browser = await launch();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await collector?.close();
  });

  it('lets no exception escape and sends every accepted event as valid JSON within the size limit', async () => {
    const page = await browser.context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(String(e)));
    await page.goto(collector.url + '/fuzz.html');
    const r = await page.evaluate(([runs, seed]) => (window as any).fuzz(runs, seed), [300 * RUNS, SEED]);
    const context = `seed ${SEED}: ${JSON.stringify(r)}`;
    expect(r.escaped, context).toEqual([]);
    expect(r.invalidJson, context).toBe(0);
    expect(r.mismatch, context).toBe('');
    expect(r.internal, context).toEqual([]);
    expect(r.prototypeChanges, context).toEqual([]);
    expect(r.storage, context).toBe('indexeddb');
    expect(r.accepted, context).toBeGreaterThan(250 * RUNS);
    expect(pageErrors, context).toEqual([]);
  }, 180_000);
});
