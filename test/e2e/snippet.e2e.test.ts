import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { browserAvailable, waitFor } from '../support/browser';
import { useBrowserAndCollector } from '../support/harness';

// The loader snippet exactly as the README documents it, pointed at this build.
function readmeSnippet(src: string, collectorUrl: string): string {
  const readme = readFileSync('README.md', 'utf8');
  const block = readme.slice(readme.indexOf('### Async loader snippet'));
  const html = block.slice(block.indexOf('```html') + 7, block.indexOf('```', block.indexOf('```html') + 7));
  return html
    .replace("'/js/clicktrail.min.js'", JSON.stringify(src).replace(/"/g, "'"))
    .replace('https://collect.example.com/v1/events', collectorUrl);
}

describe.runIf(browserAvailable())('the async loader snippet', () => {
  const h = useBrowserAndCollector();

  const page = (src: string) => `<!doctype html><html><head><meta charset="utf-8"><title>snippet</title>
<script>window.pageErrors=[];addEventListener('error',function(e){pageErrors.push(String(e.message))});</script>
${readmeSnippet(src, h.collector.url + '/v1/events')}
<script>
  window.results = [];
  try {
    clicktrail.track('early_click', { n: 1 });
    clicktrail.identify('user-1');
    clicktrail.track('early_click', { n: 2 });
    window.results.push(typeof clicktrail.flush().then);
  } catch (e) { window.results.push('threw: ' + e); }
</script></head><body>shop</body></html>`;

  it('replays calls made before the script arrived, in order, once it loads', async () => {
    h.collector.page('/snippet.html', page('/dist/clicktrail.min.js'));
    const p = await h.browser.context.newPage();
    await p.goto(h.collector.url + '/snippet.html');
    await waitFor('the replayed events', () => h.collector.events.filter((e) => e.name === 'early_click').length >= 2);
    await p.evaluate(() => (window as any).clicktrail.flush());
    const names = h.collector.events.map((e) => e.name);
    expect(names).toEqual(['page_view', 'early_click', 'identify', 'early_click']);
    const last = h.collector.events.at(-1)!;
    expect(last.userId).toBe('user-1');
    expect(last.properties).toEqual({ n: 2 });
    expect(await p.evaluate(() => [(window as any).results, (window as any).pageErrors, !!(window as any).clicktrail.tracker])).toEqual([['function'], [], true]);
    await p.close();
  });

  it('applies a setConsent("denied") queued before the script arrived to every queued call', async () => {
    const snippet = readmeSnippet('/dist/clicktrail.min.js', h.collector.url + '/v1/events').replace(
      "clicktrail.init({ appId: 'shop'",
      "clicktrail.track('before_denial', { n: 1 }); clicktrail.setConsent('denied'); clicktrail.init({ appId: 'denied-early'",
    );
    h.collector.page('/denied-early.html', `<!doctype html><html><head><meta charset="utf-8"><title>denied</title>${snippet}</head><body>shop</body></html>`);
    const p = await h.browser.context.newPage();
    const before = h.collector.events.length;
    await p.goto(h.collector.url + '/denied-early.html');
    await p.waitForFunction(() => !!(window as any).clicktrail.tracker);
    await p.evaluate(() => (window as any).clicktrail.flush());
    await p.evaluate(() => document.dispatchEvent(new Event('visibilitychange')));
    // Neither the call queued before the denial nor the page() after init went out.
    expect(h.collector.events.slice(before).map((e) => e.name)).toEqual([]);
    const stored = await p.evaluate(async () => ({ dbs: (await indexedDB.databases()).map((d) => d.name), keys: Object.keys(localStorage) }));
    expect(stored.dbs.filter((d) => d?.includes('denied-early'))).toEqual([]);
    expect(stored.keys.filter((k) => k.includes('denied-early'))).toEqual([]);
    await p.close();
  });

  it('never throws when an ad blocker stops the script', async () => {
    const p = await h.browser.context.newPage();
    await p.route('**/blocked/clicktrail.min.js', (route) => route.abort('blockedbyclient'));
    h.collector.page('/blocked.html', page('/blocked/clicktrail.min.js'));
    await p.goto(h.collector.url + '/blocked.html');
    const after = await p.evaluate(async () => {
      const c = (window as any).clicktrail;
      const out: unknown[] = [];
      try {
        for (let i = 0; i < 2000; i++) c.track('while_blocked', { i }); // the stub keeps at most 1,000
        c.page();
        c.setConsent('denied');
        out.push(await c.flush());
        out.push(c.q.length);
      } catch (e) {
        out.push('threw: ' + e);
      }
      return out;
    });
    expect(after).toEqual([undefined, 1000]);
    expect(await p.evaluate(() => (window as any).results)).toEqual(['function']);
    await p.close();
  });

  // Was a bug (kept as a regression test): the second copy of the bundle took the first one's
  // place on window.clicktrail, and every later call stayed in that copy, which had no tracker.
  for (const [what, twice] of [
    ['two snippets', (src: string) => readmeSnippet(src, h.collector.url + '/v1/events').repeat(2)],
    ['a snippet and a <script> tag', (src: string) => readmeSnippet(src, h.collector.url + '/v1/events') + `<script src="${src}"></script>`],
  ] as const) {
    it(`keeps working when the bundle is loaded twice (${what})`, async () => {
      const path = '/' + what.replace(/\W+/g, '-') + '.html';
      h.collector.page(path, `<!doctype html><html><head><meta charset="utf-8"><title>twice</title>
<script>window.pageErrors=[];addEventListener('error',function(e){pageErrors.push(String(e.message))});</script>
${twice('/dist/clicktrail.min.js')}</head><body>shop</body></html>`);
      const p = await h.browser.context.newPage();
      await p.goto(h.collector.url + path, { waitUntil: 'load' });
      const tag = what;
      const report = await p.evaluate(async (tag) => {
        const c = (window as any).clicktrail;
        c.track('after_load', { tag });
        c.identify('user-7');
        return c.flush();
      }, tag);
      expect(report).toMatchObject({ sent: expect.any(Number), failed: 0 });
      const mine = await waitFor('the event tracked after both loads', () => h.collector.events.find((e) => e.name === 'after_load' && e.properties.tag === tag));
      expect(mine.properties).toEqual({ tag });
      expect(h.collector.events.some((e) => e.name === 'identify' && e.userId === 'user-7')).toBe(true);
      expect(await p.evaluate(() => (window as any).pageErrors)).toEqual([]);
      await p.close();
    });
  }
});
