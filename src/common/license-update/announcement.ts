import type { NotificationAction, Severity } from '../console-protocol.js';
import type { Message } from '../errors.js';
import type { EntitlementChange } from '../license/compare.js';
import { changesMessage } from '../license/describe.js';
import type { UpdateEvent, UpdateState } from '../remote-service/model.js';

export type UpdateEventKind = UpdateEvent['kind'];

/** Commands behind the announcement's buttons (manifest `contributes.commands`). */
export const CONFIRM_COMMAND = 'licenses.confirmUpdate';
export const RETRY_COMMAND = 'licenses.retryUpdate';
export const DECLINE_COMMAND = 'licenses.declineUpdate';
export const CHECK_NOW_COMMAND = 'licenses.checkNow';

/** The node every announcement concerns (SPEC F5: "announced … on the Licenses node"). */
export const LICENSES_NODE = 'licenses';

export function severityOf(kind: UpdateEventKind): Severity {
  switch (kind) {
    case 'installed':
    case 'declined':
      return 'info';
    case 'awaiting-confirmation':
    case 'manual-pending':
      return 'warning';
    case 'rejected':
    case 'failed':
      return 'error';
  }
}

/** The headline: what happened and the entitlement diff ("… 2 more users; new feature X"). */
export function announcementMessage(e: UpdateEvent): Message {
  const params = { serial: e.serial, changes: changesMessage(e.changes) };
  if (e.kind === 'rejected' || e.kind === 'failed') return { code: `license-update.${e.kind}`, params: { ...params, reason: e.error ?? { code: 'license-update.no-reason' } } };
  return { code: `license-update.${e.kind}`, params };
}

/** The exact manual steps for a license kept in the license path: copy FILE to TARGET, then install it there. */
export function manualSteps(e: Pick<UpdateEvent, 'file' | 'target'>): Message {
  const file = e.file ?? '?';
  return e.target ? { code: 'license-update.steps', params: { file, target: e.target } } : { code: 'license-update.steps-no-target', params: { file } };
}

/** The manual-steps block of a license kept in the license path: why the automatic install failed, then the steps in order. */
export function manualStepsList(e: Pick<UpdateEvent, 'file' | 'target' | 'error'>): { readonly reason: Message; readonly steps: readonly Message[] } {
  const file = e.file ?? '?';
  return {
    reason: { code: 'license-update.manual-reason', params: { reason: e.error ?? { code: 'license-update.no-reason' } } },
    steps: [
      e.target ? { code: 'license-update.step.copy', params: { file, target: e.target } } : { code: 'license-update.step.copy-no-target', params: { file } },
      { code: 'license-update.step.install' },
      { code: 'license-update.step.retry' },
    ],
  };
}

/**
 * What the update status says: what waits for the administrator comes first — never "waiting for
 * a new license" while a license waits for a decision or a manual install.
 */
export function updateStatusMessage(u: Pick<UpdateState, 'phase' | 'pending'>): Message {
  const confirm = u.pending.filter((p) => p.kind === 'awaiting-confirmation').length;
  if (confirm) return { code: 'license-update.phase.waiting-for-you', params: { n: confirm } };
  if (u.pending.some((p) => p.kind === 'manual-pending')) return { code: 'license-update.phase.manual' };
  return { code: `license-update.phase.${u.phase}` };
}

/** The second line: what to do next, where there is something to do. */
export function announcementDetail(e: UpdateEvent): Message | undefined {
  switch (e.kind) {
    case 'manual-pending':
      return manualSteps(e);
    case 'awaiting-confirmation':
      return e.file ? { code: 'license-update.detail.confirm', params: { file: e.file } } : { code: 'license-update.detail.confirm-no-file' };
    default:
      return undefined;
  }
}

/** The buttons of an announcement: [Install anyway] / [Keep current license] or [Retry] where the license waits, always [Licenses…]. */
export function announcementActions(e: UpdateEvent): NotificationAction[] {
  const out: NotificationAction[] = [];
  if (e.kind === 'awaiting-confirmation') {
    out.push({ id: 'confirm', title: { code: 'license-update.action.confirm' }, command: CONFIRM_COMMAND, args: [e.licenseId] });
    out.push({ id: 'decline', title: { code: 'license-update.action.decline' }, command: DECLINE_COMMAND, args: [e.licenseId] });
  }
  if (e.kind === 'manual-pending') out.push({ id: 'retry', title: { code: 'license-update.action.retry' }, command: RETRY_COMMAND, args: [e.licenseId] });
  out.push({ id: 'open', title: { code: 'license-update.action.open' }, command: 'licenses.properties' });
  return out;
}

/** Audit action of an announced event: 'license.installed', 'license.awaiting-confirmation', … */
export function auditActionOf(kind: UpdateEventKind): string {
  return `license.${kind}`;
}

export type AuditChange = { key: string; from?: unknown; to?: unknown };

/** The entitlement diff as audit-log changes (key, from, to). */
export function auditChangesOf(changes: readonly EntitlementChange[]): AuditChange[] {
  return changes.map((c): AuditChange => {
    switch (c.kind) {
      case 'users':
      case 'expiry':
      case 'grace-days':
      case 'product':
        return { key: c.kind, from: c.from, to: c.to };
      case 'maintenance-end':
        return { key: 'maintenance.end', from: c.from, to: c.to };
      case 'maintenance-start':
        return { key: 'maintenance.start', from: c.from, to: c.to };
      case 'feature-added':
        return { key: `features.${c.id}`, to: 'added' };
      case 'feature-removed':
        return { key: `features.${c.id}`, from: 'present', to: 'removed' };
      case 'feature-count':
        return { key: `features.${c.id}.count`, from: c.from, to: c.to };
      case 'feature-expiry':
        return { key: `features.${c.id}.expiry`, from: c.from, to: c.to };
    }
  });
}
