import { inject, injectable } from 'inversify';
import { CodedError } from '../../common/errors.js';
import { HostDataDir } from '../../host/api/index.js';
import { endpointFileOf, updateCheckNow, updateConfirm, updateDecline, updateRetry, type UpdateActionResult } from '../../services/ors-control/daemon-endpoint-client.js';
import type { UpdateActions } from './license-update-controller.js';

/** A refusal keeps the service's code (ors.update.not-pending, ors.update.daemon-unreachable, …). */
async function accepted(result: Promise<UpdateActionResult>): Promise<void> {
  const r = await result;
  if (!r.accepted) throw new CodedError(r.error.code, r.error.params ?? {}, r.error.field !== undefined ? { field: r.error.field } : {});
}

/** The update loop's actions on the ORS service the console runs with (its endpoint under the host's data dir). */
@injectable()
export class EndpointUpdateActions implements UpdateActions {
  private readonly file: string;

  constructor(@inject(HostDataDir) hostDataDir: string) {
    this.file = endpointFileOf(hostDataDir);
  }

  checkNow(): Promise<void> {
    return accepted(updateCheckNow(this.file));
  }

  confirm(licenseId: string): Promise<void> {
    return accepted(updateConfirm(this.file, licenseId));
  }

  retry(licenseId: string): Promise<void> {
    return accepted(updateRetry(this.file, licenseId));
  }

  decline(licenseId: string): Promise<void> {
    return accepted(updateDecline(this.file, licenseId));
  }
}
