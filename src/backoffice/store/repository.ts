import type { LicenseFeature, LicensePayload } from '../../common/license/model.js';
import type { InstallationResponse, ReceiptKind, Release } from '../../common/backoffice/api.js';
import type { AssistanceRequest } from '../../common/backoffice/assistance.js';
import type { AuditEntry, HeartbeatEntry, InstallationSortKey, InstallationStatusFilter, PendingKind, StaffRole } from '../../common/backoffice/staff-api.js';

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
  /** When the installation first fetched it (null: not yet). */
  readonly fetchedAt: string | null;
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

/** Who a session belongs to: a service organisation's ORS service, or a staff member of the website (by login name). */
export type SessionSubject = { readonly kind: 'organisation'; readonly id: string } | { readonly kind: 'staff'; readonly id: string };

export interface StaffUserRecord {
  readonly name: string;
  readonly organisationId: string;
  readonly role: StaffRole;
  /** Slow hash of the password (auth/secret-hash.ts). */
  readonly passwordHash: string;
  readonly createdAt: string;
}

/** An installation with what the back office keeps beside it: last contact, licenses served and installed, what waits there. */
export interface InstallationRow extends InstallationRecord {
  readonly lastContactAt: string | null;
  readonly served: LicenseRecord | null;
  readonly installedLicenseId: string | null;
  readonly installedSeq: number | null;
  readonly pendingKind: PendingKind | null;
  readonly pendingReason: string | null;
}

/** Which installations, in which order (the website's list; paged in the database). */
export interface InstallationListQuery {
  /** Only this organisation's (a technician's own; a vendor administrator's filter). */
  readonly organisationId?: string;
  /** Part of the serial, host name, product or organisation. */
  readonly q?: string;
  readonly status?: InstallationStatusFilter;
  readonly sort: InstallationSortKey;
  readonly order: 'asc' | 'desc';
  readonly offset: number;
  readonly limit: number;
  /** Milliseconds since the epoch: "connected" and the warnings are relative to it. */
  readonly now: number;
}

/** What was changed, for the change feed (live pages and long-poll wake-ups on every instance). */
export type ChangeKind = 'installation' | 'heartbeat' | 'contact' | 'license' | 'fetched' | 'receipt' | 'entitlement' | 'assistance';
export interface ChangeRecord {
  readonly serial: string;
  readonly organisationId: string;
  readonly kind: ChangeKind;
}

export type AssistanceRecord = AssistanceRequest;

/** An installation of a product with what the F6 rule needs (the releases page). */
export interface ReleaseCandidate {
  readonly serial: string;
  readonly organisationId: string;
  readonly maintenance: { readonly start: string; readonly end: string } | null;
  readonly expiry: string | null;
}

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

  // ---- the website (issue 14) ----

  /** Counts a request of the installation's ORS service as contact (the caller debounces). */
  recordContact(serial: string, at: string): Promise<void>;
  /** The installation fetched this license (first time only), which may make it wait for confirmation. */
  markFetched(serial: string, licenseId: string, at: string): Promise<void>;
  listInstallations(q: InstallationListQuery): Promise<{ total: number; rows: InstallationRow[] }>;
  getInstallationRow(serial: string): Promise<InstallationRow | undefined>;
  /** Newest first. */
  listHeartbeats(serial: string, limit: number): Promise<HeartbeatEntry[]>;
  listReleaseCandidates(product: string, organisationId?: string): Promise<ReleaseCandidate[]>;
  listProducts(): Promise<string[]>;

  addStaffUser(user: StaffUserRecord): Promise<void>;
  getStaffUser(name: string): Promise<StaffUserRecord | undefined>;
  listStaffUsers(organisationId?: string): Promise<StaffUserRecord[]>;
  /** Removes the account and every session of it; false when there was none. */
  removeStaffUser(name: string): Promise<boolean>;
  deleteSession(tokenHash: string): Promise<void>;

  /**
   * Stores a new request unless one is open for the installation at `now` (then CodedError
   * backoffice.assistance.open), checked in the same transaction on every instance.
   */
  createAssistance(r: AssistanceRecord, now: number): Promise<AssistanceRecord>;
  getAssistance(id: string): Promise<AssistanceRecord | undefined>;
  /** Newest first. */
  listAssistance(serial: string, limit: number): Promise<AssistanceRecord[]>;
  /** The newest request of the installation, if it was changed at `since` or later or is still open. */
  currentAssistance(serial: string, since: string): Promise<AssistanceRecord | undefined>;
  /** Changes a request under a row lock: `apply` returns the next version or throws. */
  updateAssistance(id: string, apply: (current: AssistanceRecord) => AssistanceRecord): Promise<AssistanceRecord | undefined>;

  addAudit(entry: AuditEntry & { readonly organisationId: string | null }): Promise<void>;
  /** Newest first. */
  listAudit(serial: string, limit: number): Promise<AuditEntry[]>;

  /**
   * Calls `onChanges` with every change written by anyone (this process, another instance, the
   * vendor CLI) since the watch began: the website's live pages and the assistance long-poll.
   */
  watchChanges(onChanges: (changes: readonly ChangeRecord[]) => void, intervalMs: number): Disposable;

  /** Reachability and migration state, for readiness. Never throws. */
  health(): Promise<StoreHealth>;
  /** Database self-check; resolves with 'ok' or the problems found. */
  integrityCheck(): Promise<string>;
  close(): Promise<void>;
}
