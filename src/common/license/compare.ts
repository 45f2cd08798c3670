import type { LicenseFeature, LicensePayload } from './model.js';

/** One difference in entitlement between two licenses; `worse` when it takes something away. */
export type EntitlementChange =
  | { readonly kind: 'users'; readonly from: number; readonly to: number; readonly worse: boolean }
  | { readonly kind: 'expiry'; readonly from: string; readonly to: string; readonly worse: boolean }
  | { readonly kind: 'maintenance-end'; readonly from: string; readonly to: string; readonly worse: boolean }
  | { readonly kind: 'maintenance-start'; readonly from: string; readonly to: string; readonly worse: boolean }
  | { readonly kind: 'grace-days'; readonly from: number; readonly to: number; readonly worse: boolean }
  | { readonly kind: 'product'; readonly from: string; readonly to: string; readonly worse: true }
  | { readonly kind: 'feature-added'; readonly id: string; readonly worse: false }
  | { readonly kind: 'feature-removed'; readonly id: string; readonly worse: true }
  | { readonly kind: 'feature-count'; readonly id: string; readonly from: number | 'unlimited'; readonly to: number | 'unlimited'; readonly worse: boolean }
  | { readonly kind: 'feature-expiry'; readonly id: string; readonly from: string; readonly to: string; readonly worse: boolean };

/** Orders dates where 'perpetual'/'none' means "never ends". */
function laterEnd(a: string, b: string): number {
  const v = (s: string) => (s === 'perpetual' || s === 'none' ? '9999-99-99' : s);
  return v(a) < v(b) ? -1 : v(a) > v(b) ? 1 : 0;
}

function featureChanges(before: readonly LicenseFeature[], after: readonly LicenseFeature[]): EntitlementChange[] {
  const old = new Map(before.map((f) => [f.id, f]));
  const now = new Map(after.map((f) => [f.id, f]));
  const out: EntitlementChange[] = [];
  for (const f of after) {
    const o = old.get(f.id);
    if (!o) {
      out.push({ kind: 'feature-added', id: f.id, worse: false });
      continue;
    }
    const from = o.count ?? 'unlimited';
    const to = f.count ?? 'unlimited';
    if (from !== to) {
      const worse = to !== 'unlimited' && (from === 'unlimited' || to < from);
      out.push({ kind: 'feature-count', id: f.id, from, to, worse });
    }
    const fe = o.expiry ?? 'none';
    const te = f.expiry ?? 'none';
    if (fe !== te) out.push({ kind: 'feature-expiry', id: f.id, from: fe, to: te, worse: laterEnd(te, fe) < 0 });
  }
  for (const f of before) if (!now.has(f.id)) out.push({ kind: 'feature-removed', id: f.id, worse: true });
  return out;
}

/** Every entitlement difference from `before` to `after`, in display order. */
export function entitlementChanges(before: LicensePayload, after: LicensePayload): EntitlementChange[] {
  const out: EntitlementChange[] = [];
  if (before.product !== after.product) out.push({ kind: 'product', from: before.product, to: after.product, worse: true });
  if (before.maintenance.end !== after.maintenance.end) {
    out.push({ kind: 'maintenance-end', from: before.maintenance.end, to: after.maintenance.end, worse: after.maintenance.end < before.maintenance.end });
  }
  if (before.maintenance.start !== after.maintenance.start) {
    // A later start no longer covers releases the old period covered.
    out.push({ kind: 'maintenance-start', from: before.maintenance.start, to: after.maintenance.start, worse: after.maintenance.start > before.maintenance.start });
  }
  if (before.users !== after.users) out.push({ kind: 'users', from: before.users, to: after.users, worse: after.users < before.users });
  if (before.expiry !== after.expiry) out.push({ kind: 'expiry', from: before.expiry, to: after.expiry, worse: laterEnd(after.expiry, before.expiry) < 0 });
  out.push(...featureChanges(before.features, after.features));
  if (before.graceDays !== after.graceDays) out.push({ kind: 'grace-days', from: before.graceDays, to: after.graceDays, worse: after.graceDays < before.graceDays });
  return out;
}

/** What `after` takes away compared with `before`; empty when it is "not worse". */
export function losses(before: LicensePayload, after: LicensePayload): EntitlementChange[] {
  return entitlementChanges(before, after).filter((c) => c.worse);
}

export function isNotWorse(before: LicensePayload, after: LicensePayload): boolean {
  return losses(before, after).length === 0;
}

/** Newer first: `seq` is monotonic per serial. */
export function compareBySeq(a: LicensePayload, b: LicensePayload): number {
  return b.seq - a.seq;
}

export function isNewer(candidate: LicensePayload, installed: LicensePayload): boolean {
  return candidate.seq > installed.seq;
}
