import { mkdtempSync, rmSync } from 'node:fs';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';

export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Debian's Chromium, or the one CHROMIUM_PATH names. Undefined when there is none. */
export function chromiumPath(): string | undefined {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'];
  return candidates.find((p): p is string => !!p && existsSync(p));
}

/**
 * Whether browser tests can run here. Under CI a missing browser is a failure, not a skip.
 */
export function browserAvailable(): boolean {
  const found = !!chromiumPath();
  if (!found && process.env.CI) throw new Error('CI is set but no Chromium was found (install Debian\'s chromium)');
  return found;
}

export interface LaunchedBrowser {
  context: BrowserContext;
  browser?: Browser;
  userDataDir: string;
  close(): Promise<void>;
}

/**
 * A fresh Chromium with its own profile directory. `persistent` keeps IndexedDB on disk across
 * `close()` and a second launch with the same `userDataDir` (crash and reopen tests). `args` are
 * extra command-line flags.
 */
export async function launch(
  options: { userDataDir?: string; keepProfile?: boolean; bfcache?: boolean; args?: string[]; ignoreHTTPSErrors?: boolean } = {},
): Promise<LaunchedBrowser> {
  const executablePath = chromiumPath();
  if (!executablePath) throw new Error('no Chromium found');
  const userDataDir = options.userDataDir ?? mkdtempSync(join(tmpdir(), 'clicktrail-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath,
    headless: true,
    args: [...CHROMIUM_FLAGS, ...(options.args || [])],
    // A test's own https server has a self-signed certificate.
    ignoreHTTPSErrors: options.ignoreHTTPSErrors,
    // Playwright turns the back/forward cache off by default; bfcache tests need it on.
    ...(options.bfcache ? { ignoreDefaultArgs: ['--disable-back-forward-cache'] } : {}),
  });
  return {
    context,
    userDataDir,
    async close() {
      await context.close().catch(() => undefined);
      if (!options.keepProfile) rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/** Polls `check` until it returns a truthy value; fails with `what` after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  check: () => T | Promise<T>,
  timeoutMs = 30_000,
): Promise<Exclude<T, false | null | undefined | 0 | ''>> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v) return v as Exclude<T, false | null | undefined | 0 | ''>;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}${last ? `: ${last}` : ''}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
