import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { groupMembers } from './processes';
import type { Engine, EngineOptions, EnginePage } from './types';

export const FIREFOX_PATH = '/usr/bin/firefox-esr';

/** Debian's Firefox ESR, headless, over WebDriver BiDi with puppeteer-core (no geckodriver). */
export async function openFirefox(o: EngineOptions = {}): Promise<Engine> {
  const browser: Browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: process.env.FIREFOX_PATH || FIREFOX_PATH,
    headless: true,
    // A profile of the test's own is kept (puppeteer removes only the ones it made).
    userDataDir: o.profileDir,
    // Nothing of Firefox's own phones home during a test run.
    extraPrefsFirefox: { 'app.update.enabled': false, 'browser.shell.checkDefaultBrowser': false, ...o.firefoxPrefs },
  });
  let killed = false;
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
      // A renderer crash: SIGKILL to every web content process (-contentproc -isForBrowser),
      // the tab's among them; the parent process, which writes IndexedDB, lives on.
      async crash() {
        pages.delete(page);
        const pgid = browser.process()!.pid!;
        const web = groupMembers(pgid).filter((p) => / -contentproc .*-isForBrowser /.test(` ${p.args.join(' ')} `));
        if (!web.length) throw new Error('Firefox: no content process found');
        for (const p of web) process.kill(p.pid, 'SIGKILL');
        const alive = () => groupMembers(pgid).some((q) => web.some((p) => p.pid === q.pid));
        for (let i = 0; alive() && i < 100; i++) await new Promise((r) => setTimeout(r, 50));
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
    async kill() {
      const proc = browser.process();
      if (!proc?.pid || proc.exitCode !== null || proc.signalCode !== null) return;
      killed = true;
      const gone = new Promise((ok) => proc.once('exit', ok));
      // puppeteer starts Firefox detached: its own process group, content processes included.
      process.kill(-proc.pid, 'SIGKILL');
      await gone;
    },
    async close() {
      const proc = browser.process();
      if (killed) return void (await browser.disconnect().catch(() => undefined));
      await Promise.race([browser.close(), new Promise((r) => setTimeout(r, 10_000))]).catch(() => undefined);
      if (proc && proc.exitCode === null) proc.kill('SIGKILL');
    },
  };
}
