// Browser tests of the capture plugins: the tracker and every plugin bundled from src/ with
// esbuild into one <script>, so the tests run the code as a storefront's bundler would ship it.
import { build } from 'esbuild';
import { waitFor } from './browser';
import type { Collector } from './collector';
import { resolve } from 'node:path';

let bundled: Promise<string> | undefined;

/** An IIFE defining window.clicktrail = { createTracker, httpSink, pageViews, clicks, ..., webVitals }. */
export function pluginBundle(): Promise<string> {
  bundled ??= build({
    stdin: {
      contents:
        "import * as api from './src/index';\nimport { webVitals } from './src/capture/web-vitals';\n" +
        'window.clicktrail = Object.assign({}, api, { webVitals });\n',
      resolveDir: resolve(__dirname, '../..'),
      loader: 'ts',
    },
    bundle: true,
    format: 'iife',
    target: 'es2020',
    write: false,
  }).then((r) => r.outputFiles[0].text);
  return bundled;
}

/**
 * A page loading the bundle from `/ct.js` that creates `window.tracker` with `plugins` (a JS
 * expression). Errors reported through onError land in `window.errors`, uncaught page errors in
 * `window.pageErrors`. `before` runs before the tracker is created.
 */
export function pluginPage(o: { url: string; plugins: string; appId?: string; title?: string; head?: string; body?: string; before?: string; after?: string }): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>${o.title || 'plugin test'}</title>${o.head || ''}
<script>window.errors=[];window.pageErrors=[];addEventListener('error',function(e){pageErrors.push(String(e.message))});
addEventListener('unhandledrejection',function(e){pageErrors.push(String(e.reason))});</script>
<script src="/ct.js"></script>
<script>${o.before || ''}
window.tracker = clicktrail.createTracker({
  appId: ${JSON.stringify(o.appId || 'plugins')},
  sink: clicktrail.httpSink({ url: ${JSON.stringify(o.url)} }),
  batch: { flushIntervalMs: 200 },
  onError: function (e) { window.errors.push({ code: e.code, message: e.message }); },
  plugins: ${o.plugins},
});
${o.after || ''}</script></head><body>${o.body || '<h1>plugin test page</h1>'}</body></html>`;
}

/**
 * Every event of the session that tracked `marker`, in order, up to the marker: waits until the
 * marker arrived and no event before it is missing (seq runs from 1 without gaps), so a test
 * can assert that nothing else was sent. Give each page its own appId for its own session.
 */
export async function eventsUntil(collector: Collector, marker: string): Promise<Array<Record<string, any>>> {
  const end = await waitFor(`"${marker}" at the collector`, () => collector.events.find((e) => e.name === marker));
  return waitFor(`every event before "${marker}"`, () => {
    const bySeq = new Map<number, Record<string, any>>();
    for (const e of collector.events) if (e.sessionId === end.sessionId && e.seq < end.seq) bySeq.set(e.seq, e);
    if (bySeq.size !== end.seq - 1) return undefined;
    return [...bySeq.keys()].sort((a, b) => a - b).map((k) => bySeq.get(k)!);
  });
}

let pages = 0;
/** A fresh appId: its own session, counter and queue. */
export const freshAppId = (): string => `p${++pages}-${Date.now().toString(36)}`;
