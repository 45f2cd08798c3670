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
}

export interface MenuItemInfo {
  readonly command: string;
  readonly title: LocalizedText;
  /** Shown in the context menu of nodes/items whose nodeType matches. */
  readonly nodeType?: string;
  readonly group?: string;
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
  readonly openProperties?: { readonly nodeId: string; readonly itemId?: string };
}

/** The host's own RPC service, named `host`. */
export interface HostService {
  layout(): Promise<ConsoleLayout>;
  items$(nodeId: string): Observable<readonly ResultItem[]>;
  executeCommand(id: string, args?: readonly unknown[]): Promise<CommandResult | null>;
  notifications$(): Observable<readonly NotificationInfo[]>;
  dismissNotification(id: string): Promise<void>;
  progress$(): Observable<readonly ProgressInfo[]>;
  cancelProgress(id: string): Promise<void>;
  about$(): Observable<readonly AboutSection[]>;
  logs$(source?: string): Observable<readonly LogEntry[]>;
  /** The plugins' message catalogues, merged (the console bundles only the host's own). */
  catalogue$(): Observable<Catalogue>;
}

export const HOST_SERVICE = 'host';
