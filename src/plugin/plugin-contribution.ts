import type { Disposable } from '../common/disposable.js';

/**
 * What an area adds to the console when the plugin activates (its node's items, RPC services,
 * commands, About section, warnings). Collected through the ContributionProvider, so the order in
 * which the areas' modules are loaded does not matter; every registration is returned for disposal.
 */
export interface PluginContribution {
  contribute(): Disposable[];
}
export const PluginContribution = Symbol('PluginContribution');
