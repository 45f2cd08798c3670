import type { ContainerModule } from 'inversify';
import { ContributionProvider } from '../common/contribution-provider.js';
import type { PluginContext } from '../host/api/index.js';
import { platformModule } from '../services/platform-module.js';
import { licenseUpdateModule } from './license-update/license-update-module.js';
import { licensesModule } from './licenses/licenses-module.js';
import { PluginContribution } from './plugin-contribution.js';
import { pluginModule } from './plugin-module.js';
import { remoteAssistanceModule } from './remote-assistance/remote-assistance-module.js';
import { remoteServiceModule } from './remote-service/remote-service-module.js';

/** Every module of the plugin: its own wiring, the platform's services and one per area (any order). */
export const pluginModules: readonly ContainerModule[] = [pluginModule, platformModule, licensesModule, remoteServiceModule, licenseUpdateModule, remoteAssistanceModule];

/** Runs every contribution the container collects; each registration goes to the context's subscriptions. */
export function contributeAll(context: PluginContext): void {
  const provider = context.container.get<ContributionProvider<PluginContribution>>(ContributionProvider, { name: PluginContribution });
  for (const c of provider.getContributions()) context.subscriptions.push(...c.contribute());
}

/**
 * Entry point the host calls: loads the modules into the plugin's container and runs the
 * contributions; deactivation is the host disposing the context's subscriptions.
 */
export function activate(context: PluginContext): void {
  context.container.load(...pluginModules);
  contributeAll(context);
  context.logger.info('Remote Service & Licenses activated');
}
