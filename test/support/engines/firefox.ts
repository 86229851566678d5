import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import type { Engine, EnginePage } from './types';

export const FIREFOX_PATH = '/usr/bin/firefox-esr';

/** Debian's Firefox ESR, headless, over WebDriver BiDi with puppeteer-core (no geckodriver). */
export async function openFirefox(): Promise<Engine> {
  const browser: Browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: process.env.FIREFOX_PATH || FIREFOX_PATH,
    headless: true,
    // Nothing of Firefox's own phones home during a test run.
    extraPrefsFirefox: { 'app.update.enabled': false, 'browser.shell.checkDefaultBrowser': false },
  });
  const errors: string[] = [];
  const pages = new Set<Page>();
  let offline = false;
  const version = await browser.version();
  function wrap(page: Page): EnginePage {
    pages.add(page);
    page.on('pageerror', (e) => errors.push(String((e as Error).message ?? e)));
    return {
      goto: async (url) => void (await page.goto(url)),
      evaluate: (fn, arg) => page.evaluate(fn as any, arg) as any,
      // A click that starts a navigation: do not wait for it here, the test waits for what it needs.
      click: (selector) => page.click(selector),
      url: async () => page.url(),
      async close() {
        pages.delete(page);
        await page.close({ runBeforeUnload: true });
      },
    };
  }
  return {
    name: 'firefox',
    version: `Firefox ${version.replace(/^firefox\//i, '')}`,
    async newPage() {
      const page = await browser.newPage();
      if (offline) await page.setOfflineMode(true);
      return wrap(page);
    },
    async setOffline(value) {
      offline = value;
      // WebDriver BiDi's emulation.setNetworkConditions: per browsing context.
      try {
        for (const p of pages) await p.setOfflineMode(value);
        return true;
      } catch {
        offline = false;
        return false;
      }
    },
    pageErrors: () => errors.slice(),
    async close() {
      const proc = browser.process();
      await Promise.race([browser.close(), new Promise((r) => setTimeout(r, 10_000))]).catch(() => undefined);
      if (proc && proc.exitCode === null) proc.kill('SIGKILL');
    },
  };
}
