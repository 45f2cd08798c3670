import { Container } from 'inversify';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { BehaviorSubject, combineLatest, map, of, startWith, switchMap, type Observable } from 'rxjs';
import type { Logger } from 'pino';
import type {
  AboutSection,
  AttentionItem,
  CommandResult,
  ConsoleLayout,
  MenuItemInfo,
  PluginInfo,
  PropertyViewInfo,
  ResultItem,
  TreeNodeInfo,
} from '../../common/console-protocol.js';
import { DisposableCollection, toDisposable, type Disposable } from '../../common/disposable.js';
import { CodedError, toErrorInfo, type ErrorInfo } from '../../common/errors.js';
import { PRODUCT_VERSION } from '../../common/version.js';
import type { ExposedService, ServiceLookup } from '../../common/rpc/rpc-server.js';
import type { CommandHandler, PluginContext, PluginModule } from '../api/index.js';
import type { MessageCatalogues } from './message-registry.js';
import { bindHostServices } from './plugin-bindings.js';
import { loadManifest, localize, type Manifest } from './manifest.js';
import type { NotificationCenter } from './notification-center.js';
import type { SecretStore } from '../../services/settings/secret-store.js';
import { SettingsStore } from '../../services/settings/settings-store.js';
import type { ProgressTracker } from './progress-tracker.js';
import type { AuditLog } from '../../common/settings/stores.js';
import { mkdirPrivate } from '../../services/fs/shared-modes.js';

export interface HostServices {
  readonly dataDir: string;
  readonly root: Container;
  readonly logger: Logger;
  readonly secrets: SecretStore;
  readonly notifications: NotificationCenter;
  readonly progress: ProgressTracker;
  readonly audit: AuditLog;
  readonly catalogues: MessageCatalogues;
  /** URL path under which a plugin's browser files are served, e.g. `/plugins/<id>/`. */
  browserUrl(pluginId: string, dir: string, entry: string): string;
}

interface PluginRecord {
  readonly dir: string;
  readonly manifest?: Manifest;
  state: PluginInfo['state'];
  fault?: ErrorInfo;
  context?: PluginContext;
  module?: PluginModule;
  container?: Container;
  subscriptions?: DisposableCollection;
  activation?: Promise<void>;
}

const ACTIVATION_TIMEOUT_MS = 15_000;

/**
 * Loads plugin manifests, activates plugins into child containers on their activation events,
 * and collects their contributions. A plugin that fails becomes a faulted node; the host goes on.
 */
export class PluginHost implements ServiceLookup {
  private readonly plugins = new Map<string, PluginRecord>();
  private readonly faultedDirs: PluginRecord[] = [];
  private readonly commands = new Map<string, { pluginId: string; handler?: CommandHandler }>();
  private readonly items = new Map<string, BehaviorSubject<Observable<readonly ResultItem[]> | undefined>>();
  private readonly services = new Map<string, ExposedService>();
  private readonly aboutSections = new BehaviorSubject<readonly Observable<AboutSection>[]>([]);
  private readonly attentionSources = new BehaviorSubject<readonly Observable<readonly AttentionItem[]>[]>([]);
  private readonly changed = new BehaviorSubject<number>(0);

  constructor(private readonly host: HostServices) {}

  /** Emits whenever plugin states change (so the console can re-read the layout). */
  get changes$(): Observable<number> {
    return this.changed.asObservable();
  }

  get(name: string): ExposedService | undefined {
    return this.services.get(name);
  }

  /** Host-owned RPC services (e.g. `host`) are registered the same way as plugins' ones. */
  exposeService(name: string, impl: object, members: readonly string[]): Disposable {
    if (this.services.has(name)) throw new CodedError('rpc.duplicate-service', { name });
    this.services.set(name, { impl, members: new Set(members) });
    return toDisposable(() => this.services.delete(name));
  }

  async load(dirs: readonly string[]): Promise<void> {
    for (const dir of dirs) {
      let manifest: Manifest;
      try {
        manifest = await loadManifest(dir);
      } catch (e) {
        this.host.logger.error({ dir, err: toErrorInfo(e) }, 'plugin manifest rejected');
        this.faultedDirs.push({ dir, state: 'faulted', fault: toErrorInfo(e) });
        continue;
      }
      if (this.plugins.has(manifest.id)) {
        this.faultedDirs.push({ dir, state: 'faulted', fault: { code: 'plugin.duplicate-id', params: { field: 'id', value: manifest.id } } });
        continue;
      }
      const record: PluginRecord = { dir, manifest, state: 'inactive' };
      this.plugins.set(manifest.id, record);
      for (const c of manifest.contributes.commands ?? []) this.commands.set(c.id, { pluginId: manifest.id });
      for (const n of manifest.contributes.nodes ?? []) this.items.set(n.id, new BehaviorSubject<Observable<readonly ResultItem[]> | undefined>(undefined));
    }
    this.changed.next(this.changed.value + 1);
    for (const [id, r] of this.plugins) {
      if (r.manifest!.activationEvents.some((e) => e === 'onStartup' || e === '*')) await this.activate(id);
    }
  }

  pluginStates(): readonly PluginInfo[] {
    return [...this.plugins.values(), ...this.faultedDirs].map((r) => this.info(r));
  }

  layout(): ConsoleLayout {
    const nodes: TreeNodeInfo[] = [];
    const menus: MenuItemInfo[] = [];
    const views: PropertyViewInfo[] = [];
    for (const r of this.plugins.values()) {
      const m = r.manifest!;
      for (const n of m.contributes.nodes ?? []) {
        nodes.push({
          id: n.id,
          pluginId: m.id,
          label: localize(m, n.label),
          nodeType: n.nodeType,
          columns: (n.columns ?? []).map((c) => ({ id: c.id, label: localize(m, c.label) })),
          ...(n.icon ? { icon: n.icon } : {}),
          ...(n.parent ? { parent: n.parent } : {}),
          ...(r.fault ? { fault: r.fault } : {}),
        });
      }
      const titles = new Map((m.contributes.commands ?? []).map((c) => [c.id, localize(m, c.title)]));
      for (const e of m.contributes.menus?.context ?? []) {
        // `nodeType == T [&& viewItem (==|!=) V]` (the schema admits nothing else).
        const w = /^nodeType == (\S+)(?: && viewItem (==|!=) (\S+))?$/.exec(e.when ?? '');
        const viewItem = w?.[3] ? { viewItem: { value: w[3], negate: w[2] === '!=' } } : {};
        menus.push({ command: e.command, title: titles.get(e.command)!, ...(w ? { nodeType: w[1]! } : {}), ...viewItem, ...(e.group ? { group: e.group } : {}) });
      }
      for (const v of m.contributes.views ?? []) views.push({ nodeType: v.nodeType, element: v.element, title: localize(m, v.title) });
    }
    for (const r of this.faultedDirs) {
      const id = `faulted:${path.basename(r.dir)}`;
      nodes.push({ id, pluginId: id, label: path.basename(r.dir), nodeType: 'faulted-plugin', columns: [], icon: 'plugin', ...(r.fault ? { fault: r.fault } : {}) });
    }
    return { hostVersion: PRODUCT_VERSION, nodes, menus, views, plugins: this.pluginStates(), strings: { en: {}, de: {} } };
  }

  items$(nodeId: string): Observable<readonly ResultItem[]> {
    const slot = this.items.get(nodeId);
    if (!slot) throw new CodedError('host.unknown-node', { node: nodeId });
    const owner = [...this.plugins.entries()].find(([, r]) => r.manifest!.contributes.nodes?.some((n) => n.id === nodeId));
    if (owner && owner[1].state === 'inactive' && owner[1].manifest!.activationEvents.includes(`onNode:${nodeId}`)) void this.activate(owner[0]);
    return slot.pipe(switchMap((source) => source ?? of([])));
  }

  get about$(): Observable<readonly AboutSection[]> {
    return this.aboutSections.pipe(switchMap((list) => (list.length ? combineLatest(list) : of([]))));
  }

  /** What waits for the administrator, from every plugin (a source that has not emitted yet counts as nothing). */
  get attention$(): Observable<readonly AttentionItem[]> {
    return this.attentionSources.pipe(
      switchMap((list) => (list.length ? combineLatest(list.map((s) => s.pipe(startWith<readonly AttentionItem[]>([])))) : of([]))),
      map((lists) => lists.flat()),
    );
  }

  /** The plugin a settings/secret audit entry belongs to, and the node of one of its settings (the manifest's `x-node`). */
  settingsNode(pluginId: string, key: string): string | undefined {
    const schema = this.plugins.get(pluginId)?.manifest?.contributes.settings as { properties?: Record<string, { 'x-node'?: string }>; 'x-secret-nodes'?: Record<string, string> } | undefined;
    return schema?.properties?.[key]?.['x-node'] ?? schema?.['x-secret-nodes']?.[key];
  }

  /** Ids of the loaded plugins (an audit entry's target names its plugin for settings changes). */
  get pluginIds(): readonly string[] {
    return [...this.plugins.keys()];
  }

  async executeCommand(id: string, args: readonly unknown[] = []): Promise<CommandResult | null> {
    const entry = this.commands.get(id);
    if (!entry) throw new CodedError('host.unknown-command', { command: id });
    const record = this.plugins.get(entry.pluginId)!;
    if (record.state === 'inactive') await this.activate(entry.pluginId);
    if (record.state === 'faulted') throw new CodedError('host.plugin-faulted', { plugin: entry.pluginId });
    if (!entry.handler) throw new CodedError('plugin.command-without-handler', { command: id });
    const result = await entry.handler(...args);
    return isCommandResult(result) ? result : null;
  }

  async activate(pluginId: string): Promise<void> {
    const r = this.plugins.get(pluginId);
    if (!r || r.state !== 'inactive') return r?.activation;
    r.activation = this.doActivate(pluginId, r);
    return r.activation;
  }

  async deactivate(pluginId: string): Promise<void> {
    const r = this.plugins.get(pluginId);
    if (!r || r.state !== 'active') return;
    await this.teardown(r);
    r.state = 'inactive';
    r.activation = undefined;
    this.changed.next(this.changed.value + 1);
  }

  async dispose(): Promise<void> {
    for (const id of [...this.plugins.keys()].reverse()) await this.deactivate(id);
  }

  private async doActivate(pluginId: string, r: PluginRecord): Promise<void> {
    const m = r.manifest!;
    const log = this.host.logger.child({ plugin: pluginId });
    const subscriptions = new DisposableCollection();
    r.subscriptions = subscriptions;
    try {
      const dataDir = path.join(this.host.dataDir, 'plugins', pluginId);
      await mkdirPrivate(dataDir);
      const settings = await SettingsStore.open(path.join(this.host.dataDir, 'settings'), pluginId, m.contributes.settings, this.host.audit);
      settings.watchExternalChanges();
      subscriptions.push(toDisposable(() => settings.close()));
      const secrets = this.host.secrets.forPlugin(pluginId);
      const notifications = this.host.notifications.forSource(pluginId);
      const container = new Container({ parent: this.host.root });
      r.container = container;
      const list: Disposable[] = [];
      const context: PluginContext = {
        pluginId,
        subscriptions: list,
        container,
        dataDir,
        hostDataDir: this.host.dataDir,
        settings,
        secrets,
        notifications,
        progress: this.host.progress,
        audit: this.host.audit,
        logger: log,
        commands: {
          register: (id, handler) => this.registerCommand(pluginId, id, handler),
          execute: (id, args) => this.executeCommand(id, args),
        },
        tree: { registerItems: (nodeId, items$) => this.registerItems(pluginId, nodeId, items$) },
        rpc: { expose: (name, impl, members) => this.exposeService(`${pluginId}.${name}`, impl, members) },
        about: {
          register: (section$) => {
            this.aboutSections.next([...this.aboutSections.value, section$]);
            return toDisposable(() => this.aboutSections.next(this.aboutSections.value.filter((s) => s !== section$)));
          },
        },
        messages: { register: (catalogue) => this.host.catalogues.register(pluginId, catalogue) },
        attention: {
          register: (items$) => {
            this.attentionSources.next([...this.attentionSources.value, items$]);
            return toDisposable(() => this.attentionSources.next(this.attentionSources.value.filter((s) => s !== items$)));
          },
        },
      };
      r.context = context;
      bindHostServices(container, context);
      const mod = (await import(pathToFileURL(path.resolve(r.dir, m.main)).href)) as Partial<PluginModule>;
      if (typeof mod.activate !== 'function') throw new CodedError('plugin.no-activate', { path: m.main });
      r.module = mod as PluginModule;
      await withTimeout(Promise.resolve(mod.activate(context)), ACTIVATION_TIMEOUT_MS, pluginId);
      subscriptions.push(...list.splice(0));
      // Checked now, at load, so that a missing handler never surfaces as a failed click.
      for (const c of m.contributes.commands ?? []) {
        if (!this.commands.get(c.id)?.handler) throw new CodedError('plugin.command-without-handler', { command: c.id });
      }
      r.state = 'active';
      log.info({ version: m.version }, 'plugin activated');
    } catch (e) {
      r.fault = toErrorInfo(e);
      r.state = 'faulted';
      log.error({ err: r.fault }, 'plugin activation failed');
      if (r.context) subscriptions.push(...r.context.subscriptions.splice(0));
      await this.teardown(r).catch(() => undefined);
    } finally {
      this.changed.next(this.changed.value + 1);
    }
  }

  private async teardown(r: PluginRecord): Promise<void> {
    try {
      await r.module?.deactivate?.();
    } finally {
      if (r.context) r.subscriptions?.push(...r.context.subscriptions.splice(0));
      r.subscriptions?.dispose();
      r.container?.unbindAll();
      r.container = undefined;
      r.module = undefined;
    }
  }

  private registerCommand(pluginId: string, id: string, handler: CommandHandler): Disposable {
    const entry = this.commands.get(id);
    if (!entry || entry.pluginId !== pluginId) throw new CodedError('plugin.undeclared-command', { command: id });
    if (entry.handler) throw new CodedError('plugin.duplicate-handler', { command: id });
    entry.handler = handler;
    return toDisposable(() => {
      if (entry.handler === handler) delete entry.handler;
    });
  }

  private registerItems(pluginId: string, nodeId: string, items$: Observable<readonly ResultItem[]>): Disposable {
    const slot = this.items.get(nodeId);
    const owns = this.plugins.get(pluginId)?.manifest?.contributes.nodes?.some((n) => n.id === nodeId);
    if (!slot || !owns) throw new CodedError('plugin.undeclared-node', { node: nodeId });
    slot.next(items$);
    return toDisposable(() => {
      if (slot.value === items$) slot.next(undefined);
    });
  }

  private info(r: PluginRecord): PluginInfo {
    const m = r.manifest;
    return {
      id: m?.id ?? `faulted:${path.basename(r.dir)}`,
      version: m?.version ?? '',
      displayName: m ? localize(m, m.displayName ?? m.id) : path.basename(r.dir),
      state: r.state,
      ...(r.fault ? { fault: r.fault } : {}),
      ...(m?.browser && r.state !== 'faulted' ? { browserEntry: this.host.browserUrl(m.id, r.dir, m.browser) } : {}),
    };
  }
}

function isCommandResult(v: unknown): v is CommandResult {
  return typeof v === 'object' && v !== null && 'openProperties' in v;
}

function withTimeout<T>(p: Promise<T>, ms: number, pluginId: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout>;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new CodedError('plugin.activation-timeout', { plugin: pluginId, seconds: ms / 1000 })), ms);
    }),
  ]);
}

