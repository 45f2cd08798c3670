import { msg, str } from '@lit/localize';
import type { AuditChangeRow, AuditRow, TreeNodeInfo } from '../../common/console-protocol.js';
import { formatDateTime } from '../../common/format/formatter.js';
import { hasMessage, t, text, uiLocale } from '../../elements/l10n.js';

/** One line of the audit view and of its CSV export, in the UI language. */
export interface AuditLine {
  readonly time: string;
  readonly when: string;
  readonly who: string;
  readonly node: string;
  readonly nodeId?: string;
  readonly what: string;
  readonly from: string;
  readonly to: string;
}

function actorLabel(actor: string): string {
  switch (actor) {
    case 'console':
      return msg('Console', { id: 'audit.actor.console' });
    case 'ors-service':
      return msg('ORS service', { id: 'audit.actor.ors-service' });
    case 'cli':
      return msg('Command line', { id: 'audit.actor.cli' });
    default:
      return msg('System', { id: 'audit.actor.system' });
  }
}

/** Who: the OS user and the console session, or the service that acted on its own. */
function whoOf(r: AuditRow): string {
  const by = r.user ? `${r.user} (${actorLabel(r.actor)})` : actorLabel(r.actor);
  return r.session ? msg(str`${by}, session ${r.session}`, { id: 'audit.who.session' }) : by;
}

/** A value as the dialogs show it: yes/no, "not set", a choice by its label (`setting.<key>=<value>`), text as it is. */
function valueText(v: unknown, key?: string): string {
  if (v === undefined || v === null || v === '') return msg('(not set)', { id: 'audit.value.unset' });
  if (key && typeof v === 'string' && hasMessage(`setting.${key}=${v}`)) return t(`setting.${key}=${v}`);
  if (v === true) return msg('yes', { id: 'audit.value.yes' });
  if (v === false) return msg('no', { id: 'audit.value.no' });
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/** The label of a setting (`setting.<path>`) or of a value an action changed (`audit.change.<key>`) from the catalogues, else the key itself. */
function changeLabel(c: AuditChangeRow, prefix: 'setting' | 'audit.change'): string {
  const code = `${prefix}.${c.key}`;
  return hasMessage(code) ? t(code) : c.key;
}

function actionLabel(action: string): string {
  const code = `audit.action.${action}`;
  return hasMessage(code) ? t(code) : action;
}

/** The audit rows as lines: one per changed value (old → new, secrets only as "changed"), one for an action without values. */
export function auditLines(rows: readonly AuditRow[], nodes: readonly TreeNodeInfo[]): AuditLine[] {
  const locale = uiLocale();
  const out: AuditLine[] = [];
  for (const r of rows) {
    const base = {
      time: r.time,
      when: formatDateTime(locale, r.time),
      who: whoOf(r),
      node: r.nodeId ? text(nodes.find((n) => n.id === r.nodeId)?.label) || r.nodeId : '–',
      ...(r.nodeId ? { nodeId: r.nodeId } : {}),
    };
    const settings = r.action === 'settings.update' || r.action.startsWith('secret.');
    if (!r.changes.length) out.push({ ...base, what: actionLabel(r.action), from: '', to: '' });
    for (const c of r.changes) {
      const what = settings ? changeLabel(c, 'setting') : `${actionLabel(r.action)}: ${changeLabel(c, 'audit.change')}`;
      if (c.changed) out.push({ ...base, what, from: '', to: msg('changed', { id: 'audit.value.changed' }) });
      else out.push({ ...base, what, from: 'from' in c ? valueText(c.from, settings ? c.key : undefined) : '', to: valueText(c.to, settings ? c.key : undefined) });
    }
  }
  return out;
}

/** One CSV field (RFC 4180), guarded against spreadsheet formulas. */
function csvField(v: string): string {
  const safe = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[",\r\n;]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** The lines as CSV with a header in the UI language (and the instant as ISO 8601 for other programs). */
export function auditCsv(lines: readonly AuditLine[]): string {
  const header = [
    msg('When', { id: 'audit.col.when' }),
    msg('Time (ISO 8601, UTC)', { id: 'audit.col.iso' }),
    msg('Who', { id: 'audit.col.who' }),
    msg('Node', { id: 'audit.col.node' }),
    msg('What', { id: 'audit.col.what' }),
    msg('Old value', { id: 'audit.col.from' }),
    msg('New value', { id: 'audit.col.to' }),
  ];
  const body = lines.map((l) => [l.when, l.time, l.who, l.node, l.what, l.from, l.to]);
  // A byte-order mark so that spreadsheet programs read it as UTF-8.
  return '\uFEFF' + [header, ...body].map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n';
}
