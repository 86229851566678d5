import { describe, expect, it } from 'vitest';
import { browserAvailable, waitFor } from '../support/browser';
import { useBrowserAndCollector } from '../support/harness';
import { trackerPage } from '../support/pages';

describe.runIf(browserAvailable())('track() speed in Chromium', () => {
  const h = useBrowserAndCollector();

  it('costs at most 5 µs per call on average over 10,000 calls, with no main-thread stall after the burst', async () => {
    // Default batching (50 events, 60 KB): what a shop would run.
    // Cross-origin isolated, so performance.now() is coarsened to 5 µs rather than 100 µs: a group
    // of 100 calls is then timed to 0.05 µs per call, and the median and p99 mean something.
    h.collector.page('/speed.html', trackerPage({ url: h.collector.url + '/v1/events' }), undefined, undefined, {
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cross-Origin-Embedder-Policy': 'require-corp',
    });
    const page = await h.browser.context.newPage();
    await page.goto(h.collector.url + '/speed.html');
    // Let the queue open IndexedDB first, as it would have on any real page by the time a shopper acts.
    await page.evaluate(() => (window as any).tracker.flush());
    const r = await page.evaluate(async () => {
      const t = (window as any).tracker;
      const props = { sku: 'SKU-1', price: 12.5, qty: 2, list: 'home' };
      // A real page reaches track()'s 10,000th call over minutes, its code long compiled by then:
      // the first 2,000 calls warm the JIT (and are reported apart), then 10,000 are measured.
      const c0 = performance.now();
      for (let i = 0; i < 2000; i++) t.track('warm_up', props);
      const coldUs = ((performance.now() - c0) / 2000) * 1000;
      await t.flush();
      // Calls are timed in groups of 100 and divided (the timer is coarsened to 5 µs).
      const perCall: number[] = [];
      const start = performance.now();
      for (let g = 0; g < 100; g++) {
        const t0 = performance.now();
        for (let i = 0; i < 100; i++) t.track('product_viewed', props);
        perCall.push(((performance.now() - t0) / 100) * 1000);
      }
      const totalMs = performance.now() - start;
      // After the burst: every task of 50 ms or more on the main thread (a stall), and how late a
      // 0 ms timer runs, over the next two seconds. The timer's lag also counts the wait behind
      // the many short tasks of IndexedDB and the requests, and the CPU the collector in this
      // process and the browser's own storage take on a 2-core machine.
      const burstEnd = performance.now();
      const stalls: number[] = [];
      new PerformanceObserver((l) => l.getEntries().forEach((e) => e.startTime >= burstEnd && stalls.push(e.duration))).observe({ type: 'longtask', buffered: true });
      let worst = 0;
      const until = performance.now() + 2000;
      while (performance.now() < until) {
        const t0 = performance.now();
        await new Promise((ok) => setTimeout(ok, 0));
        worst = Math.max(worst, performance.now() - t0);
      }
      perCall.sort((a, b) => a - b);
      return { stalls, isolated: crossOriginIsolated, coldUs, meanUs: (totalMs / 10000) * 1000, medianUs: perCall[50], p99Us: perCall[98], worstTimerLagMs: worst };
    });
    console.log(
      `track(): mean ${r.meanUs.toFixed(2)} µs, median ${r.medianUs.toFixed(2)} µs, p99 ${r.p99Us.toFixed(2)} µs per call ` +
        `(10,000 calls timed in groups of 100; the first 2,000 calls of the page: ${r.coldUs.toFixed(2)} µs each); ` +
        `worst timer lag after the burst ${r.worstTimerLagMs.toFixed(1)} ms; tasks of 50 ms or more after it: ${JSON.stringify(r.stalls)}`,
    );
    expect(r.isolated).toBe(true);
    expect(r.meanUs).toBeLessThanOrEqual(5);
    expect(r.stalls).toEqual([]);
    expect(r.worstTimerLagMs).toBeLessThan(150);
    await waitFor('10,000 events delivered', () => h.collector.events.filter((e) => e.name === 'product_viewed').length >= 10_000, 60_000);
    await page.close();
  });
});
