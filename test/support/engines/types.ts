/** The three engines the guarantee suite runs in. */
export type EngineName = 'chromium' | 'firefox' | 'webkit';

/** One tab of an engine: what a guarantee test does with a page, written once for all three. */
export interface EnginePage {
  goto(url: string): Promise<void>;
  /** Runs `fn(arg)` in the page and resolves to its (awaited) result; JSON values only. */
  evaluate<T, A = undefined>(fn: (arg: A) => T | Promise<T>, arg?: A): Promise<T>;
  /** A real click on the first element matching `selector` (a link navigates). */
  click(selector: string): Promise<void>;
  url(): Promise<string>;
  /** Closes the tab as a user does: beforeunload, pagehide and visibilitychange run. */
  close(): Promise<void>;
  /**
   * The tab's renderer dies at once, as in a crash: no pagehide, nothing more runs in the page.
   * Chromium: CDP Page.crash; Firefox: SIGKILL to every web content process. Absent in WebKit:
   * WebKitWebDriver deletes the session when an automated page's WebContent process dies, and
   * with it MiniBrowser's storage (kept in memory only).
   */
  crash?(): Promise<void>;
  /** Makes a later crash() as quick as it can be (Chromium attaches its CDP session now). */
  armCrash?(): Promise<void>;
}

/** How to start an engine; every field optional, the defaults are what openEngine always did. */
export interface EngineOptions {
  /** Chromium: keep the back/forward cache on (Playwright turns it off by default). */
  bfcache?: boolean;
  /**
   * A profile directory kept on disk and used again by the next engine opened with it (a
   * browser started again after a crash). Chromium and Firefox; WebKit's MiniBrowser keeps no
   * storage between sessions (automation mode is ephemeral), so it refuses this option.
   */
  profileDir?: string;
  /** Firefox preferences added at launch (quota limits, for one). */
  firefoxPrefs?: Record<string, unknown>;
}

export interface Engine {
  readonly name: EngineName;
  /** The browser's own version string. */
  readonly version: string;
  /** A new tab of the same browser (same profile, same storage). */
  newPage(): Promise<EnginePage>;
  /**
   * Takes every tab offline (navigator.onLine false, requests fail) where the engine can;
   * resolves to false where it cannot (classic WebDriver has no network emulation).
   */
  setOffline(offline: boolean): Promise<boolean>;
  /** Uncaught errors the engine itself reported from its pages (empty where it has no console). */
  pageErrors(): string[];
  /** Closes every tab and ends every process this engine started, even after a failure. */
  close(): Promise<void>;
  /**
   * SIGKILL to every process of the browser at once, as an OOM kill or a power cut: nothing
   * runs at page hide, and the profile stays on disk for the next engine opened on it.
   * Firefox (Chromium's crash is CDP Page.crash); close() after it only cleans up.
   */
  kill?(): Promise<void>;
  /** Chromium only: overrides the storage quota of `origin` (CDP Storage.overrideQuotaForOrigin). */
  setQuota?(origin: string, bytes: number): Promise<void>;
}
