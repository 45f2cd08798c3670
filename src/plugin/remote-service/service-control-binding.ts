import { readRemoteService } from '../../common/settings/read-settings.js';
import { inject, injectable } from 'inversify';
import { toDisposable, type Disposable } from '../../common/disposable.js';
import type { PluginSettings } from '../../host/api/index.js';
import { HostLogger } from '../../host/api/index.js';
import { ServiceControl } from '../../services/ors-control/service-control.js';
import type { ServiceControlFactory } from '../../services/ors-control/service-control-factory.js';
import type { PluginContribution } from '../plugin-contribution.js';

/** The ORS service's control for the back-end the settings name (read once, at activation). */
export function serviceControlOf(factory: ServiceControlFactory, settings: PluginSettings, hostDataDir: string): ServiceControl {
  return factory.create(readRemoteService(settings.get().values).serviceControl, hostDataDir);
}

/**
 * The embedded back-end runs the ORS service as the console's child: started when the plugin
 * activates, stopped with it. An OS service (systemd, SCM) runs on its own.
 */
@injectable()
export class ServiceControlContribution implements PluginContribution {
  constructor(
    @inject(ServiceControl) private readonly control: ServiceControl,
    @inject(HostLogger) private readonly logger: HostLogger,
  ) {}

  contribute(): Disposable[] {
    const control = this.control;
    if (control.backend === 'embedded') {
      control.start().catch((e: unknown) => this.logger.error({ err: String(e) }, 'the ORS service did not start'));
    }
    return [toDisposable(() => void control.dispose())];
  }
}

