import type { NotificationAction, Severity } from '../console-protocol.js';
import type { Locale } from '../i18n.js';
import type { EntitlementChange } from '../license/compare.js';
import { describeChanges } from '../license/describe.js';
import type { UpdateEvent } from '../remote-service/model.js';
import { licenseUpdateError, licenseUpdateText } from './text.js';

export type UpdateEventKind = UpdateEvent['kind'];

/** Commands behind the announcement's buttons (manifest `contributes.commands`). */
export const CONFIRM_COMMAND = 'licenses.confirmUpdate';
export const RETRY_COMMAND = 'licenses.retryUpdate';
export const CHECK_NOW_COMMAND = 'licenses.checkNow';

/** The node every announcement concerns (SPEC F5: "announced … on the Licenses node"). */
export const LICENSES_NODE = 'licenses';

export function severityOf(kind: UpdateEventKind): Severity {
  switch (kind) {
    case 'installed':
      return 'info';
    case 'awaiting-confirmation':
    case 'manual-pending':
      return 'warning';
    case 'rejected':
    case 'failed':
      return 'error';
  }
}

/** The headline: what happened and the entitlement diff ("… +2 users; new feature X"). */
export function announcementMessage(locale: Locale, e: UpdateEvent): string {
  const params = { serial: e.serial, changes: describeChanges(locale, e.changes) };
  if (e.kind === 'rejected' || e.kind === 'failed') {
    const reason = e.error ? licenseUpdateError(locale, e.error) : licenseUpdateText(locale, 'license-update.no-reason');
    return licenseUpdateText(locale, `license-update.${e.kind}`, { ...params, reason: /[.!?]$/.test(reason) ? reason : `${reason}.` });
  }
  return licenseUpdateText(locale, `license-update.${e.kind}`, params);
}

/** The exact manual steps for a license kept in the license path: copy FILE to TARGET, then install it there. */
export function manualSteps(locale: Locale, e: Pick<UpdateEvent, 'file' | 'target'>): string {
  const file = e.file ?? '?';
  return e.target ? licenseUpdateText(locale, 'license-update.steps', { file, target: e.target }) : licenseUpdateText(locale, 'license-update.steps-no-target', { file });
}

/** The second line: what to do next, where there is something to do. */
export function announcementDetail(locale: Locale, e: UpdateEvent): string | undefined {
  switch (e.kind) {
    case 'manual-pending':
      return manualSteps(locale, e);
    case 'awaiting-confirmation':
      return e.file ? licenseUpdateText(locale, 'license-update.detail.confirm', { file: e.file }) : licenseUpdateText(locale, 'license-update.detail.confirm-no-file');
    default:
      return undefined;
  }
}

/** The buttons of an announcement: [Install anyway] or [Retry] where the license waits, always [Licenses…]. */
export function announcementActions(e: UpdateEvent): NotificationAction[] {
  const both = (code: string) => ({ en: licenseUpdateText('en', code), de: licenseUpdateText('de', code) });
  const out: NotificationAction[] = [];
  if (e.kind === 'awaiting-confirmation') out.push({ id: 'confirm', title: both('license-update.action.confirm'), command: CONFIRM_COMMAND, args: [e.licenseId] });
  if (e.kind === 'manual-pending') out.push({ id: 'retry', title: both('license-update.action.retry'), command: RETRY_COMMAND, args: [e.licenseId] });
  out.push({ id: 'open', title: both('license-update.action.open'), command: 'licenses.properties' });
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
