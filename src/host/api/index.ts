/**
 * The host API a plugin sees: `activate(context)` gets a PluginContext. Plugins import types and
 * tokens from here only. Tokens use Symbol.for so that a plugin bundled separately shares them.
 */
import type { Container } from 'inversify';
import type { Observable } from 'rxjs';
import type { Logger } from 'pino';
import type {
  AboutSection,
  CommandResult,
  LocalizedText,
  NotificationAction,
  NotificationInfo,
  ResultItem,
  Severity,
} from '../../common/console-protocol.js';
import type { Disposable } from '../../common/disposable.js';

export type { Disposable } from '../../common/disposable.js';
export type { AuditEntry, SettingsSnapshot } from '../../services/settings/types.js';
export { AuditLog, PluginSecrets, PluginSettings } from '../../services/settings/types.js';
import type { AuditLog, PluginSecrets, PluginSettings } from '../../services/settings/types.js';

export type CommandHandler = (...args: unknown[]) => unknown | Promise<unknown>;

export interface CommandRegistry {
  /** Registers the handler of a command the manifest contributes. */
  register(id: string, handler: CommandHandler): Disposable;
  execute(id: string, args?: readonly unknown[]): Promise<CommandResult | null>;
}

export interface TreeRegistry {
  /** Supplies the result-pane items of a contributed node. */
  registerItems(nodeId: string, items$: Observable<readonly ResultItem[]>): Disposable;
}

export interface RpcRegistry {
  /** Makes the listed members of `impl` reachable from the console as service `name` (streams end in `$`). */
  expose<T extends object>(name: string, impl: T, members: readonly (keyof T & string)[]): Disposable;
}

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

export interface ProgressReporter {
  report(update: { fraction?: number; message?: LocalizedText }): void;
  /** Aborted when the administrator cancels (only for cancellable progress). */
  readonly signal: AbortSignal;
  done(): void;
}

export interface ProgressService {
  start(options: { title: LocalizedText; cancellable?: boolean }): ProgressReporter;
}

export interface AboutRegistry {
  register(section$: Observable<AboutSection>): Disposable;
}

export interface PluginContext {
  readonly pluginId: string;
  /** Everything pushed here is disposed when the plugin is deactivated. */
  readonly subscriptions: Disposable[];
  /** The plugin's own child container; the host's services are bound in its parent. */
  readonly container: Container;
  /** A folder of the plugin's own under the host's data directory. */
  readonly dataDir: string;
  /** The host's data directory, for processes that share the console's state (e.g. a service it supervises). */
  readonly hostDataDir: string;
  readonly commands: CommandRegistry;
  readonly tree: TreeRegistry;
  readonly rpc: RpcRegistry;
  readonly settings: PluginSettings;
  readonly secrets: PluginSecrets;
  readonly notifications: Notifications;
  readonly progress: ProgressService;
  readonly logger: Logger;
  readonly audit: AuditLog;
  readonly about: AboutRegistry;
}

export interface PluginModule {
  activate(context: PluginContext): void | Promise<void>;
  deactivate?(): void | Promise<void>;
}

// Tokens of the host services, bound in each plugin container's parent.
export const Notifications = Symbol.for('ors.host.Notifications');
export const ProgressService = Symbol.for('ors.host.ProgressService');
export const HostLogger = Symbol.for('ors.host.Logger');
export const PluginDataDir = Symbol.for('ors.host.PluginDataDir');
