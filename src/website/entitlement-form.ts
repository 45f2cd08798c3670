import type { EntitlementEdit } from '../common/backoffice/staff-api.js';
import type { ErrorInfo } from '../common/errors.js';
import { isCalendarDate } from '../common/license/dates.js';
import type { LicenseFeature } from '../common/license/model.js';
import type { InstallationDetail } from '../common/backoffice/staff-api.js';

/** Largest user or feature count (the license schema's limit). */
export const MAX_COUNT = 1_000_000;
/** A feature ID as the license schema takes it. */
export const FEATURE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** The entitlement form as typed (strings, so an empty field stays empty rather than becoming 0). */
export interface EntitlementForm {
  users: string;
  maintenanceStart: string;
  maintenanceEnd: string;
  expiry: string;
  perpetual: boolean;
  features: { id: string; count: string; expiry: string }[];
  newFeature: string;
}

export function formOf(d: InstallationDetail): EntitlementForm {
  const e = d.entitlement;
  return {
    users: String(e?.users ?? 1),
    maintenanceStart: e?.maintenance.start ?? '',
    maintenanceEnd: e?.maintenance.end ?? '',
    expiry: e && e.expiry !== 'perpetual' ? e.expiry : '',
    perpetual: !e || e.expiry === 'perpetual',
    features: (e?.features ?? []).map((f) => ({ id: f.id, count: f.count !== undefined ? String(f.count) : '', expiry: f.expiry ?? '' })),
    newFeature: '',
  };
}

/** The form as the API takes it (only called once formProblem found nothing). */
export function editOf(f: EntitlementForm): EntitlementEdit {
  const features: LicenseFeature[] = f.features.map((x) => ({ id: x.id, ...(x.count.trim() ? { count: Number(x.count) } : {}), ...(x.expiry ? { expiry: x.expiry } : {}) }));
  return { users: Number(f.users), maintenanceStart: f.maintenanceStart, maintenanceEnd: f.maintenanceEnd, expiry: f.perpetual ? 'perpetual' : f.expiry, features };
}

const problem = (field: string, rule: string, params: Record<string, string | number> = {}): ErrorInfo => ({ code: `backoffice.field.${rule}`, field, params: { field, ...params } });

function countProblem(field: string, v: string, required: boolean): ErrorInfo | undefined {
  const s = v.trim();
  if (!s) return required ? problem(field, 'required') : undefined;
  if (!/^\d{1,7}$/.test(s)) return problem(field, 'integer');
  if (Number(s) > MAX_COUNT) return problem(field, 'maximum', { limit: MAX_COUNT });
  return undefined;
}

function dateProblem(field: string, v: string): ErrorInfo | undefined {
  if (!v) return problem(field, 'required');
  return isCalendarDate(v) ? undefined : problem(field, 'date');
}

/**
 * The first field of the form that the back office would refuse, with the back office's own coded
 * message (backoffice.field.*): checked at the edge, so nothing wrong is sent and the message names
 * the field by its label (see labelled) in the page's language.
 */
export function formProblem(f: EntitlementForm): ErrorInfo | undefined {
  return (
    countProblem('users', f.users, true) ??
    dateProblem('maintenanceStart', f.maintenanceStart) ??
    dateProblem('maintenanceEnd', f.maintenanceEnd) ??
    (f.maintenanceEnd < f.maintenanceStart ? problem('maintenanceEnd', 'maintenance-order') : undefined) ??
    (f.perpetual ? undefined : dateProblem('expiry', f.expiry)) ??
    f.features.map((x, i) => countProblem(`features.${i}.count`, x.count, false)).find(Boolean)
  );
}

/** Why a feature ID typed into "New feature" cannot be added (its form, or listed already). */
export function newFeatureProblem(id: string, features: readonly { id: string }[]): ErrorInfo | undefined {
  const s = id.trim();
  if (!s) return problem('newFeature', 'blank');
  if (!FEATURE_ID.test(s)) return problem('newFeature', 'identifier');
  if (features.some((x) => x.id === s)) return problem('newFeature', 'feature-twice');
  return undefined;
}

/** The error with its field named by the label the user sees (a field the page has no label for keeps its name). */
export function labelled(e: ErrorInfo, labelOf: (field: string) => string | undefined): ErrorInfo {
  const field = e.field ?? (typeof e.params?.['field'] === 'string' ? e.params['field'] : undefined);
  const label = field !== undefined ? labelOf(field) : undefined;
  return label === undefined ? e : { ...e, params: { ...e.params, field: label } };
}
