import type { Locale } from '../i18n.js';
import { messages } from '../messages/index.js';
import type { EntitlementChange } from './compare.js';
import type { LicenseState } from './validity.js';

function code(c: EntitlementChange): { code: string; params: Record<string, string | number> } {
  switch (c.kind) {
    case 'users':
      return c.to > c.from ? { code: 'license.diff.users-more', params: { n: c.to - c.from, to: c.to } } : { code: 'license.diff.users-fewer', params: { n: c.from - c.to, to: c.to } };
    case 'maintenance-end':
      return { code: 'license.diff.maintenance-end', params: { from: c.from, to: c.to } };
    case 'maintenance-start':
      return { code: 'license.diff.maintenance-start', params: { from: c.from, to: c.to } };
    case 'expiry':
      if (c.to === 'perpetual') return { code: 'license.diff.expiry-perpetual', params: { from: c.from } };
      if (c.from === 'perpetual') return { code: 'license.diff.expiry-limited', params: { to: c.to } };
      return { code: 'license.diff.expiry', params: { from: c.from, to: c.to } };
    case 'grace-days':
      return { code: 'license.diff.grace-days', params: { from: c.from, to: c.to } };
    case 'product':
      return { code: 'license.diff.product', params: { from: c.from, to: c.to } };
    case 'feature-added':
      return { code: 'license.diff.feature-added', params: { id: c.id } };
    case 'feature-removed':
      return { code: 'license.diff.feature-removed', params: { id: c.id } };
    case 'feature-count':
      return { code: 'license.diff.feature-count', params: { id: c.id, from: String(c.from), to: String(c.to) } };
    case 'feature-expiry':
      return { code: 'license.diff.feature-expiry', params: { id: c.id, from: c.from, to: c.to } };
  }
}

/** "maintenance until 2027-06-30 (was 2026-06-30); +2 users; new feature X" */
export function describeChanges(locale: Locale, changes: readonly EntitlementChange[]): string {
  if (changes.length === 0) return messages.format(locale, 'license.diff.none');
  return changes.map((c) => {
    const m = code(c);
    return messages.format(locale, m.code, m.params);
  }).join('; ');
}

export function describeState(locale: Locale, s: LicenseState): string {
  if (s.kind === 'invalid') return messages.format(locale, 'license.state.invalid', { reason: messages.format(locale, s.code, s.params) });
  const { kind, ...params } = s;
  return messages.format(locale, `license.state.${kind}`, params as Record<string, string | number>);
}
