import type { PluginContext } from '../host/api/index.js';
import { contributeLicenseUpdate } from './license-update/license-update-contribution.js';
import { contributeLicenses } from './licenses/licenses-contribution.js';
import { pluginModule } from './plugin-module.js';
import { contributeRemoteAssistance } from './remote-assistance/remote-assistance-contribution.js';
import { contributeRemoteService } from './remote-service/remote-service-contribution.js';
import { bindServiceControl } from './remote-service/service-control-binding.js';

/**
 * Entry point the host calls. Each area contributes its node's items, commands and RPC services;
 * every registration goes to context.subscriptions, so deactivation is the host disposing them.
 */
export function activate(context: PluginContext): void {
  context.container.load(pluginModule);
  contributeLicenses(context);
  bindServiceControl(context);
  contributeRemoteService(context);
  contributeLicenseUpdate(context);
  contributeRemoteAssistance(context);
  context.logger.info('Remote Service & Licenses activated');
}
