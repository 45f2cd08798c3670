import { ContainerModule } from 'inversify';
import * as path from 'node:path';
import { OrsDaemon, OrsDaemonOptions } from './ors-daemon.js';
import { InstallPipeline } from './update/install-pipeline.js';
import { LicenseUpdater } from './update/license-updater.js';
import { UpdateScheduler } from './update/update-scheduler.js';
import { UpdateStatus } from './update/update-status.js';
import { UpdaterSetup, UpdaterTimings } from './update/updater-config.js';

/**
 * The ORS service's own wiring; it runs on the platform module's services (share client, back-office
 * clients, clock) like the console's plugin. `options` are what the command line decided.
 */
export function daemonModule(options: OrsDaemonOptions): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind(OrsDaemonOptions).toConstantValue(options);
    bind(UpdaterSetup).toConstantValue({
      stateDir: options.stateDir,
      pluginDir: options.pluginDir,
      // <data-dir>/license-path: delivered licenses wait there while they are not installed.
      licensePath: path.join(path.dirname(options.stateDir), 'license-path'),
      logger: options.logger,
    });
    bind(UpdaterTimings).toConstantValue({});
    bind(UpdateStatus).toSelf().inSingletonScope();
    bind(UpdateScheduler).toSelf().inSingletonScope();
    bind(InstallPipeline).toSelf().inSingletonScope();
    bind(LicenseUpdater).toSelf().inSingletonScope();
    bind(OrsDaemon).toSelf().inSingletonScope();
  });
}
