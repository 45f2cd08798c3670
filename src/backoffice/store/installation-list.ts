import { CONNECTED_WITHIN_MS } from '../../common/backoffice/staff-api.js';
import { addDays, toCalendarDate } from '../../common/license/dates.js';
import { WARNING_DAYS } from '../../common/license/validity.js';
import type { InstallationListQuery } from './repository.js';

export interface Sql {
  readonly sql: string;
  readonly params: unknown[];
}

/** The installation with the license it is served and its entitlement: the columns of InstallationRow (rows.ts). */
export const INSTALLATION_ROW_FROM = `
  FROM installations i
  LEFT JOIN licenses l ON l.serial = i.serial AND l.seq = i.current_seq
  LEFT JOIN entitlements e ON e.serial = i.serial`;
export const INSTALLATION_ROW_COLUMNS = `i.*, l.id AS l_id, l.license_id AS l_license_id, l.seq AS l_seq, l.kid AS l_kid,
  l.issued_at AS l_issued_at, l.armoured AS l_armoured, l.fetched_at AS l_fetched_at`;

const ORDER: Readonly<Record<InstallationListQuery['sort'], (dir: string) => string>> = {
  serial: (d) => `i.serial ${d}`,
  product: (d) => `i.product ${d}, i.serial`,
  organisation: (d) => `i.organisation_id ${d}, i.serial`,
  // Missing values last in either direction (the same expression in both dialects).
  contact: (d) => `(i.last_contact_at IS NULL), i.last_contact_at ${d}, i.serial`,
  seq: (d) => `(i.current_seq IS NULL), i.current_seq ${d}, i.serial`,
  pending: (d) => `(i.pending_kind IS NULL), i.pending_kind ${d}, i.serial`,
  expiry: (d) => `(e.expiry IS NULL), e.expiry ${d}, i.serial`,
  maintenance: (d) => `(e.maintenance_end IS NULL), e.maintenance_end ${d}, i.serial`,
};

/**
 * The list's two queries (count and page) with `?` placeholders, for both dialects: PostgreSQL
 * numbers the placeholders and matches case-insensitively with ILIKE (SQLite's LIKE already is for
 * ASCII). "Connected" is CONNECTED_WITHIN_MS (the rule of the website); the warning is the console's
 * 30 days (licenseState) on the entitlement's dates.
 */
export function installationListSql(q: InstallationListQuery, like: 'LIKE' | 'ILIKE'): { count: Sql; page: Sql } {
  const where: string[] = [];
  const params: unknown[] = [];
  if (q.organisationId !== undefined) {
    where.push('i.organisation_id = ?');
    params.push(q.organisationId);
  }
  if (q.q) {
    const pattern = `%${q.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    where.push(`(i.serial ${like} ? ESCAPE '\\' OR i.hostname ${like} ? ESCAPE '\\' OR i.product ${like} ? ESCAPE '\\' OR i.organisation_id ${like} ? ESCAPE '\\')`);
    params.push(pattern, pattern, pattern, pattern);
  }
  const cutoff = new Date(q.now - CONNECTED_WITHIN_MS).toISOString();
  switch (q.status) {
    case 'connected':
      where.push('i.last_contact_at >= ?');
      params.push(cutoff);
      break;
    case 'disconnected':
      where.push('(i.last_contact_at IS NULL OR i.last_contact_at < ?)');
      params.push(cutoff);
      break;
    case 'pending':
      where.push('i.pending_kind IS NOT NULL');
      break;
    case 'warning': {
      const soon = addDays(toCalendarDate(q.now), WARNING_DAYS);
      where.push("((e.expiry <> 'perpetual' AND e.expiry < ?) OR e.maintenance_end < ?)");
      params.push(soon, soon);
      break;
    }
    case undefined:
      break;
  }
  const filter = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const dir = q.order === 'desc' ? 'DESC' : 'ASC';
  return {
    count: { sql: `SELECT COUNT(*) AS n ${INSTALLATION_ROW_FROM} ${filter}`, params: [...params] },
    page: { sql: `SELECT ${INSTALLATION_ROW_COLUMNS} ${INSTALLATION_ROW_FROM} ${filter} ORDER BY ${ORDER[q.sort](dir)} LIMIT ? OFFSET ?`, params: [...params, q.limit, q.offset] },
  };
}

/** `?` → `$1, $2, …` for node-postgres (the list's SQL never has a literal question mark). */
export function numbered(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}
