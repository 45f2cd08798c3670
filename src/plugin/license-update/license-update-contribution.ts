import { inject, injectable } from 'inversify';
import { toDisposable, type Disposable } from '../../common/disposable.js';
import { CHECK_NOW_COMMAND, CONFIRM_COMMAND, RETRY_COMMAND } from '../../common/license-update/announcement.js';
import { LICENSE_UPDATE_SERVICE } from '../../common/license-update/api.js';
import { CommandRegistry, HostLogger, RpcRegistry } from '../../host/api/index.js';
import type { PluginContribution } from '../plugin-contribution.js';
import { LicenseUpdateController } from './license-update-controller.js';

/**
 * The automatic license update in the console (SPEC F5): announcements on the Licenses node, the
 * `licenseUpdate` RPC service for the Licenses dialog's update panel, and the commands behind the
 * announcement's buttons and the Licenses context menu.
 */
@injectable()
export class LicenseUpdateContribution implements PluginContribution {
  constructor(
    @inject(LicenseUpdateController) private readonly controller: LicenseUpdateController,
    @inject(RpcRegistry) private readonly rpc: RpcRegistry,
    @inject(CommandRegistry) private readonly commands: CommandRegistry,
    @inject(HostLogger) private readonly logger: HostLogger,
  ) {}

  contribute(): Disposable[] {
    const controller = this.controller;
    const logFailure = (what: string) => (e: unknown) => {
      this.logger.warn({ err: e }, what);
      throw e;
    };
    return [
      this.rpc.expose(LICENSE_UPDATE_SERVICE, controller, ['state$', 'checkNow', 'confirm', 'retry']),
      this.commands.register(CONFIRM_COMMAND, (licenseId) => controller.confirm(licenseId as string).then(() => null, logFailure('[Install anyway] failed'))),
      this.commands.register(RETRY_COMMAND, (licenseId) => controller.retry(licenseId as string).then(() => null, logFailure('[Retry] failed'))),
      this.commands.register(CHECK_NOW_COMMAND, () => controller.checkNow().then(() => null, logFailure('[Check now] failed'))),
      toDisposable(() => controller.dispose()),
    ];
  }
}
