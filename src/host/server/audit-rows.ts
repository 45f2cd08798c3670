import type { AuditChangeRow, AuditRow } from '../../common/console-protocol.js';
import type { AuditEntry } from '../../common/settings/snapshot.js';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The values that differ between two settings objects, as dotted paths (remoteService.proxy.host: a → b). */
export function leafChanges(key: string, from: unknown, to: unknown): AuditChangeRow[] {
  if (isRecord(from) || isRecord(to)) {
    const a = isRecord(from) ? from : {};
    const b = isRecord(to) ? to : {};
    return [...new Set([...Object.keys(a), ...Object.keys(b)])].sort().flatMap((k) => leafChanges(`${key}.${k}`, a[k], b[k]));
  }
  if (JSON.stringify(from) === JSON.stringify(to)) return [];
  return [{ key, ...(from !== undefined ? { from } : {}), ...(to !== undefined ? { to } : {}) }];
}

export interface AuditRowContext {
  /** Plugins whose settings file an entry may be (settings.update's target is the plugin id). */
  readonly pluginIds: readonly string[];
  /** The node of a plugin's setting or secret (its manifest says), if any. */
  settingsNode(pluginId: string, key: string): string | undefined;
}

/**
 * The audit log as the audit view shows it, newest first: settings changes as one row per changed
 * value (old → new), secrets only as "changed", every row with its node where the plugin says it.
 */
export function auditRows(entries: readonly (AuditEntry & { time: string })[], ctx: AuditRowContext): AuditRow[] {
  const out: AuditRow[] = [];
  for (const e of [...entries].reverse()) {
    const base = { time: e.time, actor: e.actor, action: e.action, target: e.target, ...(e.user ? { user: e.user } : {}), ...(e.session ? { session: e.session } : {}) };
    if (e.action === 'settings.update' && ctx.pluginIds.includes(e.target)) {
      // One row per settings part, so that each can be filtered by its node.
      for (const c of e.changes ?? []) {
        if (!('from' in c) && !('to' in c)) continue;
        const changes = leafChanges(c.key, (c as { from?: unknown }).from, (c as { to?: unknown }).to);
        const nodeId = ctx.settingsNode(e.target, c.key);
        if (changes.length) out.push({ ...base, pluginId: e.target, ...(nodeId ? { nodeId } : {}), changes });
      }
      continue;
    }
    if (e.action === 'secret.set' || e.action === 'secret.delete') {
      // Secrets are stored as `<plugin>/<name>`: never a value, only that it changed.
      const [pluginId, name] = e.target.includes('/') ? (e.target.split('/', 2) as [string, string]) : [undefined, e.target];
      const nodeId = pluginId ? ctx.settingsNode(pluginId, name) : undefined;
      out.push({ ...base, target: name, ...(pluginId ? { pluginId } : {}), ...(nodeId ? { nodeId } : {}), changes: [{ key: `secret.${name}`, changed: true }] });
      continue;
    }
    const changes: AuditChangeRow[] = (e.changes ?? []).map((c) => ('changed' in c ? { key: c.key, changed: true } : { key: c.key, ...(c.from !== undefined ? { from: c.from } : {}), ...(c.to !== undefined ? { to: c.to } : {}) }));
    out.push({ ...base, ...(e.nodeId ? { nodeId: e.nodeId } : {}), changes });
  }
  return out;
}
