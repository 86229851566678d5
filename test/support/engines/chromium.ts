import type { Page } from 'playwright-core';
import { launch } from '../browser';
import type { Engine, EngineOptions, EnginePage } from './types';

function wrap(page: Page): EnginePage {
  return {
    goto: async (url) => void (await page.goto(url)),
    evaluate: (fn, arg) => page.evaluate(fn as any, arg),
    click: (selector) => page.click(selector, { noWaitAfter: true }),
    url: async () => page.url(),
    close: () => page.close({ runBeforeUnload: true }),
  };
}

/** Debian's Chromium through playwright-core, with the flags of test/support/browser.ts. */
export async function openChromium(options: EngineOptions = {}): Promise<Engine> {
  const browser = await launch({ bfcache: options.bfcache });
  const errors: string[] = [];
  browser.context.on('weberror', (e) => errors.push(String(e.error().message)));
  const version = browser.context.browser()?.version() ?? (await (async () => {
    const p = await browser.context.newPage();
    const v = await p.evaluate(() => navigator.userAgent.match(/Chrome\/([\d.]+)/)?.[1] ?? '');
    await p.close();
    return v;
  })());
  return {
    name: 'chromium',
    version: `Chromium ${version}`,
    newPage: async () => wrap(await browser.context.newPage()),
    async setOffline(offline) {
      await browser.context.setOffline(offline);
      return true;
    },
    pageErrors: () => errors.slice(),
    close: () => browser.close(),
  };
}
