// Not part of `npm test`: a measurement. `npx vitest run --project bench` prints what 10,000
// track() calls cost on the first page of a freshly started Chromium (no warm-up), beside a bare
// loop that only serialises the properties and pushes them into an array, for scale.
import { it } from 'vitest';
import { browserAvailable, launch } from '../support/browser';
import { startCollector } from '../support/collector';
import { trackerPage } from '../support/pages';

const RUNS = 10;

it.runIf(browserAvailable())('10,000 track() calls on the first page of a fresh Chromium', async () => {
  const collector = await startCollector({ static: { '/dist/': 'dist' } });
  collector.page('/fresh.html', trackerPage({ url: collector.url + '/v1/events' }));
  const results: Record<string, number[]> = { tracker: [], bare: [] };
  try {
    for (let run = 0; run < RUNS; run++) {
      for (const kind of ['tracker', 'bare']) {
        const browser = await launch();
        try {
          const page = await browser.context.newPage();
          await page.goto(collector.url + '/fresh.html');
          await page.evaluate(() => (window as any).tracker.flush());
          results[kind].push(
            await page.evaluate((kind) => {
              const kept: unknown[] = [];
              const t = kind === 'tracker' ? (window as any).tracker : { track: (n: string, p: object) => kept.push([n, JSON.stringify(p), Date.now()]) };
              const props = { sku: 'SKU-1', price: 12.5, qty: 2, list: 'home' };
              const t0 = performance.now();
              for (let i = 0; i < 10_000; i++) t.track('product_viewed', props);
              return ((performance.now() - t0) / 10_000) * 1000;
            }, kind),
          );
        } finally {
          await browser.close();
        }
      }
    }
  } finally {
    await collector.close();
  }
  for (const [kind, us] of Object.entries(results)) {
    const sorted = us.slice().sort((a, b) => a - b);
    console.log(
      `${kind}: mean per call over 10,000 calls, ${RUNS} fresh browsers: median ${sorted[RUNS >> 1].toFixed(2)} µs, ` +
        `range ${sorted[0].toFixed(2)}–${sorted[RUNS - 1].toFixed(2)} µs`,
    );
  }
}, 600_000);
