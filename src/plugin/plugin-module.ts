import { ContainerModule } from 'inversify';
import { bindContributionProvider } from '../common/contribution-provider.js';
import { pluginCatalogue } from '../common/messages/index.js';
import { type Disposable } from '../common/disposable.js';
import { MessageRegistry } from '../host/api/index.js';
import { inject, injectable } from 'inversify';
import { PluginContribution } from './plugin-contribution.js';

/** Registers the plugin's one message catalogue with the host (the console formats its codes with it). */
@injectable()
export class CatalogueContribution implements PluginContribution {
  constructor(@inject(MessageRegistry) private readonly messages: MessageRegistry) {}

  contribute(): Disposable[] {
    return [this.messages.register(pluginCatalogue)];
  }
}

/** The plugin's own wiring: the provider that collects every area's contributions, and its catalogue. */
export const pluginModule = new ContainerModule(({ bind }) => {
  bindContributionProvider(bind, PluginContribution);
  bind(PluginContribution).to(CatalogueContribution).inSingletonScope();
});
