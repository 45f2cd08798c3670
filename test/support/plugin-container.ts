// The plugin's real modules in a container with real host stores (settings, secrets, audit,
// notifications) under a temporary data dir, and recording registries. Tests replace a service by
// rebinding its token (`await harness.container.rebind(Token)`), never through constructor options.
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { Container, type ContainerModule } from 'inversify';
import { pino } from 'pino';
import type { Observable } from 'rxjs';
import type { AboutSection, AttentionItem, ProgressInfo, ResultItem } from '../../src/common/console-protocol.js';
import type { Catalogue } from '../../src/common/i18n.js';
import { PLUGIN_ID } from '../../src/common/remote-service/model.js';
import type { CommandHandler, PluginContext, ProgressService } from '../../src/host/api/index.js';
import { NotificationCenter } from '../../src/host/server/notification-center.js';
import { bindHostServices } from '../../src/host/server/plugin-bindings.js';
import { contributeAll, pluginModules } from '../../src/plugin/index.js';
import { AuditTrail } from '../../src/services/settings/audit-trail.js';
import { SecretStore } from '../../src/services/settings/secret-store.js';
import { SettingsStore } from '../../src/services/settings/settings-store.js';
import { ROOT } from './processes.js';

export const manifestSettingsSchema = async (): Promise<object> =>
  (JSON.parse(await readFile(path.join(ROOT, 'manifest.json'), 'utf8')) as { contributes: { settings: object } }).contributes.settings;

export interface PluginHarness {
  readonly container: Container;
  readonly context: PluginContext;
  readonly dir: string;
  readonly settings: SettingsStore;
  readonly secretStore: SecretStore;
  readonly audit: AuditTrail;
  readonly notifications: NotificationCenter;
  readonly commands: Map<string, CommandHandler>;
  readonly exposed: Map<string, { impl: object; members: readonly string[] }>;
  readonly items: Map<string, Observable<readonly ResultItem[]>>;
  readonly about: Observable<AboutSection>[];
  readonly catalogues: Catalogue[];
  readonly attention: Observable<readonly AttentionItem[]>[];
  readonly progress: { readonly started: ProgressInfo[]; readonly reports: string[]; done: number };
  /** Runs every contribution (what `activate` does after loading the modules). */
  contribute(): void;
  /** Disposes the contributions and closes the stores. */
  dispose(): void;
}

/** Loads `modules` (default: the plugin's, in the given order) over fresh host stores in `dir`. */
export async function pluginHarness(dir: string, modules: readonly ContainerModule[] = pluginModules): Promise<PluginHarness> {
  const audit = new AuditTrail(path.join(dir, 'audit.log'));
  const settings = await SettingsStore.open(path.join(dir, 'settings'), PLUGIN_ID, await manifestSettingsSchema(), audit);
  const secretStore = await SecretStore.open(path.join(dir, 'secrets'), audit);
  const notifications = await NotificationCenter.open(path.join(dir, 'notifications.json'));
  const commands = new Map<string, CommandHandler>();
  const exposed = new Map<string, { impl: object; members: readonly string[] }>();
  const items = new Map<string, Observable<readonly ResultItem[]>>();
  const about: Observable<AboutSection>[] = [];
  const catalogues: Catalogue[] = [];
  const attention: Observable<readonly AttentionItem[]>[] = [];
  const progress = { started: [] as ProgressInfo[], reports: [] as string[], done: 0 };
  const progressService: ProgressService = {
    start: (o) => {
      progress.started.push({ id: String(progress.started.length), title: o.title, cancellable: o.cancellable === true });
      return {
        report: (u) => progress.reports.push(typeof u.message === 'object' && u.message && 'code' in u.message ? String(u.message.code) : String((u.message as { en?: string } | undefined)?.en ?? '')),
        signal: new AbortController().signal,
        done: () => void progress.done++,
      };
    },
  };
  const container = new Container({ parent: new Container() });
  const context: PluginContext = {
    pluginId: PLUGIN_ID,
    subscriptions: [],
    container,
    dataDir: path.join(dir, 'plugins', PLUGIN_ID),
    hostDataDir: dir,
    settings,
    secrets: secretStore.forPlugin(PLUGIN_ID),
    notifications: notifications.forSource(PLUGIN_ID),
    progress: progressService,
    audit,
    logger: pino({ level: 'silent' }),
    commands: {
      register: (id, h) => {
        commands.set(id, h);
        return { dispose: () => commands.delete(id) };
      },
      execute: async (id, args) => ((await commands.get(id)?.(...(args ?? []))) as never) ?? null,
    },
    tree: {
      registerItems: (nodeId, items$) => {
        items.set(nodeId, items$);
        return { dispose: () => items.delete(nodeId) };
      },
    },
    rpc: {
      expose: (name, impl, members) => {
        exposed.set(name, { impl, members });
        return { dispose: () => exposed.delete(name) };
      },
    },
    about: {
      register: (s) => {
        about.push(s);
        return { dispose: () => about.splice(about.indexOf(s), 1) };
      },
    },
    messages: {
      register: (c) => {
        catalogues.push(c);
        return { dispose: () => catalogues.splice(catalogues.indexOf(c), 1) };
      },
    },
    attention: {
      register: (a) => {
        attention.push(a);
        return { dispose: () => attention.splice(attention.indexOf(a), 1) };
      },
    },
  };
  bindHostServices(container, context);
  container.load(...modules);
  return {
    container,
    context,
    dir,
    settings,
    secretStore,
    audit,
    notifications,
    commands,
    exposed,
    items,
    about,
    catalogues,
    attention,
    progress,
    contribute: () => contributeAll(context),
    dispose: () => {
      for (const s of context.subscriptions.splice(0).reverse()) s.dispose();
      settings.close();
    },
  };
}

