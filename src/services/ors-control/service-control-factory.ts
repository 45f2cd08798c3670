import { inject, injectable } from 'inversify';
import type { RemoteServiceSettings } from '../../common/remote-service/model.js';
import { CommandRunner } from '../process/command-runner.js';
import { createServiceControl } from './select-service-control.js';
import type { ServiceControl } from './service-control.js';

/** Makes the ORS service's control for the configured back-end (embedded child, systemd, Windows SCM). */
export interface ServiceControlFactory {
  create(setting: RemoteServiceSettings['serviceControl'] | undefined, dataDir: string): ServiceControl;
}
export const ServiceControlFactory = Symbol('ServiceControlFactory');

@injectable()
export class PlatformServiceControlFactory implements ServiceControlFactory {
  constructor(@inject(CommandRunner) private readonly runner: CommandRunner) {}

  create(setting: RemoteServiceSettings['serviceControl'] | undefined, dataDir: string): ServiceControl {
    return createServiceControl(setting, { dataDir, runner: this.runner });
  }
}
