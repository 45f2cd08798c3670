/**
 * What the website shows of an installation, derived from the API's facts with the product's own
 * rules: connected now (staff-api), the license state and its badge (the console's rule), what waits
 * there, and a request's state at this moment (expiry derived, not stored).
 */
import type { BadgeKind } from '../common/console-protocol.js';
import { assistanceStateAt, type AssistanceRequest, type AssistanceState } from '../common/backoffice/assistance.js';
import { isConnected, type InstallationSummary, type IssuedLicense } from '../common/backoffice/staff-api.js';
import type { Message } from '../common/errors.js';
import { stateBadge, stateMessage } from '../common/license/describe.js';
import { licenseState } from '../common/license/validity.js';

export function connectionOf(s: Pick<InstallationSummary, 'lastContactAt'>, now: number): { connected: boolean; text: Message } {
  if (isConnected(s.lastContactAt, now)) return { connected: true, text: { code: 'website.connection.connected' } };
  return { connected: false, text: s.lastContactAt ? { code: 'website.connection.last-seen', params: { at: s.lastContactAt } } : { code: 'website.connection.never' } };
}

/** The served license's state (expiry and maintenance warnings) as the customer's console shows it. */
export function licenseStateOf(served: IssuedLicense | null, now: number): { text: Message; badge: BadgeKind } {
  if (!served) return { text: { code: 'website.license.none' }, badge: 'info' };
  const s = licenseState(served.payload, { now });
  return { text: stateMessage(s), badge: stateBadge(s) };
}

export function pendingOf(s: Pick<InstallationSummary, 'pending'>): { text: Message; badge: BadgeKind } | undefined {
  const p = s.pending;
  if (!p) return undefined;
  const reason = p.reason ? { code: p.reason } : { code: 'license-update.no-reason' };
  switch (p.kind) {
    case 'awaiting-confirmation':
      return { text: { code: 'website.pending.awaiting-confirmation', params: { seq: p.seq } }, badge: 'warning' };
    case 'manual-pending':
      return { text: { code: 'website.pending.manual-pending', params: { seq: p.seq, reason } }, badge: 'warning' };
    case 'declined':
      return { text: { code: 'website.pending.declined', params: { seq: p.seq } }, badge: 'info' };
    case 'failed':
      return { text: { code: 'website.pending.failed', params: { seq: p.seq, reason } }, badge: 'error' };
  }
}

export function assistanceBadge(state: AssistanceState): BadgeKind {
  switch (state) {
    case 'requested':
    case 'delivered':
      return 'info';
    case 'started':
    case 'ended':
      return 'ok';
    case 'declined':
    case 'cancelled':
    case 'expired':
      return 'warning';
    case 'not-allowed':
    case 'failed':
      return 'error';
  }
}

/** A request's state now, and why it did not happen where there is a reason. */
export function assistanceOf(r: AssistanceRequest, now: number): { state: AssistanceState; text: Message; reason?: Message } {
  const state = assistanceStateAt(r, now);
  const text = { code: `backoffice.assistance.state.${state}` };
  if (state === 'not-allowed') return { state, text, reason: { code: `website.refusal.${r.reason ?? 'not-allowed'}` } };
  if (state === 'failed') return { state, text, reason: { code: 'website.assistance.failed', params: { reason: { code: r.reason ?? 'license-update.no-reason' } } } };
  return { state, text };
}
