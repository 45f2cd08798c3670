import type { PendingKind } from '../../common/backoffice/staff-api.js';
import { losses } from '../../common/license/compare.js';
import type { LicensePayload } from '../../common/license/model.js';
import { dearmour, decodeBase64Strict } from '../../services/license/armour.js';

/** The payload of a license this back office issued (its own signature needs no check here). */
export function payloadOf(armoured: string): LicensePayload {
  const envelope = JSON.parse(decodeBase64Strict(dearmour(armoured), 'license').toString('utf8')) as { payload: string };
  return JSON.parse(decodeBase64Strict(envelope.payload, 'payload').toString('utf8')) as LicensePayload;
}

/** What the back office knows about an installation's newest license, gathered in the writing transaction. */
export interface StatusFacts {
  /** The newest license issued (the one served). */
  readonly current?: { readonly licenseId: string; readonly seq: number; readonly armoured: string; readonly fetchedAt: string | null };
  /** The one issued before it, when the installation never reported an install. */
  readonly previous?: { readonly armoured: string };
  /** The newest license the installation reported installed (installed or copied-remote). */
  readonly installed?: { readonly licenseId: string; readonly seq: number; readonly armoured: string };
  /** The newest receipt for the current license. */
  readonly receipt?: { readonly kind: string; readonly reason: string | null };
}

export interface InstallationStatus {
  readonly currentLicenseId: string | null;
  readonly currentSeq: number | null;
  readonly installedLicenseId: string | null;
  readonly installedSeq: number | null;
  readonly pendingKind: PendingKind | null;
  readonly pendingReason: string | null;
}

/**
 * What waits at the installation, the rule both adapters store beside it (so 10,000 rows filter and
 * sort in SQL): nothing once the served license is installed; else the receipt's manual-pending,
 * declined or failed; else, once fetched, a license that takes something away from the one the
 * installation has (its last reported install, else the license before) waits for confirmation —
 * the same loss rule the ORS service applies (common/license/compare).
 */
export function statusOf(f: StatusFacts): InstallationStatus {
  const installed = { installedLicenseId: f.installed?.licenseId ?? null, installedSeq: f.installed?.seq ?? null };
  const none = { pendingKind: null, pendingReason: null };
  const c = f.current;
  if (!c) return { currentLicenseId: null, currentSeq: null, ...installed, ...none };
  const current = { currentLicenseId: c.licenseId, currentSeq: c.seq, ...installed };
  if (f.installed && f.installed.seq >= c.seq) return { ...current, ...none };
  const r = f.receipt;
  if (r && (r.kind === 'manual-pending' || r.kind === 'declined' || r.kind === 'failed')) return { ...current, pendingKind: r.kind, pendingReason: r.reason };
  const base = f.installed?.armoured ?? f.previous?.armoured;
  if (c.fetchedAt && base && losses(payloadOf(base), payloadOf(c.armoured)).length > 0) {
    return { ...current, pendingKind: 'awaiting-confirmation', pendingReason: null };
  }
  return { ...current, ...none };
}
