import type { CDPSession, Page } from 'playwright-core';
import { launch } from '../browser';
import type { Engine, EngineOptions, EnginePage } from './types';

function wrap(page: Page): EnginePage {
  let cdp: Promise<CDPSession> | undefined;
  const session = () => (cdp ||= page.context().newCDPSession(page));
  return {
    goto: async (url) => void (await page.goto(url)),
    evaluate: (fn, arg) => page.evaluate(fn as any, arg),
    click: (selector) => page.click(selector, { noWaitAfter: true }),
    url: async () => page.url(),
    close: () => page.close({ runBeforeUnload: true }),
    armCrash: async () => void (await session()),
    async crash() {
      const crashed = new Promise((r) => page.once('crash', r));
      // The crash answers nothing: not awaited.
      (await session()).send('Page.crash').catch(() => undefined);
      await crashed;
    },
  };
}

/** Debian's Chromium through playwright-core, with the flags of test/support/browser.ts. */
export async function openChromium(o: EngineOptions = {}): Promise<Engine> {
  const browser = await launch({ ...(o.profileDir ? { userDataDir: o.profileDir, keepProfile: true } : {}), bfcache: o.bfcache });
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
    async setQuota(origin, bytes) {
      // The session stays attached: the override lasts while it does.
      const cdp = await browser.context.newCDPSession(await browser.context.newPage());
      await cdp.send('Storage.overrideQuotaForOrigin' as never, { origin, quotaSize: bytes } as never);
    },
    close: () => browser.close(),
  };
}
