// Plugins by name, for <script> users who cannot import factories:
// `clicktrail.init({ plugins: ['pageViews', ['domCommerce', { currency: 'EUR' }]] })`.
import { dataLayerBridge } from './adapters/datalayer';
import { domCommerce } from './adapters/dom';
import type { Plugin, TrackerOptions } from './core/types';

type Factory = (options?: any) => Plugin;

// The capture plugins (pageViews, clicks...) join this map once src/capture/index.ts exists.
export const PLUGINS: Record<string, Factory> = { domCommerce, dataLayerBridge };

/** A plugin, its name, or `[name, options]`. */
export type PluginSpec = Plugin | string | [string, unknown?];

/**
 * `options` with every named plugin replaced by the plugin; unknown names are left out and
 * described in `problems`. Never throws.
 */
export function resolvePlugins<O extends { plugins?: unknown }>(options: O, problems: string[]): O {
  if (!options || typeof options !== 'object' || !Array.isArray(options.plugins)) return options;
  const plugins: Plugin[] = [];
  for (const spec of options.plugins as PluginSpec[]) {
    const [name, opts] = typeof spec === 'string' ? [spec] : Array.isArray(spec) ? spec : [];
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
  return { ...options, plugins: plugins as TrackerOptions['plugins'] };
}
