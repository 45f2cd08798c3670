import { ContainerModule } from 'inversify';
import { PluginContribution } from '../plugin-contribution.js';
import { RemoteAssistanceContribution } from './remote-assistance-contribution.js';
import { RemoteAssistanceController } from './remote-assistance-controller.js';

/** Remote assistance: prerequisites, the permission, TeamViewer started and stopped on request. */
export const remoteAssistanceModule = new ContainerModule(({ bind }) => {
  bind(RemoteAssistanceController).toSelf().inSingletonScope();
  bind(PluginContribution).to(RemoteAssistanceContribution).inSingletonScope();
});
