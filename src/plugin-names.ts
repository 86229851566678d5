// Plugins by name, for <script> users who cannot import factories:
// `clicktrail.init({ plugins: ['pageViews', ['domCommerce', { currency: 'EUR' }]] })`.
import { dataLayerBridge } from './adapters/datalayer';
import { domCommerce } from './adapters/dom';
import { clicks, engagement, pageLeave, pageViews, scrollDepth, siteSearch } from './capture';
import type { Plugin, TrackerOptions } from './core/types';

type Factory = (options?: any) => Plugin;

// webVitals stays out: it needs the web-vitals package, which the <script> build does not carry.
export const PLUGINS: Record<string, Factory> = { pageViews, pageLeave, clicks, scrollDepth, engagement, siteSearch, domCommerce, dataLayerBridge };

/** A plugin, its name, or `[name, options]`. */
export type PluginSpec = Plugin | string | [string, unknown?];

/**
 * `options` with every named plugin replaced by the plugin. Unknown names are left out and
 * reported through the tracker, by one more plugin that does only that. Never throws.
 */
export function resolvePlugins<O extends { plugins?: unknown }>(options: O): O {
  if (!options || typeof options !== 'object' || !Array.isArray(options.plugins)) return options;
  const plugins: Plugin[] = [];
  const problems: string[] = [];
  for (const spec of options.plugins as PluginSpec[]) {
    const [name, opts] = typeof spec === 'string' ? [spec] : Array.isArray(spec) ? spec : [];
    if (typeof spec === 'function') {
      // clicktrail.pageViews instead of clicktrail.pageViews(): the minifier renamed the function.
      const known = Object.keys(PLUGINS).find((k) => PLUGINS[k] === spec);
      problems.push(known ? `plugin ${known} is a factory: call ${known}()` : 'a plugin factory was passed: call it (pageViews(), not pageViews)');
      continue;
    }
    if (name === undefined) {
      plugins.push(spec as Plugin);
      continue;
    }
    const f = Object.prototype.hasOwnProperty.call(PLUGINS, name) ? PLUGINS[name] : undefined;
    if (!f) problems.push(`unknown plugin "${String(name)}"; known: ${Object.keys(PLUGINS).join(', ')}`);
    else {
      try {
        plugins.push(f(opts));
      } catch (e) {
        problems.push(`plugin "${name}" could not be made: ${(e as Error)?.message || e}`);
      }
    }
  }
  if (problems.length) {
    plugins.push({ name: 'pluginNames', setup: (t) => problems.forEach((p) => t.report('invalid_option', p)) });
  }
  return { ...options, plugins: plugins as TrackerOptions['plugins'] };
}
