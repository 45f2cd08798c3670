import { readRemoteService } from '../../common/settings/read-settings.js';
import { inject, injectable } from 'inversify';
import { combineLatest, map, type Observable } from 'rxjs';
import type { Disposable } from '../../common/disposable.js';
import type { BadgeKind, LocalizedText, ResultItem } from '../../common/console-protocol.js';
import type { RemoteServiceSettings } from '../../common/remote-service/model.js';
import { REMOTE_SERVICE_SERVICE, type RemoteServiceStateView } from '../../common/remote-service/remote-service-api.js';
import { fieldsMessage } from '../../common/remote-service/feedback.js';
import { CommandRegistry, HostLogger, PluginSettings, RpcRegistry, TreeRegistry } from '../../host/api/index.js';
import type { PluginContribution } from '../plugin-contribution.js';
import { RemoteServiceController } from './remote-service-controller.js';

/** The service's state for the node's menus: Start only while it is stopped, Restart only while it runs. */
function contextValueOf(state: RemoteServiceStateView): string {
  const s = state.service;
  if (s.kind === 'running') return 'service-running';
  if (s.kind === 'stopped' || (s.kind === 'crashed' && !s.restartAt)) return 'service-stopped';
  return 'service-busy';
}

/** The Remote Service row of the result pane, derived from the settings and the service's state. */
export function remoteServiceItem(settings: RemoteServiceSettings, state: RemoteServiceStateView): ResultItem {
  const row = (kind: BadgeKind, stateText: LocalizedText, description: LocalizedText): ResultItem => ({
    id: 'remote-service',
    nodeType: 'remote-service',
    icon: 'cloud',
    // The node's name is the product's: the same in every language.
    cells: { name: 'Remote Service', state: stateText, description },
    badge: { kind, text: stateText },
    contextValue: contextValueOf(state),
  });
  const purpose = { code: 'remote-service.row.purpose' };
  if (!settings.enabled) return row('info', { code: 'remote-service.row.disabled' }, purpose);
  const s = state.service;
  if (s.kind === 'unknown') return row('warning', { code: 'remote-service.row.unknown' }, s.error);
  if (s.kind === 'stopped' || s.kind === 'crashed') return row('error', { code: 'remote-service.row.not-running' }, { code: 'remote-service.row.open-to-start' });
  if (s.kind !== 'running' || !s.status) return row('info', { code: 'remote-service.row.starting' }, purpose);
  const c = s.status.connection;
  switch (c.kind) {
    case 'disabled':
      return row('info', { code: 'remote-service.row.disabled' }, purpose);
    case 'not-configured':
      return row('warning', { code: 'remote-service.row.not-configured' }, { code: 'remote-service.row.missing', params: { missing: fieldsMessage(c.missing) } });
    case 'connecting':
      return row('info', { code: 'remote-service.row.connecting' }, purpose);
    case 'connected':
      return row('ok', { code: 'remote-service.row.connected' }, s.status.license ? { code: 'remote-service.row.serial', params: { serial: s.status.license.serial } } : purpose);
    case 'error':
      return row('error', { code: 'remote-service.row.error' }, c.error);
  }
}

/**
 * While the ORS service runs only as this console's child (issue 16): a row saying that automatic
 * license update stops when the console closes, with the command that installs it as a service.
 * Derived from the hosting stream: it goes away by itself once a service is detected.
 */
export function hostingItem(state: RemoteServiceStateView): ResultItem | undefined {
  const h = state.hosting;
  if (!h?.childOfConsole) return undefined;
  const stateText = { code: 'remote-service.row.hosting-state' };
  return {
    id: 'ors-service-hosting',
    nodeType: 'remote-service',
    icon: 'cloud',
    cells: {
      name: { code: 'remote-service.row.hosting-name' },
      state: stateText,
      description: h.installCommand ? { code: 'remote-service.row.hosting', params: { command: h.installCommand } } : { code: 'remote-service.row.hosting-no-command' },
    },
    badge: { kind: 'warning', text: stateText },
  };
}

/** The Remote Service node: its result-pane item, the `remoteService` RPC service and its commands. */
@injectable()
export class RemoteServiceContribution implements PluginContribution {
  constructor(
    @inject(RemoteServiceController) private readonly controller: RemoteServiceController,
    @inject(PluginSettings) private readonly settings: PluginSettings,
    @inject(TreeRegistry) private readonly tree: TreeRegistry,
    @inject(RpcRegistry) private readonly rpc: RpcRegistry,
    @inject(CommandRegistry) private readonly commands: CommandRegistry,
    @inject(HostLogger) private readonly logger: HostLogger,
  ) {}

  contribute(): Disposable[] {
    const controller = this.controller;
    const items$: Observable<readonly ResultItem[]> = combineLatest([this.settings.changes$, controller.state$()]).pipe(
      map(([s, state]) => {
        const hosting = hostingItem(state);
        return [remoteServiceItem(readRemoteService(s.values), state), ...(hosting ? [hosting] : [])];
      }),
    );
    const logFailure = (what: string) => (e: unknown) => {
      this.logger.warn({ err: e }, what);
      return null;
    };
    return [
      this.tree.registerItems('remote-service', items$),
      this.rpc.expose(REMOTE_SERVICE_SERVICE, controller, ['settings$', 'save', 'restart', 'startService', 'state$', 'testConnection', 'serial$']),
      this.commands.register('remoteService.properties', () => ({ openProperties: { nodeId: 'remote-service', itemId: 'remote-service' } })),
      this.commands.register('remoteService.restart', () => controller.restart().then(() => null, logFailure('ORS service restart failed'))),
      this.commands.register('remoteService.startService', () => controller.startService().then(() => null, logFailure('ORS service start failed'))),
    ];
  }
}
