import type { Release } from '../../common/backoffice/api.js';
import type { LicenseFeature } from '../../common/license/model.js';
import type { EntitlementRecord, InstallationRecord, LicenseRecord, ReceiptRecord } from './repository.js';

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
  };
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

