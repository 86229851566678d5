import { afterAll, beforeAll } from 'vitest';
import { launch, type LaunchedBrowser } from './browser';
import { startCollector, type Collector, type CollectorOptions } from './collector';

export interface Harness {
  readonly collector: Collector;
  readonly browser: LaunchedBrowser;
}

/**
 * One collector (serving dist/ at /dist/) and one Chromium for the tests of a describe block,
 * started before them and closed after them. `setup` runs once both are up (serve a bundle...).
 */
export function useBrowserAndCollector(
  options: CollectorOptions = {},
  more: { bfcache?: boolean; setup?: (collector: Collector) => unknown } = {},
): Harness {
  let collector: Collector | undefined;
  let browser: LaunchedBrowser | undefined;
  beforeAll(async () => {
    collector = await startCollector({ static: { '/dist/': 'dist' }, ...options });
    await more.setup?.(collector);
    browser = await launch({ bfcache: more.bfcache });
  });
  afterAll(async () => {
    await browser?.close();
    await collector?.close();
  });
  return {
    get collector() {
      return collector!;
    },
    get browser() {
      return browser!;
    },
  };
}
