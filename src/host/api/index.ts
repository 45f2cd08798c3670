/**
 * The host API a plugin sees: `activate(context)` gets a PluginContext, and the same services are
 * bound under their tokens in the plugin's own container (see services.ts). Plugins import types
 * and tokens from here only.
 */
import type { Container } from 'inversify';
import type { Logger } from 'pino';
import type { Disposable } from '../../common/disposable.js';
import type {
  AboutRegistry,
  AttentionRegistry,
  AuditLog,
  CommandRegistry,
  MessageRegistry,
  Notifications,
  PluginSecrets,
  PluginSettings,
  ProgressService,
  RpcRegistry,
  TreeRegistry,
} from './services.js';

export type { Disposable } from '../../common/disposable.js';
export * from './services.js';

export interface PluginContext {
  readonly pluginId: string;
  /** Everything pushed here is disposed when the plugin is deactivated. */
  readonly subscriptions: Disposable[];
  /** The plugin's own child container; every host service below is bound in it under its token. */
  readonly container: Container;
  /** A folder of the plugin's own under the host's data directory. */
  readonly dataDir: string;
  /** The host's data directory, for processes that share the console's state (e.g. a service it supervises). */
  readonly hostDataDir: string;
  readonly commands: CommandRegistry;
  readonly tree: TreeRegistry;
  readonly rpc: RpcRegistry;
  readonly messages: MessageRegistry;
  readonly settings: PluginSettings;
  readonly secrets: PluginSecrets;
  readonly notifications: Notifications;
  readonly progress: ProgressService;
  readonly logger: Logger;
  readonly audit: AuditLog;
  readonly about: AboutRegistry;
  /** What waits for the administrator: a banner at the top of the console and a badge on the node, until handled. */
  readonly attention: AttentionRegistry;
}

export interface PluginModule {
  activate(context: PluginContext): void | Promise<void>;
  deactivate?(): void | Promise<void>;
}
