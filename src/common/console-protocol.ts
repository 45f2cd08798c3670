import type { Observable } from 'rxjs';
import type { ErrorInfo, MessageParams } from './errors.js';
import type { Catalogue, Locale } from './i18n.js';

/** Text the console shows: plain, localised per language, or a message code with parameters. */
export type LocalizedText = string | Readonly<Partial<Record<Locale, string>>> | { readonly code: string; readonly params?: MessageParams };

export interface ColumnInfo {
  readonly id: string;
  readonly label: LocalizedText;
}

/** A scope-tree node as the console shows it (from manifests; faulted plugins become faulted nodes). */
export interface TreeNodeInfo {
  readonly id: string;
  readonly pluginId: string;
  readonly label: LocalizedText;
  readonly icon?: string;
  readonly parent?: string;
  readonly nodeType: string;
  readonly columns: readonly ColumnInfo[];
  /** Set when the plugin that contributes the node failed to load or activate. */
  readonly fault?: ErrorInfo;
}

export type BadgeKind = 'ok' | 'info' | 'warning' | 'error';

/** One row of the result pane. Double-click opens the property view of `nodeType`. */
export interface ResultItem {
  readonly id: string;
  readonly nodeType: string;
  readonly cells: Readonly<Record<string, LocalizedText>>;
  readonly icon?: string;
  readonly badge?: { readonly kind: BadgeKind; readonly text: LocalizedText };
  /** The item's state for menus (VS Code's contextValue): `when: … && viewItem == <value>` shows a command only then. */
  readonly contextValue?: string;
}

export interface MenuItemInfo {
  readonly command: string;
  readonly title: LocalizedText;
  /** Shown in the context menu of nodes/items whose nodeType matches. */
  readonly nodeType?: string;
  /** …and only for an item whose contextValue is (or, negated, is not) this value; a node's menu asks its items. */
  readonly viewItem?: { readonly value: string; readonly negate: boolean };
  readonly group?: string;
}

/** Whether a menu entry applies to a node or item of `nodeType` whose items carry these context values. */
export function menuApplies(m: MenuItemInfo, nodeType: string | undefined, contextValues: readonly (string | undefined)[]): boolean {
  if (m.nodeType !== undefined && m.nodeType !== nodeType) return false;
  if (!m.viewItem) return true;
  const { value, negate } = m.viewItem;
  return negate ? !contextValues.includes(value) : contextValues.includes(value);
}

export interface PropertyViewInfo {
  readonly nodeType: string;
  /** Custom element name that renders the dialog's content (defined by the plugin's browser bundle). */
  readonly element: string;
  readonly title: LocalizedText;
}

export interface PluginInfo {
  readonly id: string;
  readonly version: string;
  readonly displayName: LocalizedText;
  readonly state: 'active' | 'inactive' | 'faulted';
  readonly fault?: ErrorInfo;
  /** URL of the plugin's browser entry module, if it has one. */
  readonly browserEntry?: string;
}

export interface ConsoleLayout {
  readonly hostVersion: string;
  readonly nodes: readonly TreeNodeInfo[];
  readonly menus: readonly MenuItemInfo[];
  readonly views: readonly PropertyViewInfo[];
  readonly plugins: readonly PluginInfo[];
  /** Manifest strings per language, keyed `<pluginId>/<key>`; resolves `%key%` labels. */
  readonly strings: Readonly<Record<Locale, Readonly<Record<string, string>>>>;
}

export type Severity = 'info' | 'warning' | 'error';

export interface NotificationAction {
  readonly id: string;
  readonly title: LocalizedText;
  readonly command: string;
  readonly args?: readonly unknown[];
}

export interface NotificationInfo {
  readonly id: string;
  readonly severity: Severity;
  readonly message: LocalizedText;
  readonly detail?: LocalizedText;
  readonly source: string;
  /** ISO timestamp. */
  readonly time: string;
  readonly actions: readonly NotificationAction[];
  /** Optional node the notification concerns (e.g. the Licenses node). */
  readonly nodeId?: string;
  /** Seen in the notification list (the status bar counts the unread ones). */
  readonly read?: boolean;
}

/**
 * Something that waits for the administrator (a license to confirm, a manual install, an expiry
 * within 30 days, an expired license): a banner at the top of the console and a badge on its node
 * until it is handled. Plugins derive these from their state; the host only shows them.
 */
export interface AttentionItem {
  readonly id: string;
  readonly nodeId: string;
  readonly severity: 'warning' | 'error';
  readonly message: LocalizedText;
  readonly detail?: LocalizedText;
  readonly actions: readonly NotificationAction[];
  /** Also shown in the notice when the console starts (expired license, a license waiting for confirmation). */
  readonly notice?: boolean;
  /** When it began to wait (ISO), if known: what began after the console started is news for the banner, not the start-up notice. */
  readonly since?: string;
}

/** One row of the audit view: when, who, where, what, old → new (secrets only as changed). */
export interface AuditRow {
  readonly time: string;
  /** console, ors-service, cli, … */
  readonly actor: string;
  /** The operating-system user of the process that made the change. */
  readonly user?: string;
  /** The console session it came from (a short, non-secret id). */
  readonly session?: string;
  readonly action: string;
  readonly target: string;
  /** The console node it belongs to, when known. */
  readonly nodeId?: string;
  /** The plugin whose catalogue names its settings. */
  readonly pluginId?: string;
  readonly changes: readonly AuditChangeRow[];
}

/** One changed value: `key` is a dotted path (remoteService.proxy.host); secrets have `changed` only. */
export interface AuditChangeRow {
  readonly key: string;
  readonly from?: unknown;
  readonly to?: unknown;
  readonly changed?: true;
}

export interface ProgressInfo {
  readonly id: string;
  readonly title: LocalizedText;
  readonly message?: LocalizedText;
  /** 0..1, or undefined when unknown. */
  readonly fraction?: number;
  readonly cancellable: boolean;
}

export interface AboutSection {
  readonly id: string;
  readonly title: LocalizedText;
  readonly rows: readonly { readonly label: LocalizedText; readonly value: LocalizedText }[];
}

export interface LogEntry {
  readonly time: string;
  readonly level: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';
  readonly source: string;
  readonly msg: string;
}

/** What a command may ask the console to do once it has run. */
export interface CommandResult {
  /** Opens a property dialog, on one of its pages when `page` names one. */
  readonly openProperties?: { readonly nodeId: string; readonly itemId?: string; readonly page?: string };
}

/** The host's own RPC service, named `host`. */
export interface HostService {
  layout(): Promise<ConsoleLayout>;
  items$(nodeId: string): Observable<readonly ResultItem[]>;
  executeCommand(id: string, args?: readonly unknown[]): Promise<CommandResult | null>;
  notifications$(): Observable<readonly NotificationInfo[]>;
  dismissNotification(id: string): Promise<void>;
  /** Marks notifications as seen (the status bar counts the unread ones). */
  markNotificationsRead(ids: readonly string[]): Promise<void>;
  /** What waits for the administrator, from every plugin. */
  attention$(): Observable<readonly AttentionItem[]>;
  /** The audit log, newest first, as rows for the audit view. */
  audit$(): Observable<readonly AuditRow[]>;
  progress$(): Observable<readonly ProgressInfo[]>;
  cancelProgress(id: string): Promise<void>;
  about$(): Observable<readonly AboutSection[]>;
  logs$(source?: string): Observable<readonly LogEntry[]>;
  /** The plugins' message catalogues, merged (the console bundles only the host's own). */
  catalogue$(): Observable<Catalogue>;
}

export const HOST_SERVICE = 'host';
