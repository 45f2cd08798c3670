import { Container } from 'inversify';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino, type Logger } from 'pino';
import { HOST_SERVICE, type HostService } from '../../common/console-protocol.js';
import { CodedError } from '../../common/errors.js';
import { SECRET_KEYS } from '../../services/log/logger.js';
import { AuditTrail } from '../../services/settings/audit-trail.js';
import { debounceTime, from, map, merge, of, switchMap } from 'rxjs';
import { ContextualAudit } from './audit-context.js';
import { auditRows } from './audit-rows.js';

/** How many of the newest audit entries the audit view reads. */
const AUDIT_VIEW_ENTRIES = 1000;
import { ConsoleServer } from './console-server.js';
import { LogBuffer } from './log-buffer.js';
import { MessageCatalogues } from './message-registry.js';
import { NotificationCenter } from './notification-center.js';
import { PluginHost } from './plugin-host.js';
import { ProgressTracker } from './progress-tracker.js';
import { SecretStore } from '../../services/settings/secret-store.js';
import { mkdirPrivate } from '../../services/fs/shared-modes.js';

/** The repository (or installed package) root: where manifest.json, schema/ and dist/ live. */
export const PACKAGE_ROOT = findPackageRoot(path.dirname(fileURLToPath(import.meta.url)));

export interface HostOptions {
  readonly dataDir: string;
  readonly port: number;
  readonly host?: string;
  /** Plugin folders (each with a manifest.json); the product's own plugin is the package root. */
  readonly pluginDirs: readonly string[];
  readonly staticDir?: string;
  readonly logLevel?: string;
  /** Where log lines go besides the console's log view (default: stderr). */
  readonly logStream?: NodeJS.WritableStream;
}

export interface RunningHost {
  readonly url: string;
  readonly loginUrl: string;
  readonly port: number;
  readonly plugins: PluginHost;
  readonly secrets: SecretStore;
  readonly notifications: NotificationCenter;
  close(): Promise<void>;
}

export async function startHost(options: HostOptions): Promise<RunningHost> {
  const dataDir = path.resolve(options.dataDir);
  await mkdirPrivate(dataDir);
  const logs = new LogBuffer(500, options.logStream ?? process.stderr);
  const logger: Logger = pino(
    { name: 'host', level: options.logLevel ?? 'info', redact: { paths: SECRET_KEYS.flatMap((k) => [k, `*.${k}`]), censor: '[redacted]' } },
    logs,
  );
  // Every entry says who: the console's OS user and the console session (see ConsoleServer).
  const audit = new ContextualAudit(new AuditTrail(path.join(dataDir, 'audit.log')));
  // A damaged store does not stop the console: the plugins that use it fault, naming the file.
  const secrets = await SecretStore.open(path.join(dataDir, 'secrets'), audit);
  secrets.watchExternalChanges(); // `ors config set-secret` while the console runs
  const notifications = await NotificationCenter.open(path.join(dataDir, 'notifications.json'));
  const progress = new ProgressTracker();
  const staticDir = options.staticDir ?? path.join(PACKAGE_ROOT, 'dist', 'console');
  const mounts = new Map<string, string>();
  const root = new Container();
  const catalogues = new MessageCatalogues();

  const plugins = new PluginHost({
    dataDir,
    root,
    logger,
    secrets,
    notifications,
    progress,
    audit,
    catalogues,
    browserUrl: (id, dir, entry) => {
      const file = path.resolve(dir, entry);
      if (file.startsWith(staticDir + path.sep)) return `/static/${path.relative(staticDir, file).split(path.sep).join('/')}`;
      mounts.set(`/plugins/${id}/`, path.dirname(file));
      return `/plugins/${id}/${path.basename(file)}`;
    },
  });

  const hostService: HostService = {
    layout: async () => plugins.layout(),
    items$: (nodeId) => plugins.items$(String(nodeId)),
    executeCommand: (id, args) => plugins.executeCommand(String(id), Array.isArray(args) ? args : []),
    notifications$: () => notifications.list$,
    dismissNotification: (id) => notifications.dismiss(String(id)),
    markNotificationsRead: (ids) => notifications.markRead(Array.isArray(ids) ? ids.map(String) : []),
    attention$: () => plugins.attention$,
    audit$: () =>
      merge(of(undefined), audit.recorded$.pipe(debounceTime(100))).pipe(
        switchMap(() => from(audit.read(AUDIT_VIEW_ENTRIES))),
        map((entries) => auditRows(entries, plugins)),
      ),
    progress$: () => progress.list$,
    cancelProgress: async (id) => progress.cancel(String(id)),
    about$: () => plugins.about$,
    logs$: () => logs.entries$,
    catalogue$: () => catalogues.catalogue$,
  };
  plugins.exposeService(HOST_SERVICE, hostService, Object.keys(hostService));

  const server = new ConsoleServer({
    port: options.port,
    ...(options.host ? { host: options.host } : {}),
    staticDir,
    mounts,
    services: plugins,
    logger,
    // Defence in depth: a message that would carry a stored secret is replaced by an error.
    guard: (text) => {
      if (secrets.containsSecret(text)) throw new CodedError('rpc.secret-refused');
    },
  });
  await server.listen();
  await plugins.load(options.pluginDirs);

  return {
    url: server.url,
    loginUrl: server.loginUrl,
    get port() {
      return Number(new URL(server.url).port);
    },
    plugins,
    secrets,
    notifications,
    close: async () => {
      await server.close();
      await plugins.dispose();
      secrets.close();
    },
  };
}

function findPackageRoot(from: string): string {
  let dir = from;
  for (;;) {
    if (path.basename(dir) !== 'node_modules' && existsSync(path.join(dir, 'package.json')) && existsSync(path.join(dir, 'schema'))) return dir;
    const up = path.dirname(dir);
    if (up === dir) return from;
    dir = up;
  }
}

