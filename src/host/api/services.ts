/**
 * The host's services as a plugin sees them: each interface with its injection token of the same
 * name (Theia style). The host binds every token in the plugin's container before `activate`, so
 * plugin classes take them with `@inject(Token)`. Tokens use Symbol.for so that a plugin bundled
 * separately shares them.
 */
import type { Observable } from 'rxjs';
import type { Logger } from 'pino';
import type { AboutSection, AttentionItem, CommandResult, LocalizedText, NotificationAction, NotificationInfo, ResultItem, Severity } from '../../common/console-protocol.js';
import type { Disposable } from '../../common/disposable.js';
import type { Catalogue } from '../../common/i18n.js';
import type { AuditLog as StoredAuditLog, PluginSecrets as StoredSecrets, PluginSettings as StoredSettings } from '../../common/settings/stores.js';

export type { AuditEntry, SettingsSnapshot } from '../../common/settings/snapshot.js';

/** A plugin's settings: schema-validated, versioned, observable, written atomically. */
export type PluginSettings<T = Record<string, unknown>> = StoredSettings<T>;
export const PluginSettings = Symbol.for('ors.host.PluginSettings');

/** Secrets: write-only towards the console, bound to the endpoint each was saved for. */
export type PluginSecrets = StoredSecrets;
export const PluginSecrets = Symbol.for('ors.host.PluginSecrets');

/** Who changed which setting when (secrets only as "changed"). */
export type AuditLog = StoredAuditLog;
export const AuditLog = Symbol.for('ors.host.AuditLog');

export type CommandHandler = (...args: unknown[]) => unknown | Promise<unknown>;

export interface CommandRegistry {
  /** Registers the handler of a command the manifest contributes. */
  register(id: string, handler: CommandHandler): Disposable;
  execute(id: string, args?: readonly unknown[]): Promise<CommandResult | null>;
}
export const CommandRegistry = Symbol.for('ors.host.CommandRegistry');

export interface TreeRegistry {
  /** Supplies the result-pane items of a contributed node. */
  registerItems(nodeId: string, items$: Observable<readonly ResultItem[]>): Disposable;
}
export const TreeRegistry = Symbol.for('ors.host.TreeRegistry');

export interface RpcRegistry {
  /** Makes the listed members of `impl` reachable from the console as service `name` (streams end in `$`). */
  expose<T extends object>(name: string, impl: T, members: readonly (keyof T & string)[]): Disposable;
}
export const RpcRegistry = Symbol.for('ors.host.RpcRegistry');

/** What waits for the administrator (banner, node badge, start-up notice), derived by the plugin from its state. */
export interface AttentionRegistry {
  register(items$: Observable<readonly AttentionItem[]>): Disposable;
}
export const AttentionRegistry = Symbol.for('ors.host.AttentionRegistry');

export interface AboutRegistry {
  register(section$: Observable<AboutSection>): Disposable;
}
export const AboutRegistry = Symbol.for('ors.host.AboutRegistry');

/**
 * The plugin's message catalogue (its codes in every language). The console formats the plugin's
 * `{code, params}` texts with it; the host ships only its own catalogue.
 */
export interface MessageRegistry {
  register(catalogue: Catalogue): Disposable;
}
export const MessageRegistry = Symbol.for('ors.host.MessageRegistry');

export interface NotifyOptions {
  readonly severity: Severity;
  readonly message: LocalizedText;
  readonly detail?: LocalizedText;
  readonly actions?: readonly NotificationAction[];
  readonly nodeId?: string;
  /** Replaces an earlier notification with the same key instead of adding another one. */
  readonly key?: string;
}

export interface Notifications {
  notify(options: NotifyOptions): Promise<NotificationInfo>;
  dismiss(id: string): Promise<void>;
  readonly list$: Observable<readonly NotificationInfo[]>;
}
export const Notifications = Symbol.for('ors.host.Notifications');

export interface ProgressReporter {
  report(update: { fraction?: number; message?: LocalizedText }): void;
  /** Aborted when the administrator cancels (only for cancellable progress). */
  readonly signal: AbortSignal;
  done(): void;
}

export interface ProgressService {
  start(options: { title: LocalizedText; cancellable?: boolean }): ProgressReporter;
}
export const ProgressService = Symbol.for('ors.host.ProgressService');

/** The plugin's logger (its lines show in View → Log). */
export type HostLogger = Logger;
export const HostLogger = Symbol.for('ors.host.Logger');

/** A folder of the plugin's own under the host's data directory. */
export type PluginDataDir = string;
export const PluginDataDir = Symbol.for('ors.host.PluginDataDir');

/** The host's data directory, for processes that share the console's state (e.g. a service it supervises). */
export type HostDataDir = string;
export const HostDataDir = Symbol.for('ors.host.HostDataDir');
