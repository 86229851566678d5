import { describe, expect, it } from 'vitest';
import { waitFor } from '../support/browser';
import { ENGINES, engineAvailable, type EngineName } from '../support/engines';
import { useEngine } from '../support/engines/harness';
import { trackerPage } from '../support/pages';

describe.each(ENGINES.filter(engineAvailable))('%s: leaving a page while a batch is on the wire', (name: EngineName) => {
  // A slow collector: each batch is still on the wire when the link is clicked.
  const h = useEngine(name, { respond: () => ({ status: 200, delayMs: 1500 }) });
  const reports: string[] = [];

  it('reports no collector failure, and every event arrives', async () => {
    // onError beacons each report, so reports from the page being left reach the test too.
    const onError = `function (e) { errors.push({ code: e.code, message: e.message }); navigator.sendBeacon(${JSON.stringify(h.errorsUrl)}, JSON.stringify({ report: e.code, message: e.message })); }`;
    const page = (next: string) =>
      trackerPage({
        url: h.collector.url + '/v1/events',
        options: `{ appId: 'leaving', onError: ${onError}, batch: { maxEvents: 10, flushIntervalMs: 50 }, retry: { baseMs: 100, maxMs: 500 } }`,
        reportErrorsTo: h.errorsUrl,
        body: `<a id="next" href="${next}">next</a>`,
      });
    h.collector.page('/leave-a.html', page('/leave-b.html'));
    h.collector.page('/leave-b.html', page('/leave-a.html'));
    const p = await h.engine.newPage();
    await p.goto(h.collector.url + '/leave-a.html');
    for (let run = 0; run < 3; run++) {
      const tag = `leaving-${run}`;
      await p.evaluate((tag) => {
        for (let i = 0; i < 20; i++) (window as any).tracker.track('on_the_wire', { tag, i });
      }, tag);
      await waitFor('a batch on the wire', () => h.collector.requests.some((r) => r.events.some((e) => e.properties?.tag === tag)), 10_000);
      const before = await p.url();
      await p.click('#next');
      await waitFor('the next page', async () => (await p.url()) !== before && (await p.evaluate(() => document.readyState === 'complete')), 15_000);
      // 45 s: once, in WebKit on a loaded machine, they had not all come within 20 s.
      await waitFor(`the 20 events of run ${run}`, () => new Set(h.collector.events.filter((e) => e.properties?.tag === tag).map((e) => e.eventId)).size >= 20, 45_000);
    }
    reports.push(...h.errors().filter((e) => e.includes('"report"')));
    const failed = reports.filter((r) => r.includes('sink_failed'));
    console.log(`[engines] ${name}: leaving with a batch on the wire, 3 runs: ${failed.length} sink_failed reports${failed[0] ? `: ${failed[0]}` : ''}`);
    await p.close();
    expect(failed).toEqual([]);
  });
});
