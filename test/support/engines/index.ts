import { existsSync } from 'node:fs';
import { chromiumPath } from '../browser';
import { openChromium } from './chromium';
import { FIREFOX_PATH, openFirefox } from './firefox';
import type { Engine, EngineName, EngineOptions } from './types';
import { MINIBROWSER, openWebKit } from './webkit';

export type { Engine, EngineName, EngineOptions, EnginePage } from './types';
export { deadSwitch, type DeadSwitch } from './network';

export const ENGINES: EngineName[] = ['chromium', 'firefox', 'webkit'];

/** Whether `name` can run here. Under CI a missing engine is a failure, not a skip. */
export function engineAvailable(name: EngineName): boolean {
  const found =
    name === 'chromium'
      ? !!chromiumPath()
      : name === 'firefox'
        ? existsSync(process.env.FIREFOX_PATH || FIREFOX_PATH)
        : existsSync('/usr/bin/WebKitWebDriver') && existsSync(process.env.MINIBROWSER_PATH || MINIBROWSER) && existsSync('/usr/bin/Xvfb');
  if (!found && process.env.CI) throw new Error(`CI is set but ${name} is not installed (see .ci/run)`);
  return found;
}

/** Starts one engine: Chromium (playwright-core), Firefox (puppeteer-core, BiDi) or WebKit (WebDriver). */
export function openEngine(name: EngineName, options: EngineOptions = {}): Promise<Engine> {
  if (name === 'chromium') return openChromium(options);
  if (name === 'firefox') return openFirefox(options);
  return openWebKit(options);
}
