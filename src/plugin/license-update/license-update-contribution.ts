import * as path from 'node:path';
import { defer, of, type Observable } from 'rxjs';
import { toDisposable } from '../../common/disposable.js';
import { CHECK_NOW_COMMAND, CONFIRM_COMMAND, RETRY_COMMAND } from '../../common/license-update/announcement.js';
import { LICENSE_UPDATE_SERVICE } from '../../common/license-update/api.js';
import type { ServiceState } from '../../common/remote-service/model.js';
import type { PluginContext } from '../../host/api/index.js';
import { ServiceControl } from '../../services/ors-control/service-control.js';
import { AnnouncedEvents } from './announced-events.js';
import { endpointActions } from './endpoint-actions.js';
import { LicenseUpdateController, type UpdateActions } from './license-update-controller.js';

export interface LicenseUpdateOptions {
  /** How the actions reach the ORS service; by default its local endpoint. */
  readonly actions?: UpdateActions;
}

/**
 * The automatic license update in the console (SPEC F5, issue 7 item 3): announcements on the
 * Licenses node, the `licenseUpdate` RPC service for the Licenses dialog's update panel, and the
 * commands behind the announcement's buttons and the Licenses context menu.
 * Call after contributeRemoteService (it binds the ServiceControl).
 */
export function contributeLicenseUpdate(context: PluginContext, options: LicenseUpdateOptions = {}): LicenseUpdateController {
  const container = context.container;
  const serviceState$: Observable<ServiceState | undefined> = defer(() =>
    container.isBound(ServiceControl) ? container.get<ServiceControl>(ServiceControl).state$ : of(undefined),
  );
  const announced = new AnnouncedEvents(path.join(context.dataDir, 'license-update', 'announced.json'));
  const controller = new LicenseUpdateController({
    serviceState$,
    actions: options.actions ?? endpointActions(context.hostDataDir),
    notifications: context.notifications,
    audit: context.audit,
    announced,
    logger: context.logger,
  });
  container.bind(LicenseUpdateController).toConstantValue(controller);
  const logFailure = (what: string) => (e: unknown) => {
    context.logger.warn({ err: e }, what);
    throw e;
  };
  context.subscriptions.push(
    context.rpc.expose(LICENSE_UPDATE_SERVICE, controller, ['state$', 'checkNow', 'confirm', 'retry']),
    context.commands.register(CONFIRM_COMMAND, (licenseId) => controller.confirm(licenseId as string).then(() => null, logFailure('[Install anyway] failed'))),
    context.commands.register(RETRY_COMMAND, (licenseId) => controller.retry(licenseId as string).then(() => null, logFailure('[Retry] failed'))),
    context.commands.register(CHECK_NOW_COMMAND, () => controller.checkNow().then(() => null, logFailure('[Check now] failed'))),
    toDisposable(() => controller.dispose()),
  );
  return controller;
}
