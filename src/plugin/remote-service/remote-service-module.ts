import { ContainerModule } from 'inversify';
import { ServiceControl } from '../../services/ors-control/service-control.js';
import { PluginContribution } from '../plugin-contribution.js';
import { RemoteServiceContribution } from './remote-service-contribution.js';
import { RemoteServiceController, RemoteServiceTimings } from './remote-service-controller.js';
import { ConnectionTest } from './connection-test.js';
import { serviceControlOf, ServiceControlContribution } from './service-control-binding.js';
import { HostDataDir, PluginSettings } from '../../host/api/index.js';
import { ServiceControlFactory } from '../../services/ors-control/service-control-factory.js';

/** The Remote Service area: its settings and secrets, the ORS service's control, the connection test. */
export const remoteServiceModule = new ContainerModule(({ bind }) => {
  bind(ServiceControl)
    .toDynamicValue((ctx) => serviceControlOf(ctx.get<ServiceControlFactory>(ServiceControlFactory), ctx.get<PluginSettings>(PluginSettings), ctx.get<string>(HostDataDir)))
    .inSingletonScope();
  bind(RemoteServiceTimings).toConstantValue({ reportTimeoutMs: 60_000 });
  bind(ConnectionTest).toSelf().inSingletonScope();
  bind(RemoteServiceController).toSelf().inSingletonScope();
  bind(PluginContribution).to(ServiceControlContribution).inSingletonScope();
  bind(PluginContribution).to(RemoteServiceContribution).inSingletonScope();
});
