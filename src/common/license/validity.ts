import type { MessageParams } from '../errors.js';
import { CodedError } from '../errors.js';
import type { LicensePayload } from './model.js';
import { addDays, daysUntil, endOfDay, startOfDay } from './dates.js';

/** Clocks of customer machines drift; a license issued a few minutes "in the future" is still fine. */
export const DEFAULT_CLOCK_DRIFT_MS = 5 * 60_000;
export const WARNING_DAYS = 30;

export interface ValidityOptions {
  /** Now, in ms since the epoch. */
  readonly now: number;
  /** The serial number this installation has; unchecked when absent. */
  readonly serial?: string;
  readonly clockDriftMs?: number;
}

/** Last day (inclusive) on which the license still works, including grace days; undefined when perpetual. */
export function lastUsableDay(p: LicensePayload): string | undefined {
  return p.expiry === 'perpetual' ? undefined : addDays(p.expiry, p.graceDays);
}

/**
 * The semantic checks of a signature-checked payload: serial, issued-at / not-before (with clock
 * drift), expiry (with grace days). Throws the first failing check as a CodedError.
 */
export function assertLicenseValid(p: LicensePayload, options: ValidityOptions): void {
  const drift = options.clockDriftMs ?? DEFAULT_CLOCK_DRIFT_MS;
  if (options.serial !== undefined && p.serial !== options.serial) {
    throw new CodedError('license.wrong-serial', { expected: options.serial, actual: p.serial });
  }
  if (Date.parse(p.issuedAt) > options.now + drift) throw new CodedError('license.issued-in-future', { issuedAt: p.issuedAt });
  if (Date.parse(p.notBefore) > options.now + drift) throw new CodedError('license.not-yet-valid', { notBefore: p.notBefore });
  const last = lastUsableDay(p);
  if (last !== undefined && options.now >= endOfDay(last)) throw new CodedError('license.expired', { expiry: p.expiry });
}

export function licenseError(p: LicensePayload, options: ValidityOptions): CodedError | undefined {
  try {
    assertLicenseValid(p, options);
    return undefined;
  } catch (e) {
    if (e instanceof CodedError) return e;
    throw e;
  }
}

/** What the Licenses dialog, the result pane and the F7 warnings show. */
export type LicenseState =
  | { readonly kind: 'valid' }
  | { readonly kind: 'expires-soon'; readonly expiry: string; readonly days: number }
  | { readonly kind: 'in-grace'; readonly expiry: string; readonly graceUntil: string }
  | { readonly kind: 'expired'; readonly expiry: string }
  | { readonly kind: 'maintenance-ends-soon'; readonly end: string; readonly days: number }
  | { readonly kind: 'maintenance-ended'; readonly end: string }
  | { readonly kind: 'none' }
  | { readonly kind: 'invalid'; readonly code: string; readonly params: MessageParams };

/** The one state to display, the most serious first: invalid, expired, in grace, expiring, maintenance. */
export function licenseState(p: LicensePayload | undefined, options: ValidityOptions): LicenseState {
  if (!p) return { kind: 'none' };
  const error = licenseError(p, options);
  if (error?.code === 'license.expired') return { kind: 'expired', expiry: p.expiry };
  if (error) return { kind: 'invalid', code: error.code, params: error.params };
  if (p.expiry !== 'perpetual') {
    if (options.now >= endOfDay(p.expiry)) return { kind: 'in-grace', expiry: p.expiry, graceUntil: lastUsableDay(p)! };
    const days = daysUntil(p.expiry, options.now);
    if (days < WARNING_DAYS) return { kind: 'expires-soon', expiry: p.expiry, days };
  }
  if (options.now >= endOfDay(p.maintenance.end)) return { kind: 'maintenance-ended', end: p.maintenance.end };
  const days = daysUntil(p.maintenance.end, options.now);
  if (days < WARNING_DAYS) return { kind: 'maintenance-ends-soon', end: p.maintenance.end, days };
  return { kind: 'valid' };
}

export type ReleaseDecision = { readonly allowed: true; readonly start: string; readonly end: string } | { readonly allowed: false; readonly reason: CodedError };

/**
 * SPEC F6: may a release published on `releaseDate` (YYYY-MM-DD) be installed? Only when the license
 * is valid for this serial now and its maintenance period covers the release date (both ends inclusive).
 */
export function mayInstallRelease(p: LicensePayload, releaseDate: string, options: ValidityOptions): ReleaseDecision {
  const error = licenseError(p, options);
  if (error) return { allowed: false, reason: error };
  const { start, end } = p.maintenance;
  const at = startOfDay(releaseDate);
  if (at < startOfDay(start) || at >= endOfDay(end)) {
    return { allowed: false, reason: new CodedError('license.release-outside-maintenance', { releaseDate, start, end }) };
  }
  return { allowed: true, start, end };
}
