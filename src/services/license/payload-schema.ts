import { Ajv, type ErrorObject } from 'ajv';
import { CodedError } from '../../common/errors.js';
import type { LicensePayload } from '../../common/license/model.js';
import { licensePayloadSchema } from '../../common/license/schema.js';
import { isCalendarDate, isTimestamp } from '../../common/license/dates.js';

const ajv = new Ajv({ allErrors: false, strict: true });
const check = ajv.compile<LicensePayload>(licensePayloadSchema);

function fieldOf(e: ErrorObject): string {
  const base = e.instancePath.replace(/^\//, '').replace(/\//g, '.');
  const missing = e.keyword === 'required' ? String((e.params as { missingProperty?: string }).missingProperty ?? '') : '';
  const extra = e.keyword === 'additionalProperties' ? String((e.params as { additionalProperty?: string }).additionalProperty ?? '') : '';
  return [base, missing || extra].filter(Boolean).join('.') || 'payload';
}

/** Checks the shape of a (signature-checked) payload; names the field that is wrong. */
export function validatePayloadShape(value: unknown): LicensePayload {
  if (!check(value)) {
    const e = check.errors?.[0];
    throw new CodedError('license.payload-invalid', { field: e ? fieldOf(e) : 'payload', reason: e?.message ?? 'invalid' });
  }
  const p = value;
  const dates: [string, string][] = [
    ['maintenance.start', p.maintenance.start],
    ['maintenance.end', p.maintenance.end],
    ...(p.expiry === 'perpetual' ? [] : ([['expiry', p.expiry]] as [string, string][])),
    ...p.features.flatMap((f, i) => (f.expiry === undefined ? [] : ([[`features.${i}.expiry`, f.expiry]] as [string, string][]))),
  ];
  for (const [field, d] of dates) {
    if (!isCalendarDate(d)) throw new CodedError('license.payload-invalid', { field, reason: 'not a calendar date' });
  }
  for (const [field, t] of [['issuedAt', p.issuedAt], ['notBefore', p.notBefore]] as const) {
    if (!isTimestamp(t)) throw new CodedError('license.payload-invalid', { field, reason: 'not an ISO timestamp' });
  }
  if (p.maintenance.end < p.maintenance.start) {
    throw new CodedError('license.payload-invalid', { field: 'maintenance.end', reason: 'before maintenance.start' });
  }
  return p;
}
