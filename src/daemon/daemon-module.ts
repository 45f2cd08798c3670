import { ContainerModule } from 'inversify';
import { OrsDaemon, OrsDaemonOptions } from './ors-daemon.js';
import { UpdaterTimings } from './update/license-updater.js';

/**
 * The ORS service's own wiring; it runs on the platform module's services (share client, back-office
 * clients, clock) like the console's plugin. `options` are what the command line decided.
 */
export function daemonModule(options: OrsDaemonOptions): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind(OrsDaemonOptions).toConstantValue(options);
    bind(UpdaterTimings).toConstantValue({});
    bind(OrsDaemon).toSelf().inSingletonScope();
  });
}
