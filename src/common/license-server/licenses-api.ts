import type { Observable } from 'rxjs';
import type { ErrorInfo } from '../errors.js';
import type { EntitlementChange } from '../license/compare.js';
import type { LicenseFeature } from '../license/model.js';
import type { LicenseState } from '../license/validity.js';
import type { LicenseServerInput, LicenseServerSelection, OrsAccount } from './selection.js';

/** One license the selected server serves, as the Licenses dialog and the result pane show it. */
export interface ServedLicenseView {
  readonly serial: string;
  readonly product: string;
  readonly licenseId: string;
  /** YYYY-MM-DD or 'perpetual'. */
  readonly expiry: string;
  readonly maintenance: { readonly start: string; readonly end: string };
  readonly features: readonly LicenseFeature[];
  readonly users: number;
  readonly seatsInUse: number;
  readonly file: string;
  readonly state: LicenseState;
}

export type LicenseServerState =
  | { readonly kind: 'not-configured' }
  | { readonly kind: 'checking' }
  | { readonly kind: 'reachable'; readonly checkedAt: string }
  | { readonly kind: 'unreachable'; readonly error: ErrorInfo; readonly checkedAt?: string };

/** What the selected license server serves (the `status$` of the `licenses` RPC service). */
export interface LicensesStatus {
  readonly selection: 'none' | 'local' | 'remote';
  readonly server: LicenseServerState;
  readonly licenses: readonly ServedLicenseView[];
  /** Files the server does not serve, with the reason. */
  readonly problems: readonly { readonly file: string; readonly error: ErrorInfo }[];
}

/** The stored selection as the dialog sees it: never a password, only whether one is set. */
export interface SelectionView {
  readonly version: number;
  readonly selection?: LicenseServerSelection;
  readonly account: OrsAccount;
  readonly accountPasswordSet: boolean;
}

export type CheckId = 'fls' | 'trust' | 'host' | 'logon' | 'share' | 'folder' | 'write';

export interface CheckResult {
  readonly id: CheckId;
  /** 'skipped' when an earlier check failed. */
  readonly result: 'ok' | 'failed' | 'skipped';
  readonly error?: ErrorInfo;
}

export interface TestReport {
  readonly ok: boolean;
  readonly checks: readonly CheckResult[];
}

export interface InstallReport {
  readonly file: string;
  readonly serial: string;
  readonly changes: readonly EntitlementChange[];
  readonly pickupMs: number;
  /** Another installation's licenses this one replaced (serial, where each is kept). */
  readonly replaced?: readonly { readonly serial: string; readonly kept: string }[];
}

/** The plugin's `licenses` RPC service. No member ever returns a secret. */
export interface LicensesService {
  status$(): Observable<LicensesStatus>;
  selection$(): Observable<SelectionView>;
  /** Validates, then saves; `accountPassword` goes to the secrets store only. Rejects with a field error or settings.conflict. */
  select(input: LicenseServerInput, expectedVersion: number, accountPassword?: string): Promise<SelectionView>;
  /** Runs each check against the given (unsaved) input; the stored password is used when none is given. */
  test(input: LicenseServerInput, accountPassword?: string): Promise<TestReport>;
  /**
   * The manual path: the same checks as the automatic one, then installs on the selected server. A
   * license for another serial than the one the server serves is refused ('license.other-installation',
   * both named) unless `replaceInstallation` — the administrator's explicit, confirmed choice.
   */
  installFile(text: string, confirmWorse?: boolean, replaceInstallation?: boolean): Promise<InstallReport>;
}

export const LICENSES_SERVICE = 'licenses';
