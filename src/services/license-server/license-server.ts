import type { Observable } from 'rxjs';
import { CodedError, type ErrorInfo } from '../../common/errors.js';
import type { EntitlementChange } from '../../common/license/compare.js';
import { changesMessage } from '../../common/license/describe.js';
import type { FlsStatus } from '../../common/license/fls-api.js';
import type { FolderScan } from '../license/folder.js';

/** What the selected license server serves, as last seen. */
export type LicenseServerStatus =
  | { readonly kind: 'checking' }
  | { readonly kind: 'reachable'; readonly fls: FlsStatus; readonly checkedAt: string }
  | { readonly kind: 'unreachable'; readonly error: ErrorInfo; readonly checkedAt: string };

export interface InstallOptions {
  /** The administrator confirmed a license that takes something away. */
  readonly confirmWorse?: boolean;
  /**
   * The administrator chose, and confirmed, to replace this installation's license with one for
   * another serial number (the replaced licenses are kept in history/). Without it a license for
   * another serial is refused unless the server is empty.
   */
  readonly replaceInstallation?: boolean;
  /** The serial number of this installation; the license must be for it. */
  readonly serial?: string;
  /** How long to wait for the FLS to serve the new license (default 10 s). */
  readonly pickupDeadlineMs?: number;
  readonly signal?: AbortSignal;
}

export interface InstallResult {
  /** File name in the license folder. */
  readonly file: string;
  readonly sha256: string;
  /** Where the replaced license was kept (history subfolder), if there was one. */
  readonly previous?: string;
  /** Changes against the license it replaces (empty for the first one). */
  readonly changes: readonly EntitlementChange[];
  /** Milliseconds until the FLS served it. */
  readonly pickupMs: number;
  /** Licenses of another installation this one replaced, and where each is kept. */
  readonly replaced?: readonly { readonly serial: string; readonly kept: string }[];
}

/**
 * A license server: a floating license server plus the license folder it serves from, on this
 * machine or remote. Installing verifies the license exactly like the automatic path does.
 */
export interface LicenseServer {
  readonly status$: Observable<LicenseServerStatus>;
  /** The license files in the folder, verified (served = best valid per serial). */
  readLicenses(): Promise<FolderScan>;
  /**
   * verify → this installation's serial (unless replacing it) → newer and not worse (unless
   * confirmed) → atomic write, previous kept in history/ → wait until the FLS serves it. Nothing is
   * touched when a check fails.
   */
  install(licenseText: string | Uint8Array, options?: InstallOptions): Promise<InstallResult>;
  dispose(): void;
}

export const LicenseServer = Symbol('LicenseServer');

/** A license that takes something away, refused until the administrator confirms it. */
export class LicenseWorseError extends CodedError {
  constructor(readonly losses: readonly EntitlementChange[]) {
    super('license.worse', { changes: changesMessage(losses) });
  }
}
