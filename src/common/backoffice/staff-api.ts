/**
 * The staff side of the back-office API (the remote-service website, issue 14): the service
 * organisation's technicians and the vendor's administrators. The OpenAPI document
 * (src/backoffice/openapi.json) is normative; these types mirror its schemas. Isomorphic.
 */
import type { LicenseFeature, LicensePayload } from '../license/model.js';
import type { EntitlementChange } from '../license/compare.js';
import type { ReceiptResponse, Release, ReleaseDenialReason } from './api.js';
import type { AssistanceRequest } from './assistance.js';

/** vendor-admin: every organisation, releases, entitlements; technician: the own organisation's installations and remote assistance. */
export const STAFF_ROLES = ['vendor-admin', 'technician'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

/** Login names: what staff type to log in (also the key of the login throttle). */
export const STAFF_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;
export const MIN_STAFF_PASSWORD = 12;
export const MAX_STAFF_PASSWORD = 256;

/** The session cookie (HttpOnly, SameSite=Strict) and the header that carries the CSRF token on every state change. */
export const STAFF_COOKIE = 'ors_staff';
export const CSRF_HEADER = 'x-csrf-token';

export interface StaffUser {
  readonly name: string;
  readonly organisationId: string;
  readonly role: StaffRole;
}

/** POST /v1/staff/sessions */
export interface StaffLoginRequest {
  readonly name: string;
  readonly password: string;
}

/** POST /v1/staff/sessions, GET /v1/staff/session */
export interface StaffSessionResponse {
  readonly user: StaffUser;
  /** Send it back in `X-CSRF-Token` with every state-changing request of this session. */
  readonly csrfToken: string;
  /** In the login's answer: when the session ends (it ends then however active it is). */
  readonly expiresAt?: string;
}

/** What waits at an installation: a reduction to confirm, a license to copy by hand, a license kept back, a failure. */
export const PENDING_KINDS = ['awaiting-confirmation', 'manual-pending', 'declined', 'failed'] as const;
export type PendingKind = (typeof PENDING_KINDS)[number];

/** The license a back office issued, as the website shows it. */
export interface IssuedLicense {
  readonly licenseId: string;
  readonly seq: number;
  readonly issuedAt: string;
  /** When the installation first fetched it (null: not yet). */
  readonly fetchedAt: string | null;
  readonly payload: LicensePayload;
}

/** One row of the installations list. */
export interface InstallationSummary {
  readonly serial: string;
  readonly organisationId: string;
  readonly product: string;
  readonly productVersion: string | null;
  readonly orsVersion: string | null;
  readonly hostname: string | null;
  /** Last request of the installation's ORS service (long-poll, heartbeat, receipt). */
  readonly lastContactAt: string | null;
  /** Last heartbeat. */
  readonly lastSeenAt: string | null;
  /** The license served now (the newest issued). */
  readonly served: IssuedLicense | null;
  /** The newest license the installation reported installed. */
  readonly installed: { readonly licenseId: string; readonly seq: number } | null;
  readonly pending: { readonly kind: PendingKind; readonly licenseId: string; readonly seq: number; readonly reason: string | null } | null;
  /** The open remote-assistance request, if any. */
  readonly assistance: AssistanceRequest | null;
}

export const INSTALLATION_SORT_KEYS = ['serial', 'product', 'organisation', 'contact', 'seq', 'pending', 'expiry', 'maintenance'] as const;
export type InstallationSortKey = (typeof INSTALLATION_SORT_KEYS)[number];
export const INSTALLATION_STATUS_FILTERS = ['connected', 'disconnected', 'pending', 'warning'] as const;
export type InstallationStatusFilter = (typeof INSTALLATION_STATUS_FILTERS)[number];
export const MAX_PAGE_SIZE = 200;

/** GET /v1/staff/installations?q=&organisation=&status=&sort=&order=&offset=&limit= */
export interface InstallationQuery {
  readonly q?: string;
  readonly organisation?: string;
  readonly status?: InstallationStatusFilter;
  readonly sort: InstallationSortKey;
  readonly order: 'asc' | 'desc';
  readonly offset: number;
  readonly limit: number;
}

export interface InstallationPage {
  readonly total: number;
  readonly offset: number;
  readonly items: readonly InstallationSummary[];
}

export interface HeartbeatEntry {
  readonly at: string;
  readonly orsVersion: string | null;
  readonly productVersion: string | null;
  readonly hostname: string | null;
}

/** Who did what, on the back office's side. */
export interface AuditEntry {
  readonly at: string;
  /** 'staff' (a login name), 'installation' (its ORS service), 'vendor' (the CLI). */
  readonly actorKind: 'staff' | 'installation' | 'vendor';
  readonly actor: string;
  readonly action: string;
  readonly serial: string | null;
  readonly detail: Readonly<Record<string, string | number | null>>;
}

export interface EntitlementView {
  readonly maintenance: { readonly start: string; readonly end: string };
  readonly expiry: string;
  readonly users: number;
  readonly features: readonly LicenseFeature[];
  readonly graceDays: number;
  readonly updatedAt: string;
}

/** GET /v1/staff/installations/{serial} */
export interface InstallationDetail {
  readonly summary: InstallationSummary;
  readonly entitlement: EntitlementView | null;
  /** Newest first. */
  readonly licenses: readonly IssuedLicense[];
  /** Newest first. */
  readonly receipts: readonly ReceiptResponse[];
  /** Newest first. */
  readonly heartbeats: readonly HeartbeatEntry[];
  /** Newest first. */
  readonly assistance: readonly AssistanceRequest[];
  /** Newest first. */
  readonly audit: readonly AuditEntry[];
}

/** PUT …/entitlement and POST …/entitlement/preview: the entitlement as it should be (every field). */
export interface EntitlementEdit {
  readonly users: number;
  readonly maintenanceStart: string;
  readonly maintenanceEnd: string;
  /** YYYY-MM-DD or 'perpetual'. */
  readonly expiry: string;
  readonly features: readonly LicenseFeature[];
}

/**
 * What the installation's console will announce when the edited entitlement arrives: the same
 * entitlement diff and kind the ORS service derives (installed, or waiting for confirmation when it
 * takes something away), against the license the installation has (its last reported install, else
 * the one served).
 */
export interface EntitlementPreview {
  readonly serial: string;
  readonly kind: 'installed' | 'awaiting-confirmation';
  readonly changes: readonly EntitlementChange[];
  /** Against which license the changes are counted. */
  readonly base: { readonly licenseId: string; readonly seq: number } | null;
}

export interface EntitlementChangeResponse {
  readonly preview: EntitlementPreview;
  /** The license issued for the change; null when nothing changed. */
  readonly license: { readonly licenseId: string; readonly seq: number } | null;
}

/** GET /v1/staff/releases */
export interface StaffReleaseList {
  readonly releases: readonly (Release & { readonly allowed: number; readonly installations: number })[];
}

/** GET /v1/staff/releases/{product}/{version}/installations */
export interface ReleaseInstallations {
  readonly release: Release;
  readonly total: number;
  readonly offset: number;
  readonly items: readonly { readonly serial: string; readonly organisationId: string; readonly allowed: boolean; readonly reason?: ReleaseDenialReason }[];
}

/** Server-sent event `change` on GET /v1/staff/events: which installations changed (coalesced). */
export interface ChangeEvent {
  readonly serials: readonly string[];
}

/** Within this long since its last contact an installation counts as connected (long-poll 60 s + margin). */
export const CONNECTED_WITHIN_MS = 120_000;

/** The one "connected now" rule of the list, the page and the server's filter. */
export function isConnected(lastContactAt: string | null, now: number): boolean {
  return lastContactAt !== null && now - Date.parse(lastContactAt) < CONNECTED_WITHIN_MS;
}
