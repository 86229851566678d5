// The full <script> build (dist/clicktrail.full.min.js): everything src/browser.ts puts on
// window.clicktrail, plus the DOM and dataLayer adapters and the capture plugins, and an init()
// that takes plugins by name. Import order matters: the early module rewrites the snippet
// queue before browser.ts replays it.
import './browser-full-early';
import './browser';
import type { Tracker } from './core/types';
import { PLUGINS, resolvePlugins } from './plugin-names';

const ct = (window as unknown as { clicktrail: Record<string, unknown> }).clicktrail;
const init = ct.init as (o: unknown) => Tracker | undefined;

// The plugin factories under their names (clicktrail.domCommerce({...})), and init with names.
Object.assign(ct, PLUGINS, {
  init: (options: { plugins?: unknown }) => init(resolvePlugins(options)),
});
