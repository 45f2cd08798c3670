import type { BadgeKind } from '../console-protocol.js';
import type { Message } from '../errors.js';
import type { EntitlementChange } from './compare.js';
import type { LicenseState } from './validity.js';

/** One change of the entitlement as a message ("2 more users", "maintenance until …"). */
export function changeMessage(c: EntitlementChange): Message {
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

/** The entitlement diff: "maintenance until …; 2 more users; new feature X" (a list the catalogue joins). */
export function changesMessage(changes: readonly EntitlementChange[]): Message | readonly Message[] {
  return changes.length === 0 ? { code: 'license.diff.none' } : changes.map(changeMessage);
}

/** A license's state as a message (valid / expires on … (in 17 days) / invalid file: …). */
export function stateMessage(s: LicenseState): Message {
  if (s.kind === 'invalid') return { code: 'license.state.invalid', params: { reason: { code: s.code, params: s.params } } };
  const { kind, ...params } = s;
  return { code: `license.state.${kind}`, params: params as Message['params'] };
}

/** How serious a license state is: the one rule behind the result pane's badge and the dialog's colour. */
export function stateBadge(s: LicenseState): BadgeKind {
  switch (s.kind) {
    case 'valid':
      return 'ok';
    case 'expires-soon':
    case 'maintenance-ends-soon':
    case 'maintenance-ended':
      return 'warning';
    default:
      return 'error';
  }
}
