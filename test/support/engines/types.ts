/** The three engines the guarantee suite runs in. */
export type EngineName = 'chromium' | 'firefox' | 'webkit';

export interface EngineOptions {
  /** Chromium: keep the back/forward cache on (Playwright turns it off by default). */
  bfcache?: boolean;
}

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
}
