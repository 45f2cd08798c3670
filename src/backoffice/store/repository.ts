import type { LicenseFeature, LicensePayload } from '../../common/license/model.js';
import type { InstallationResponse, ReceiptKind, Release } from '../../common/backoffice/api.js';

/**
 * Storage of the back office, behind one interface so that a PostgreSQL adapter can follow the
 * SQLite one. Every method is async for that reason, even though better-sqlite3 is synchronous.
 */
export const BackofficeRepository = Symbol('BackofficeRepository');

export interface OrganisationRecord {
  readonly id: string;
  readonly name: string;
  /** Slow hash of the verification code (see auth/verification-code.ts). */
  readonly codeHash: string;
  readonly createdAt: string;
}

/** An installation as stored; the API answers with the same shape. */
export type InstallationRecord = InstallationResponse;

export interface EntitlementRecord {
  readonly serial: string;
  readonly maintenanceStart: string;
  readonly maintenanceEnd: string;
  /** YYYY-MM-DD or 'perpetual'. */
  readonly expiry: string;
  readonly users: number;
  readonly features: readonly LicenseFeature[];
  readonly graceDays: number;
  readonly updatedAt: string;
}

export interface LicenseRecord {
  /** Storage order; the change watcher's cursor. */
  readonly rowId: number;
  readonly licenseId: string;
  readonly serial: string;
  readonly seq: number;
  readonly kid: string;
  readonly issuedAt: string;
  readonly armoured: string;
}

export interface ReceiptRecord {
  readonly id: number;
  readonly serial: string;
  readonly licenseId: string;
  readonly seq: number;
  readonly kind: ReceiptKind;
  readonly reason: string | null;
  readonly detail: string | null;
  readonly receivedAt: string;
}

/** What `changeEntitlement` needs to sign a new license inside the same transaction. */
export interface LicenseIssuer {
  readonly kid: string;
  sign(payload: LicensePayload): string;
}

export interface EntitlementChange {
  /** Computes the new entitlement from the current one (undefined when none yet), or undefined for "no change". */
  (current: EntitlementRecord | undefined): EntitlementRecord | undefined;
}

export interface IssueResult {
  readonly entitlement: EntitlementRecord;
  /** The license issued for the change; undefined when the change changed nothing. */
  readonly license?: LicenseRecord;
}

export interface Disposable {
  dispose(): void;
}

export interface BackofficeRepository {
  addOrganisation(org: OrganisationRecord): Promise<void>;
  getOrganisation(id: string): Promise<OrganisationRecord | undefined>;

  addInstallation(inst: Pick<InstallationRecord, 'serial' | 'organisationId' | 'product' | 'createdAt'>): Promise<void>;
  getInstallation(serial: string): Promise<InstallationRecord | undefined>;
  heartbeat(serial: string, update: Pick<InstallationRecord, 'productVersion' | 'orsVersion' | 'hostname' | 'lastSeenAt'>): Promise<InstallationRecord | undefined>;

  getEntitlement(serial: string): Promise<EntitlementRecord | undefined>;
  /**
   * Applies `change` and, when it changed anything, issues the next license (seq = previous + 1) in
   * the same write transaction, so concurrent writers (other processes included) never skip or
   * repeat a seq.
   */
  changeEntitlement(serial: string, change: EntitlementChange, build: (ent: EntitlementRecord, seq: number, previous: LicenseRecord | undefined) => LicensePayload, issuer: LicenseIssuer): Promise<IssueResult>;

  currentLicense(serial: string): Promise<LicenseRecord | undefined>;
  /** The current license's id only: the cheap path of conditional requests. */
  currentLicenseId(serial: string): Promise<string | undefined>;
  listLicenses(serial: string): Promise<LicenseRecord[]>;
  /**
   * Calls `onIssued` with the serials of licenses issued by anyone (this process or another one
   * writing the same store) since the watch began.
   */
  watchLicenses(onIssued: (serials: readonly string[]) => void, intervalMs: number): Disposable;

  addRelease(release: Release): Promise<void>;
  getRelease(product: string, version: string): Promise<Release | undefined>;
  listReleases(product: string): Promise<Release[]>;

  addReceipt(receipt: Omit<ReceiptRecord, 'id'>): Promise<ReceiptRecord>;
  listReceipts(serial: string): Promise<ReceiptRecord[]>;

  /** Database self-check; resolves with 'ok' or the problems found. */
  integrityCheck(): Promise<string>;
  close(): Promise<void>;
}
