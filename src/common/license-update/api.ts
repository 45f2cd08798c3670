import type { Observable } from 'rxjs';
import type { UpdateState } from '../remote-service/model.js';

/** Name under which the plugin exposes LicenseUpdateService over RPC. */
export const LICENSE_UPDATE_SERVICE = 'licenseUpdate';

/** License IDs the console passes to the ORS service: what the back office issues, nothing else. */
export const LICENSE_ID_PATTERN = /^[A-Za-z0-9._-]{1,128}$/;

/** RPC surface of the automatic license update (SPEC F5) in the console. Actions are audited (actor 'console'). */
export interface LicenseUpdateService {
  /** The update loop as the ORS service reports it; undefined while the service is not running. */
  state$(): Observable<UpdateState | undefined>;
  /** [Check now]: asks the back office at once. */
  checkNow(): Promise<void>;
  /** [Install anyway]: installs a license that waits for confirmation (it takes something away). */
  confirm(licenseId: string): Promise<void>;
  /** [Retry]: tries again to install a license kept in the license path. */
  retry(licenseId: string): Promise<void>;
  /** [Keep current license]: declines a license that waits for confirmation; the back office gets a `declined` receipt and it is not asked for again. */
  decline(licenseId: string): Promise<void>;
}
