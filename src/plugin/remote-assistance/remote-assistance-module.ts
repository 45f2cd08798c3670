import { ContainerModule } from 'inversify';
import { PluginContribution } from '../plugin-contribution.js';
import { RemoteAssistanceContribution } from './remote-assistance-contribution.js';
import { RemoteAssistanceController } from './remote-assistance-controller.js';
import { AssistanceReports, AssistanceRequests } from './assistance-requests.js';
import { EndpointAssistanceReports } from './endpoint-reports.js';

/** Remote assistance: prerequisites, the permission, TeamViewer started and stopped on request, the help desk's requests. */
export const remoteAssistanceModule = new ContainerModule(({ bind }) => {
  bind(RemoteAssistanceController).toSelf().inSingletonScope();
  bind(AssistanceReports).to(EndpointAssistanceReports).inSingletonScope();
  bind(AssistanceRequests).toSelf().inSingletonScope();
  bind(PluginContribution).to(RemoteAssistanceContribution).inSingletonScope();
});
