import { ContainerModule } from 'inversify';
import { Clock, SystemClock } from '../common/clock.js';
import { BackofficeClientFactory, DefaultBackofficeClientFactory } from './backoffice-client/backoffice-client-factory.js';
import { DefaultHttpClientFactory, HttpClientFactory } from './http/http-client.js';
import { DefaultLicenseServerFactory, LicenseServerFactory } from './license-server/license-server-factory.js';
import { PlatformServiceControlFactory, ServiceControlFactory } from './ors-control/service-control-factory.js';
import { CommandRunner, SpawnCommandRunner } from './process/command-runner.js';
import { ConnectionDiagnostic, DefaultConnectionDiagnostic } from './proxy/diagnostic.js';
import { DefaultProxyResolverFactory, ProxyResolverFactory } from './proxy/proxy-resolver.js';
import { ShareClient } from './share/share-client.js';
import { SmbclientShareClient } from './share/smbclient-share-client.js';
import { UncShareClient } from './share/unc-share-client.js';
import { TeamViewerLauncher } from './teamviewer/launcher.js';
import { PlatformTeamViewerDiscovery, TeamViewerDiscovery } from './teamviewer/teamviewer-discovery.js';

/**
 * The platform's services, bound once for the console's plugin and the ORS service alike. Platform
 * choices are made here, in bindings (UNC paths on Windows, smbclient elsewhere), not in constructors.
 */
export const platformModule = new ContainerModule(({ bind }) => {
  bind(Clock).to(SystemClock).inSingletonScope();
  bind(CommandRunner).to(SpawnCommandRunner).inSingletonScope();
  bind(ShareClient)
    .to(process.platform === 'win32' ? UncShareClient : SmbclientShareClient)
    .inSingletonScope();
  bind(ProxyResolverFactory).to(DefaultProxyResolverFactory).inSingletonScope();
  bind(HttpClientFactory).to(DefaultHttpClientFactory).inSingletonScope();
  bind(ConnectionDiagnostic).to(DefaultConnectionDiagnostic).inSingletonScope();
  bind(LicenseServerFactory).to(DefaultLicenseServerFactory).inSingletonScope();
  bind(BackofficeClientFactory).to(DefaultBackofficeClientFactory).inSingletonScope();
  bind(ServiceControlFactory).to(PlatformServiceControlFactory).inSingletonScope();
  bind(TeamViewerDiscovery).to(PlatformTeamViewerDiscovery).inSingletonScope();
  bind(TeamViewerLauncher)
    .toDynamicValue((ctx) => {
      const discovery = ctx.get<TeamViewerDiscovery>(TeamViewerDiscovery);
      return new TeamViewerLauncher({ readId: (i) => discovery.readId(i) });
    })
    .inSingletonScope();
});
