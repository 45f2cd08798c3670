import { inject, injectable } from 'inversify';
import { toDisposable, type Disposable } from '../../common/disposable.js';
import equal from 'fast-deep-equal';
import { distinctUntilChanged, map } from 'rxjs';
import type { AttentionItem } from '../../common/console-protocol.js';
import {
  announcementActions,
  announcementDetail,
  announcementMessage,
  CHECK_NOW_COMMAND,
  CONFIRM_COMMAND,
  DECLINE_COMMAND,
  LICENSES_NODE,
  manualStepsList,
  RETRY_COMMAND,
} from '../../common/license-update/announcement.js';
import type { UpdateState } from '../../common/remote-service/model.js';
import { LICENSE_UPDATE_SERVICE } from '../../common/license-update/api.js';
import { AttentionRegistry, CommandRegistry, HostLogger, RpcRegistry } from '../../host/api/index.js';
import type { PluginContribution } from '../plugin-contribution.js';
import { LicenseUpdateController } from './license-update-controller.js';

/**
 * What waits for the administrator in the update loop (issue 13): a license that takes something
 * away and waits for [Install anyway] / [Keep current license] (also in the start-up notice), and
 * a license kept in the license path for a manual install. It lasts exactly as long as the ORS
 * service reports it pending.
 */
export function attentionOfUpdate(u: UpdateState | undefined): AttentionItem[] {
  return (u?.pending ?? [])
    .filter((e) => e.kind === 'awaiting-confirmation' || e.kind === 'manual-pending')
    .map((e) => {
      const detail = e.kind === 'manual-pending' ? manualStepsList(e).reason : announcementDetail(e);
      return {
        id: `license-update.${e.licenseId}`,
        nodeId: LICENSES_NODE,
        severity: 'warning' as const,
        message: announcementMessage(e),
        ...(detail ? { detail } : {}),
        actions: announcementActions(e).map((a) => (a.id === 'open' ? { ...a, args: ['update'] } : a)),
        ...(e.kind === 'awaiting-confirmation' ? { notice: true, since: e.time } : {}),
      };
    });
}

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
    @inject(AttentionRegistry) private readonly attention: AttentionRegistry,
    @inject(HostLogger) private readonly logger: HostLogger,
  ) {}

  contribute(): Disposable[] {
    const controller = this.controller;
    const logFailure = (what: string) => (e: unknown) => {
      this.logger.warn({ err: e }, what);
      throw e;
    };
    return [
      this.attention.register(controller.state$().pipe(map(attentionOfUpdate), distinctUntilChanged<AttentionItem[]>(equal))),
      this.rpc.expose(LICENSE_UPDATE_SERVICE, controller, ['state$', 'checkNow', 'confirm', 'retry', 'decline']),
      this.commands.register(CONFIRM_COMMAND, (licenseId) => controller.confirm(licenseId as string).then(() => null, logFailure('[Install anyway] failed'))),
      this.commands.register(DECLINE_COMMAND, (licenseId) => controller.decline(licenseId as string).then(() => null, logFailure('[Keep current license] failed'))),
      this.commands.register(RETRY_COMMAND, (licenseId) => controller.retry(licenseId as string).then(() => null, logFailure('[Retry] failed'))),
      this.commands.register(CHECK_NOW_COMMAND, () => controller.checkNow().then(() => null, logFailure('[Check now] failed'))),
      toDisposable(() => controller.dispose()),
    ];
  }
}
