import { describe, expect, it } from 'vitest';
import { browserAvailable, waitFor } from '../support/browser';
import { useBrowserAndCollector } from '../support/harness';
import { freshAppId, pluginBundle, pluginPage } from '../support/plugin-page';

// A late headline (the LCP element), a box that grows above the content once the page has
// painted (a real layout shift) and a button whose handler blocks the main thread (INP).
const BODY = `<div id="grow"></div><p>Intro text</p>
<button id="slow">Slow button</button>
<script>
  setTimeout(function () {
    var h = document.createElement('h1');
    h.style.fontSize = '72px';
    h.textContent = 'A late and very large headline';
    document.body.appendChild(h);
    setTimeout(function () {
      document.getElementById('grow').style.height = '300px';
      requestAnimationFrame(function () { setTimeout(function () { window.shifted = true; }, 100); });
    }, 300);
  }, 300);
  // The test waits until the browser timed the slow interaction before leaving the page.
  new PerformanceObserver(function (l) {
    l.getEntries().forEach(function (e) { if (e.interactionId && e.duration >= 100) window.timed = true; });
  }).observe({ type: 'event', durationThreshold: 16, buffered: true });
  document.getElementById('slow').addEventListener('click', function () {
    var end = performance.now() + 150;
    while (performance.now() < end) {}
  });
</script>`;

describe.runIf(browserAvailable())('webVitals() in Chromium', () => {
  const h = useBrowserAndCollector({}, { setup: async (c) => c.page('/ct.js', await pluginBundle(), 'text/javascript') });

  it('sends LCP, CLS, INP, FCP and TTFB as web_vital events when the shopper leaves the page', async () => {
    h.collector.page('/vitals.html', pluginPage({ url: h.collector.url + '/collect', appId: freshAppId(), plugins: '[clicktrail.webVitals()]', body: BODY }));
    h.collector.page('/away.html', '<!doctype html><title>away</title>');
    const page = await h.browser.context.newPage();
    await page.goto(h.collector.url + '/vitals.html');
    await page.waitForFunction(() => (window as any).shifted === true);
    await page.click('#slow');
    await page.waitForFunction(() => (window as any).timed === true);
    // web-vitals files interactions at idle time; one left unfiled when the page hides is not
    // reported (its hidden handler runs first). Idle callbacks run in order, so after ours it is filed.
    await page.evaluate(() => new Promise((r) => requestIdleCallback(r, { timeout: 2000 })));
    const session = await page.evaluate(() => (window as any).tracker.ids().sessionId);
    // LCP, CLS and INP are final when the page is hidden: leaving it hides it for real.
    await page.goto(h.collector.url + '/away.html');
    const vitals = await waitFor('five web vitals', () => {
      const m = new Map<string, Record<string, any>>();
      for (const e of h.collector.events) if (e.sessionId === session && e.name === 'web_vital') m.set(e.properties.name, e);
      return m.size >= 5 && m;
    });
    expect([...vitals.keys()].sort()).toEqual(['CLS', 'FCP', 'INP', 'LCP', 'TTFB']);
    const p = (n: string) => vitals.get(n)!.properties;
    expect(p('CLS').value).toBeGreaterThan(0);
    expect(p('LCP').value).toBeGreaterThanOrEqual(300); // the late headline, not the first paint
    expect(p('INP').value).toBeGreaterThanOrEqual(100);
    for (const n of vitals.keys()) {
      expect(p(n)).toMatchObject({ name: n, rating: expect.stringMatching(/^(good|needs-improvement|poor)$/), navigationType: 'navigate' });
      expect(p(n).id).toMatch(/^v\d+-/);
      expect(typeof p(n).delta).toBe('number');
    }
    await page.close();
  });
});
