// The full <script> build (dist/clicktrail.full.min.js): everything src/browser.ts puts on
// window.clicktrail, plus the DOM and dataLayer adapters and the capture plugins, and an init()
// that takes plugins by name. Import order matters: the early module rewrites the snippet
// queue before browser.ts replays it.
import { early } from './browser-full-early';
import './browser';
import type { Tracker } from './core/types';
import { PLUGINS, resolvePlugins } from './plugin-names';

const ct = (window as unknown as { clicktrail: Record<string, any> }).clicktrail;
const init = ct.init as (o: unknown) => Tracker | undefined;
const tell = (t: Tracker | undefined, problems: string[]) => {
  for (const p of problems.splice(0)) t?.report('invalid_option', p);
};

// The plugin factories under their names (clicktrail.domCommerce({...})), and the wrapped init.
Object.assign(ct, PLUGINS, {
  init(options: { plugins?: unknown }) {
    const had = ct.tracker;
    const problems: string[] = [];
    const t = init(resolvePlugins(options, problems));
    if (!had) tell(t, problems);
    return t;
  },
});
// A snippet's queued init() already ran inside browser.ts.
tell(ct.tracker, early);
