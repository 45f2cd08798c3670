import type { Release } from '../../common/backoffice/api.js';
import type { LicenseFeature } from '../../common/license/model.js';
import type { AuditEntry, HeartbeatEntry, PendingKind, StaffRole } from '../../common/backoffice/staff-api.js';
import type { AssistanceRecord, EntitlementRecord, InstallationRecord, InstallationRow, LicenseRecord, ReceiptRecord, StaffUserRecord } from './repository.js';

// Rows of both adapters to records: the column names are the same in SQLite and PostgreSQL (and
// PostgreSQL's bigint arrives as a string, hence Number()).

export type Row = Record<string, unknown>;

export const str = (v: unknown): string => String(v);
export const strOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

export function toInstallation(r: Row): InstallationRecord {
  return {
    serial: str(r['serial']),
    organisationId: str(r['organisation_id']),
    product: str(r['product']),
    productVersion: strOrNull(r['product_version']),
    orsVersion: strOrNull(r['ors_version']),
    hostname: strOrNull(r['hostname']),
    createdAt: str(r['created_at']),
    lastSeenAt: strOrNull(r['last_seen_at']),
  };
}

export function toEntitlement(r: Row): EntitlementRecord {
  return {
    serial: str(r['serial']),
    maintenanceStart: str(r['maintenance_start']),
    maintenanceEnd: str(r['maintenance_end']),
    expiry: str(r['expiry']),
    users: Number(r['users']),
    features: JSON.parse(str(r['features'])) as LicenseFeature[],
    graceDays: Number(r['grace_days']),
    updatedAt: str(r['updated_at']),
  };
}

export function toLicense(r: Row): LicenseRecord {
  return {
    rowId: Number(r['id']),
    licenseId: str(r['license_id']),
    serial: str(r['serial']),
    seq: Number(r['seq']),
    kid: str(r['kid']),
    issuedAt: str(r['issued_at']),
    armoured: str(r['armoured']),
    fetchedAt: strOrNull(r['fetched_at']),
  };
}

const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

/** A row of INSTALLATION_ROW_COLUMNS (installation-list.ts): the installation, its status and the license served. */
export function toInstallationRow(r: Row): InstallationRow {
  return {
    ...toInstallation(r),
    lastContactAt: strOrNull(r['last_contact_at']),
    installedLicenseId: strOrNull(r['installed_license_id']),
    installedSeq: numOrNull(r['installed_seq']),
    pendingKind: strOrNull(r['pending_kind']) as PendingKind | null,
    pendingReason: strOrNull(r['pending_reason']),
    served:
      r['l_license_id'] === null || r['l_license_id'] === undefined
        ? null
        : toLicense({ id: r['l_id'], license_id: r['l_license_id'], serial: r['serial'], seq: r['l_seq'], kid: r['l_kid'], issued_at: r['l_issued_at'], armoured: r['l_armoured'], fetched_at: r['l_fetched_at'] }),
  };
}

export function toStaffUser(r: Row): StaffUserRecord {
  return { name: str(r['name']), organisationId: str(r['organisation_id']), role: str(r['role']) as StaffRole, passwordHash: str(r['password_hash']), createdAt: str(r['created_at']) };
}

export function toAssistance(r: Row): AssistanceRecord {
  return {
    id: str(r['id']),
    serial: str(r['serial']),
    organisationId: str(r['organisation_id']),
    requestedBy: str(r['requested_by']),
    message: str(r['message']),
    state: str(r['state']) as AssistanceRecord['state'],
    createdAt: str(r['created_at']),
    updatedAt: str(r['updated_at']),
    expiresAt: str(r['expires_at']),
    teamViewerId: strOrNull(r['teamviewer_id']),
    reason: strOrNull(r['reason']),
  };
}

/** Parameters of an assistance row, in the column order of ASSISTANCE_COLUMNS. */
export const ASSISTANCE_COLUMNS = 'id, serial, organisation_id, requested_by, message, state, created_at, updated_at, expires_at, teamviewer_id, reason';
export function assistanceParams(a: AssistanceRecord): unknown[] {
  return [a.id, a.serial, a.organisationId, a.requestedBy, a.message, a.state, a.createdAt, a.updatedAt, a.expiresAt, a.teamViewerId, a.reason];
}

export function toAudit(r: Row): AuditEntry {
  return {
    at: str(r['at']),
    actorKind: str(r['actor_kind']) as AuditEntry['actorKind'],
    actor: str(r['actor']),
    action: str(r['action']),
    serial: strOrNull(r['serial']),
    detail: JSON.parse(str(r['detail'])) as AuditEntry['detail'],
  };
}

export function toHeartbeat(r: Row): HeartbeatEntry {
  return { at: str(r['at']), orsVersion: strOrNull(r['ors_version']), productVersion: strOrNull(r['product_version']), hostname: strOrNull(r['hostname']) };
}

export function toRelease(r: Row): Release {
  return {
    product: str(r['product']),
    version: str(r['version']),
    releaseDate: str(r['release_date']),
    checksum: str(r['checksum']),
    url: str(r['url']),
  };
}

export function toReceipt(r: Row): ReceiptRecord {
  return {
    id: Number(r['id']),
    serial: str(r['serial']),
    licenseId: str(r['license_id']),
    seq: Number(r['seq']),
    kind: str(r['kind']) as ReceiptRecord['kind'],
    reason: strOrNull(r['reason']),
    detail: strOrNull(r['detail']),
    receivedAt: str(r['received_at']),
  };
}

