import type { LicenseFeature, LicensePayload } from '../../common/license/model.js';
import type { InstallationResponse, ReceiptKind, Release } from '../../common/backoffice/api.js';

/**
 * Storage of the back office, behind one interface with two adapters: SQLite (embedded default,
 * better-sqlite3, synchronous underneath) and PostgreSQL (several stateless instances). Everything
 * an instance must share with the others lives here: sessions, login throttling, licenses and their
 * sequence, receipts. Both adapters pass one contract suite (test/node/backoffice-repository.test.ts).
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

/**
 * Who a session belongs to. Today only service organisations log in; the vendor's staff (the
 * remote-service website) will be another kind with the same table.
 */
export type SessionSubject = { readonly kind: 'organisation'; readonly id: string };

export interface SessionRecord {
  /** SHA-256 of the bearer token (the token itself is never stored). */
  readonly tokenHash: string;
  readonly subject: SessionSubject;
  /** Milliseconds since the epoch. */
  readonly expiresAt: number;
}

/** Failed logins of one organisation ID from one client address (see auth/throttle.ts). */
export interface ThrottleRecord {
  readonly failures: number;
  /** Milliseconds since the epoch. */
  readonly lastFailureAt: number;
}

/** What readiness reports about the store. */
export interface StoreHealth {
  /** The database answered. */
  readonly reachable: boolean;
  /** Every migration this program knows has been applied. */
  readonly migrationsCurrent: boolean;
  /** Change notifications arrive (the PostgreSQL listener is connected; always true for SQLite). */
  readonly watching: boolean;
  readonly detail?: string;
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

  /** Idempotent: the same receipt sent again returns the stored one, on any instance. */
  addReceipt(receipt: Omit<ReceiptRecord, 'id'>): Promise<ReceiptRecord>;
  listReceipts(serial: string): Promise<ReceiptRecord[]>;

  createSession(session: SessionRecord): Promise<void>;
  /** The subject of an unexpired session, or undefined. */
  resolveSession(tokenHash: string, now: number): Promise<SessionSubject | undefined>;
  /** Removes expired sessions; returns how many. */
  deleteExpiredSessions(now: number): Promise<number>;

  getThrottle(organisationId: string, address: string): Promise<ThrottleRecord | undefined>;
  /**
   * Counts one failed login atomically (several instances may count at once); failures older than
   * `forgetAfterMs` are forgotten first. Returns the new state.
   */
  recordLoginFailure(organisationId: string, address: string, now: number, forgetAfterMs: number): Promise<ThrottleRecord>;
  clearThrottle(organisationId: string, address: string): Promise<void>;
  /** Drops throttle rows whose last failure is older than `before`; returns how many. */
  pruneThrottle(before: number): Promise<number>;

  /** Reachability and migration state, for readiness. Never throws. */
  health(): Promise<StoreHealth>;
  /** Database self-check; resolves with 'ok' or the problems found. */
  integrityCheck(): Promise<string>;
  close(): Promise<void>;
}
