import type { MessageParams } from '../../common/errors.js';
import { inject, injectable } from 'inversify';
import { combineLatest, map, type Observable } from 'rxjs';
import type { BadgeKind, LocalizedText, ResultItem } from '../../common/console-protocol.js';
import { toDisposable, type Disposable } from '../../common/disposable.js';
import { REMOTE_ASSISTANCE_SERVICE, type PrerequisitesView } from '../../common/remote-assistance/api.js';
import { formatTeamViewerId, type LaunchState } from '../../common/remote-assistance/model.js';
import { CommandRegistry, RpcRegistry, TreeRegistry } from '../../host/api/index.js';
import type { PluginContribution } from '../plugin-contribution.js';
import { RemoteAssistanceController } from './remote-assistance-controller.js';
import { ACCEPT_REQUEST_COMMAND, AssistanceRequests, DECLINE_REQUEST_COMMAND } from './assistance-requests.js';

export const REMOTE_ASSISTANCE_NODE = 'remote-assistance';

const text = (code: string, params?: MessageParams): LocalizedText => ({ code, ...(params ? { params } : {}) });

/** The one row of the Remote assistance node: allowed or not, the session's state and the TeamViewer ID. */
export function remoteAssistanceItem(view: PrerequisitesView, launch: LaunchState): ResultItem {
  const row = (kind: BadgeKind, state: LocalizedText, description: LocalizedText): ResultItem => ({
    id: REMOTE_ASSISTANCE_NODE,
    nodeType: REMOTE_ASSISTANCE_NODE,
    icon: 'support',
    cells: { name: text('remote-assistance.row.name'), state, description },
    badge: { kind, text: state },
  });
  if (launch.kind === 'running') {
    return row('ok', text('remote-assistance.state.running', { pid: launch.pid }), launch.id ? `ID ${formatTeamViewerId(launch.id)}` : text('remote-assistance.id-unknown'));
  }
  if (launch.kind === 'starting') return row('info', text('remote-assistance.state.starting'), '');
  const unmet = view.prerequisites.find((p) => !p.met);
  const description = unmet ? text(unmet.reason, unmet.params) : text(launch.kind === 'ended' ? (launch.stopped ? 'remote-assistance.state.stopped' : 'remote-assistance.state.ended') : 'remote-assistance.state.ready', launch.kind === 'ended' ? { exitCode: String(launch.exitCode ?? launch.signal ?? '') } : {});
  if (!view.allowed) return row(unmet ? 'warning' : 'info', text('remote-assistance.not-allowed-short'), description);
  return row(unmet ? 'warning' : 'ok', text('remote-assistance.allowed'), description);
}

/**
 * Remote assistance (SPEC F4): the `remote-assistance` node under Remote Service, its row, the
 * `remoteAssistance` RPC service and the Start/Stop commands (Remote Service and Remote assistance menus).
 */
@injectable()
export class RemoteAssistanceContribution implements PluginContribution {
  constructor(
    @inject(RemoteAssistanceController) private readonly controller: RemoteAssistanceController,
    @inject(TreeRegistry) private readonly tree: TreeRegistry,
    @inject(RpcRegistry) private readonly rpc: RpcRegistry,
    @inject(CommandRegistry) private readonly commands: CommandRegistry,
    @inject(AssistanceRequests) private readonly requests: AssistanceRequests,
  ) {}

  contribute(): Disposable[] {
    const controller = this.controller;
    const items$: Observable<readonly ResultItem[]> = combineLatest([controller.prerequisites$(), controller.state$()]).pipe(map(([v, s]) => [remoteAssistanceItem(v, s)]));
    const open = { openProperties: { nodeId: REMOTE_ASSISTANCE_NODE, itemId: REMOTE_ASSISTANCE_NODE } };
    return [
      this.tree.registerItems(REMOTE_ASSISTANCE_NODE, items$),
      this.rpc.expose(REMOTE_ASSISTANCE_SERVICE, controller, ['prerequisites$', 'state$', 'allow', 'setTeamViewerPath', 'refresh', 'check', 'start', 'stop']),
      // Both open the panel: it shows the ID to read to the help desk, or why it could not start.
      this.commands.register('remoteAssistance.start', async () => {
        await controller.start();
        return open;
      }),
      this.commands.register('remoteAssistance.stop', async () => {
        await controller.stop();
        return null;
      }),
      this.commands.register('remoteAssistance.properties', () => open),
      // The notice of a help desk's request: [Start remote assistance] opens the panel with the ID.
      this.commands.register(ACCEPT_REQUEST_COMMAND, async (id: unknown) => {
        await this.requests.accept(id);
        return open;
      }),
      this.commands.register(DECLINE_REQUEST_COMMAND, async (id: unknown) => {
        await this.requests.decline(id);
        return null;
      }),
      toDisposable(() => this.requests.dispose()),
      toDisposable(() => void controller.dispose()),
    ];
  }
}
