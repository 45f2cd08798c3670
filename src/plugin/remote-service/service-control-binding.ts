import type { RemoteServiceSettings } from '../../common/remote-service/model.js';
import type { PluginContext } from '../../host/api/index.js';
import { createServiceControl } from '../../services/ors-control/select-service-control.js';
import { ServiceControl } from '../../services/ors-control/service-control.js';

/**
 * Binds the ORS service's control (back-end from the `remoteService.serviceControl` setting) in the
 * plugin container. The embedded back-end runs the service as the console's child, so it is
 * started here and stopped with the plugin; an OS service (systemd, SCM) runs on its own.
 */
export function bindServiceControl(context: PluginContext): ServiceControl {
  const setting = (context.settings.get().values['remoteService'] as Partial<RemoteServiceSettings> | undefined)?.serviceControl;
  const control = createServiceControl(setting, { dataDir: context.hostDataDir });
  context.container.bind(ServiceControl).toConstantValue(control);
  context.subscriptions.push({ dispose: () => void control.dispose() });
  if (control.backend === 'embedded') {
    control.start().catch((e: unknown) => context.logger.error({ err: String(e) }, 'the ORS service did not start'));
  }
  return control;
}
