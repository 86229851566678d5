// Runs in the node project (esbuild needs Node's globals, not happy-dom's). Needs `npx rollup -c`.
import { build } from 'esbuild';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(__dirname, '../..');
// A string only each plugin's code contains (event names and option names).
const MARKS: Record<string, string> = {
  pageViews: 'back_forward_cache',
  pageLeave: 'page_leave',
  clicks: 'rage_click',
  scrollDepth: 'scroll_depth',
  engagement: 'user_engagement',
  siteSearch: 'searchTerm', // search_term is also in the GA4 allow-list of clicks()
};

async function bundle(code: string): Promise<string> {
  const r = await build({
    stdin: { contents: code, resolveDir: root, loader: 'js' },
    bundle: true,
    minify: true,
    format: 'esm',
    write: false,
    external: ['idb-keyval', 'web-vitals'],
  });
  return r.outputFiles[0].text;
}

describe('capture plugins in an app bundle', () => {
  it('finds the built package (run `npx rollup -c` first)', () => {
    expect(existsSync(resolve(root, 'dist/index.js'))).toBe(true);
  });

  it('leaves every plugin out of an app that imports only createTracker and httpSink', async () => {
    const out = await bundle("export { createTracker, httpSink } from './dist/index.js';");
    expect(out).toContain('keepalive'); // the core is there (httpSink no longer uses sendBeacon)
    for (const mark of Object.values(MARKS)) expect(out).not.toContain(mark);
    expect(out).not.toContain('clicktrail.history');
  });

  it.each(Object.entries(MARKS))('keeps %s, and only it, when the app imports it', async (name, mark) => {
    const out = await bundle(`export { createTracker, httpSink, ${name} } from './dist/index.js';`);
    expect(out).toContain(mark);
    for (const other of Object.values(MARKS)) if (other !== mark) expect(out).not.toContain(other);
  });

  it('keeps web-vitals out of the main entry and in clicktrail/vitals', async () => {
    expect(await bundle("export * from './dist/index.js';")).not.toContain('web-vitals');
    expect(await bundle("export { webVitals } from './dist/vitals.js';")).toContain('web_vital');
  });
});
