// Runs before src/browser.ts (browser-full.ts imports it first): browser.ts replays the loader
// snippet's recorded init() at once, so plugin names in it must be plugins by then.
import { resolvePlugins } from './plugin-names';

const stub = (window as unknown as { clicktrail?: { q?: [string, ArrayLike<unknown>][] } }).clicktrail;
try {
  for (const call of (stub && Array.isArray(stub.q) && stub.q) || []) {
    if (call && call[0] === 'init' && call[1]) call[1] = [resolvePlugins(call[1][0] as { plugins?: unknown })];
  }
} catch {
  // an odd stub: browser.ts deals with it as it would without this build
}
